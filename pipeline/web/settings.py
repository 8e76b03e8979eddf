"""What the officer's page works on, and how it is guarded: fixed when the server starts."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.limits import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES

if TYPE_CHECKING:
    from pipeline.cycle.workspace import Workspace


@dataclass
class Settings:
    """The folders and register a session works on, and its secrets and limits."""

    inbox: Path
    """The inbox folder: the returns, or one folder per period of the cycle."""
    out: Path
    register_path: Path | None = None
    db: str | None = None
    period: str | None = None
    allowed_hosts: frozenset[str] = frozenset({"127.0.0.1", "localhost"})
    """Host header values accepted (with the port, as the browser sends them)."""
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    """The session token: in the launch URL, then in a cookie."""
    password: str | None = None
    """Required to log in when the server listens beyond this computer."""
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    max_upload_files: int = MAX_UPLOAD_FILES

    @property
    def csrf_token(self) -> str:
        """The token every form carries, derived from the session token (never the same string)."""
        return hmac.new(self.token.encode(), b"csrf", hashlib.sha256).hexdigest()

    @property
    def cookie_name(self) -> str:
        """The session cookie's name, this session's own: cookies do not tell ports apart, so two
        servers on one computer would otherwise overwrite each other's."""
        return "pipeline_" + hashlib.sha256(self.token.encode()).hexdigest()[:12]

    @property
    def allowed_origins(self) -> frozenset[str]:
        """Origins a form may be posted from: this server's own."""
        return frozenset(f"http://{host}" for host in self.allowed_hosts)

    def workspace(self) -> Workspace:
        """The partnership's folders, register and history, as the cycle's commands find them."""
        from pipeline.cycle.workspace import Workspace
        from pipeline.register import load_register

        return Workspace(load_register(self.register_path), self.inbox, self.out, self.db)

    def has_history(self) -> bool:
        """True once a history exists to read (opening one would create it)."""
        from pipeline.folders import DEFAULT_HISTORY_FILE

        return bool(self.db) or (self.out / DEFAULT_HISTORY_FILE).is_file()
