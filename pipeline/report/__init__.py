"""The outputs of a run: the master workbook (xlsxwriter) and the Executive's exceptions report (Word).

Both are written through `pipeline.atomic.atomic_output`, so a reader never finds half a file: an output is
replaced whole on success and left as it was on failure.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.report.errors import ReportError
    from pipeline.report.exceptions_report import write_exceptions
    from pipeline.report.master import write_master

__all__ = ["ReportError", "write_exceptions", "write_master"]

# Imported on first use: python-docx and xlsxwriter need not load for a CLI that only scans.
_HOMES = {
    "ReportError": "pipeline.report.errors",
    "write_exceptions": "pipeline.report.exceptions_report",
    "write_master": "pipeline.report.master",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'pipeline.report' has no attribute {name!r}")
