"""The outputs of a run: the master workbook (xlsxwriter) and the Executive's exceptions report (Word).

Both are written through `pipeline.atomic.atomic_output`, so a reader never finds half a file: an
output is replaced whole on success and left as it was on failure.

- `master`: the master workbook, every sheet written in order.
- `sheets_summary`: the Summary sheet: counts by group and outcome, a chart, who is missing.
- `sheets_tracker`: the Tracker sheet: each group's return in the cycle.
- `sheets_tasks`: the Tasks, Exceptions and Action plan sheets.
- `sheets_changes`: the Changes sheet: each task's status last period against this one.
- `sheets_trend`: the Trend sheet: tasks by status over the recorded periods, status strips.
- `sheets_log`: the Issues and Submissions sheets.
- `xlsx_sheet`: writing cells and table-like sheets, checking every return code.
- `xlsx_rows`: a streamed workbook whose sheets' cells are written as XML by us (`RowsSheet`),
  deflated on another core as they are written (`pipeline.zip_parts`).
- `xlsx_splice`: those sheets' rows put into the package xlsxwriter wrote around them.
- `xlsx_styles`: the workbook's cell formats, made once per workbook.
- `xlsx_chart`: the stacked chart of tasks by status.
- `exceptions_report`: the Executive's board pack as a Word document.
- `board`: what the board pack says, worked out from a consolidation (pure functions).
- `board_cover`: the board pack's cover: what, when, who, the returns, the key.
- `board_tables`: the board pack's summary tables: headline figures, off the list, the appendix.
- `docx_grid`: the board pack's plain grid tables, built as XML.
- `docx_table_xml`: a Word table's XML written as text.
- `docx_stream`: a Word document saved with its tables written in as that text, never a tree.
- `docx_layout`: the page, the fonts, page-number fields and runs of text.
- `palette`: the colours statuses are read by, shared by the workbook and the report.
- `wording`: dates, lists and counts put the way the board pack writes them.
- `text`: a return's text made safe for a workbook or a Word document.
- `pdf`: the exceptions report converted to PDF by LibreOffice.
- `errors`: `ReportError`, the one exception the writers raise of their own.
"""
