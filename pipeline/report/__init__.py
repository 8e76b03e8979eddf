"""The outputs of a run: the master workbook (xlsxwriter) and the Executive's exceptions report (Word).

Both are written through `atomic_output`, so a reader never finds half a file: an output is
replaced whole on success and left as it was on failure.
"""

from pipeline.report.atomic import atomic_output
from pipeline.report.errors import ReportError
from pipeline.report.exceptions_report import write_exceptions
from pipeline.report.master import write_master

__all__ = ["ReportError", "atomic_output", "write_exceptions", "write_master"]
