"""The one exception the report writers raise of their own."""


class ReportError(Exception):
    """Raised when an output cannot be written; the message says what to do about it."""
