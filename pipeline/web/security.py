"""The guard in front of every page: Host, Origin, session token, body size; and the CSRF check.

A web server on an office PC is an attack surface: another site open in the same browser may
post to it (CSRF), or reach it under its own name (DNS rebinding). So every request must name
this server in its Host header, carry the session cookie set from the launch URL, and, when it
changes anything, come from this server's own page with the form's CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import FormData, Headers
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from pipeline.intake.safety import size
from pipeline.web.settings import Settings

#: Headers on every answer: nothing but this server's own files runs or loads on the page, no
#: other site may frame it, and no address (the launch link holds the token) leaks to another site.
#: (Not "no-referrer": Chromium then sends "Origin: null" with the page's own forms.)
SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]
#: Only on pages (a PDF shown in the browser needs its viewer, which this policy would block).
PAGE_POLICY = (b"content-security-policy", b"default-src 'self'; style-src 'self' 'unsafe-inline'; "
               b"img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
               b"frame-ancestors 'none'")
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Pages reachable without a session: the login form (only offered when a password is set).
_OPEN_PATHS = frozenset({"/login"})

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class Refused(Exception):
    """A request the guard turns away, with the status and the sentence the officer sees."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class BodyTooLarge(Exception):
    """The request's body turned out longer than its Content-Length or the cap."""


def same(a: str | None, b: str) -> bool:
    """Compare secrets in constant time."""
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


class Guard:
    """ASGI middleware: refuses foreign hosts and origins, missing sessions and oversize bodies."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        send = _with_security_headers(send)
        try:
            self._check_host(headers)
            if scope["method"] in _UNSAFE:
                self._check_origin(headers)
                receive = self._capped(headers, receive)
            response = self._session(scope, headers)
        except Refused as refused:
            response = refusal(refused)
        if response is not None:
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _check_host(self, headers: Headers) -> None:
        # DNS rebinding: a foreign name resolving to 127.0.0.1 still sends its own name here.
        if headers.get("host", "") not in self.settings.allowed_hosts:
            raise Refused(400, "This page answers only at the address the serve command printed.")

    def _check_origin(self, headers: Headers) -> None:
        origin = headers.get("origin")
        if origin is not None and origin not in self.settings.allowed_origins:
            raise Refused(403, "A form from another site tried to change something here; it was refused.")
        if headers.get("sec-fetch-site") == "cross-site":
            raise Refused(403, "A request from another site tried to change something here; it was refused.")

    def _capped(self, headers: Headers, receive: Receive) -> Receive:
        limit = self.settings.max_upload_bytes
        declared = headers.get("content-length")
        if declared is None:
            if "chunked" in headers.get("transfer-encoding", ""):
                raise Refused(411, "The upload did not say its size; send the files from the page.")
            return receive
        if not declared.isdigit():
            raise Refused(400, "The upload's size is not a number.")
        if int(declared) > limit:
            raise Refused(413, f"The upload is {size(int(declared))}; at most {size(limit)} can be "
                          "sent at once. Send fewer or smaller files at a time.")
        remaining = int(declared)

        async def counted() -> Message:
            nonlocal remaining
            message = await receive()
            if message["type"] == "http.request":
                remaining -= len(message.get("body", b""))
                if remaining < 0:
                    raise BodyTooLarge("the body is longer than its Content-Length")
            return message

        return counted

    def _session(self, scope: Scope, headers: Headers) -> Response | None:
        """None to go on; else the response that sets the cookie or turns the request away."""
        settings = self.settings
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if "token" in query:
            if not same(query["token"], settings.token):
                raise Refused(403, "This link's token is not this session's. Open the link the "
                              "serve command printed last.")
            # The token leaves the address bar (and the history) at once; the cookie carries it.
            rest = urlencode({k: v for k, v in query.items() if k != "token"})
            target = scope["path"] + (f"?{rest}" if rest else "")
            response = RedirectResponse(target, status_code=303)
            set_session_cookie(response, settings)
            return response
        if settings.password and (scope["path"] in _OPEN_PATHS or scope["path"].startswith("/static/")):
            # The login form and its stylesheet: the package's own files, nothing of the session's.
            return None
        cookies = Request(scope).cookies
        if not same(cookies.get(settings.cookie_name), settings.token):
            if settings.password and scope["method"] == "GET":
                return RedirectResponse("/login", status_code=303)
            raise Refused(403, "This page needs the session link: open the address the "
                          "'pipeline serve' command printed (it ends with ?token=…).")
        return None


def _with_security_headers(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            page = any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)
            message["headers"] = [*headers, *SECURITY_HEADERS, *([PAGE_POLICY] if page else [])]
        await send(message)

    return sending


def set_session_cookie(response: Response, settings: Settings) -> None:
    """Give the browser the session: sent back only to this server, never readable by scripts."""
    response.set_cookie(settings.cookie_name, settings.token, httponly=True, samesite="strict", path="/")


def check_csrf(request: Request, form: FormData | None, settings: Settings) -> None:
    """Refuse a change whose form (or htmx header) does not carry this session's CSRF token."""
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and form is not None:
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not same(sent, settings.csrf_token):
        raise Refused(403, "The form had expired or did not come from this page. Reload the page "
                      "and try again.")


#: Wrong passwords a client may give before it must wait; each one after doubles the wait.
LOGIN_FREE_TRIES = 5
LOGIN_FIRST_WAIT_SECONDS = 2.0
LOGIN_LONGEST_WAIT_SECONDS = 15 * 60.0
#: The cookie that carries the login form's own CSRF token (there is no session yet to derive it from).
LOGIN_COOKIE = "pipeline_login"


class LoginThrottle:
    """Wrong passwords counted per client address: after a few, each further try must wait twice as
    long as the one before (up to a quarter of an hour), so a password cannot be guessed by trying."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}
        """client: (wrong passwords in a row, when the next try is allowed)."""

    def wait(self, client: str) -> float:
        """Seconds the client must still wait before its next try (0: it may try now)."""
        with self._lock:
            _, allowed = self._failures.get(client, (0, 0.0))
        return max(0.0, allowed - self._clock())

    def failed(self, client: str) -> None:
        """Count a wrong password; past the free tries, the client is locked out for a while."""
        with self._lock:
            count, _ = self._failures.get(client, (0, 0.0))
            count += 1
            extra = count - LOGIN_FREE_TRIES
            delay = 0.0 if extra < 0 else LOGIN_FIRST_WAIT_SECONDS * 2 ** min(extra, 30)
            delay = min(delay, LOGIN_LONGEST_WAIT_SECONDS)
            self._failures[client] = (count, self._clock() + delay)

    def succeeded(self, client: str) -> None:
        """The right password: the client's count starts again."""
        with self._lock:
            self._failures.pop(client, None)


def login_form_token(request: Request) -> str:
    """The login form's CSRF token: the one in the browser's login cookie, or a new one."""
    current = request.cookies.get(LOGIN_COOKIE, "")
    return current if len(current) == 43 else secrets.token_urlsafe(32)


def set_login_cookie(response: Response, token: str) -> None:
    """Keep the login form's token in a cookie only this server's own pages send back (double submit)."""
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", path="/login")


def check_login_csrf(request: Request, form: FormData) -> None:
    """Refuse a login whose form does not carry the token in the browser's login cookie."""
    sent = form.get(CSRF_FIELD)
    cookie = request.cookies.get(LOGIN_COOKIE)
    if not isinstance(sent, str) or cookie is None or not same(sent, cookie):
        raise Refused(403, "The login form had expired or did not come from this page. Reload the "
                      "page and try again.")


def refusal(refused: Refused) -> Response:
    """The page that says why a request was refused, in words."""
    body = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Refused</title>"
            f"</head><body><main><h1>Refused</h1><p role='alert'>{_escape(refused.message)}</p>"
            "</main></body></html>")
    return HTMLResponse(body, status_code=refused.status)


def too_large() -> Response:
    """The answer when a body outgrew its declared size."""
    return PlainTextResponse("The upload was larger than it said.", status_code=413)


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))
