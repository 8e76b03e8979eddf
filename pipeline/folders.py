"""The inbox, the output folder and the history database kept apart, so inputs are never changed
and outputs are never read back as returns."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import PipelineError

#: Where the returns are read from and the outputs written to, beside the register, by default.
DEFAULT_INBOX = Path("inbox")
DEFAULT_OUT = Path("outputs")
#: The history database in the output folder, when no database is named.
DEFAULT_HISTORY_FILE = "history.sqlite"


class FoldersOverlap(PipelineError):
    """The inbox, the output folder or the history database lie inside one another."""


def database_path(db: str | None) -> Path | None:
    """The file a history database setting names: a plain path, or a sqlite:/// URL's file.

    None for a server database (PostgreSQL) or an in-memory one.
    """
    if db is None or not db.strip():
        return None
    text = db.strip()
    if "://" not in text:
        return Path(text)
    scheme, _, rest = text.partition("://")
    if not scheme.lower().startswith("sqlite"):
        return None
    # sqlite:///relative/file and sqlite:////absolute/file; query options after '?'.
    file = rest[1:].split("?", 1)[0] if rest.startswith("/") else ""
    return Path(file) if file and file != ":memory:" else None


def check_apart(inbox: Path, out: Path, db: str | None = None) -> None:
    """Refuse a run whose output folder or history database would be inside the inbox, or whose
    inbox would be inside the output folder."""
    inbox_at, out_at = _resolved(inbox), _resolved(out)
    if out_at == inbox_at:
        raise FoldersOverlap(f"The output folder {out} is the inbox: the outputs would be read "
                             "back as returns next time. Choose another folder with --out "
                             "(outside the inbox).")
    if out_at.is_relative_to(inbox_at):
        raise FoldersOverlap(f"The output folder {out} is inside the inbox {inbox}: the outputs "
                             "would be mixed with the returns. Choose an --out folder outside the "
                             "inbox.")
    if inbox_at.is_relative_to(out_at):
        raise FoldersOverlap(f"The inbox {inbox} is inside the output folder {out}: the outputs "
                             "would be written among the returns. Choose an --out folder outside "
                             "the inbox.")
    database = database_path(db)
    if database is not None and _resolved(database).is_relative_to(inbox_at):
        raise FoldersOverlap(f"The history database {database} is inside the inbox {inbox}: the "
                             "inbox holds only returns, and is never written to. Name a file "
                             "outside it with --db, or leave --db out to keep the history in the "
                             "output folder.")


def _resolved(path: Path) -> Path:
    # strict=False: the output folder may not exist yet; links are followed where they exist.
    return Path(path).expanduser().resolve(strict=False)
