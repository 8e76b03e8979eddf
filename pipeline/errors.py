"""The one error boundary: every "cannot run" failure is a `PipelineError` with a plain message.

Bad data is never an exception (it is an `Issue`); an exception means the run cannot happen or
cannot finish. Each library failure (a file system error, xlsxwriter's, SQLAlchemy's, text that
cannot be encoded) is wrapped into one of these where it happens, with a message that names what
failed and what to do. The front doors (CLI, web) catch `PipelineError` once and print its one line.
"""

from __future__ import annotations


class PipelineError(Exception):
    """The pipeline cannot run: the message says what failed and what to do."""


def os_reason(exc: BaseException) -> str:
    """The plain reason of an OS-level error ("no space left on device"), else its first line."""
    strerror = getattr(exc, "strerror", None)
    if isinstance(strerror, str) and strerror:
        return strerror[0].lower() + strerror[1:]
    cause = exc.__cause__ or exc.__context__
    if cause is not None and cause is not exc and getattr(cause, "strerror", None):
        return os_reason(cause)
    # args[0] rather than str(): a KeyError's str() is a repr.
    text = (exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)).strip().splitlines()
    return text[0] if text else type(exc).__name__
