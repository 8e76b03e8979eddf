"""The one exception the report writers raise of their own."""

from pipeline.errors import PipelineError


class ReportError(PipelineError):
    """Raised when an output cannot be written; the message says what to do about it."""
