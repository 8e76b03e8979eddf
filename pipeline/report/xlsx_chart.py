"""The stacked column chart of tasks by status that the Summary and Trend sheets draw."""

from __future__ import annotations

from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook

from pipeline.records import Status
from pipeline.report.palette import STATUS_FILL

#: The statuses counted in the charts and their tables, in the order they are stacked.
COUNTED: tuple[Status, ...] = (Status.GREEN, Status.AMBER, Status.RED, Status.ACHIEVED)

_FONT = "Arial"


def status_chart(book: Workbook, sheet_name: str, *, first_row: int, last_row: int,
                 first_col: int, title: str, major_unit: int | None = None) -> Chart:
    """A stacked column per row of a table whose categories are in column A and whose counts, one
    column per status of `COUNTED`, start at `first_col` under a header row 0; each status in its
    colour. The caller sizes and places it."""
    chart = book.add_chart({"type": "column", "subtype": "stacked"})
    if chart is None:
        raise RuntimeError("xlsxwriter refused a stacked column chart")
    for offset, status in enumerate(COUNTED):
        col = first_col + offset
        chart.add_series({
            "name": [sheet_name, 0, col],
            "categories": [sheet_name, first_row, 0, last_row, 0],
            "values": [sheet_name, first_row, col, last_row, col],
            "fill": {"color": "#" + STATUS_FILL[status]},
            "border": {"color": "#595959", "width": 0.5},
            "gap": 60,
        })
    chart.set_title({"name": title, "name_font": {"name": _FONT, "size": 12}})
    chart.set_legend({"position": "bottom", "font": {"name": _FONT, "size": 9}})
    chart.set_x_axis({"num_font": {"name": _FONT, "size": 8}})
    y_axis: dict[str, object] = {"num_font": {"name": _FONT, "size": 8},
                                 "major_gridlines": {"visible": True}, "min": 0, "num_format": "0"}
    if major_unit is not None:
        y_axis["major_unit"] = major_unit
    chart.set_y_axis(y_axis)
    return chart
