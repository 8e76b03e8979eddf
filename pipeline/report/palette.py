"""The colours the partnership reads statuses by, shared by the workbook and the Word report."""

from __future__ import annotations

from pipeline.records import Status

#: Fill and text colour per status. Black text on amber and green and white on red are the
#: combinations that stay legible printed in greyscale as well as on screen.
STATUS_FILL: dict[Status, str] = {
    Status.RED: "FF0000",
    Status.AMBER: "FFC000",
    Status.GREEN: "00B050",
    Status.ACHIEVED: "9DC3E6",
}
STATUS_FONT: dict[Status, str] = {
    Status.RED: "FFFFFF",
    Status.AMBER: "000000",
    Status.GREEN: "000000",
    Status.ACHIEVED: "000000",
}

#: Header rows: a dark band that reads as "heading" in colour and in greyscale.
HEADER_FILL = "1F3864"
HEADER_FONT = "FFFFFF"
#: The Word report's table header: a quiet grey that prints well on any office printer.
WORD_HEADER_FILL = "D9D9D9"
#: The Ref/Action block of the Word report, and the Summary's total row.
BAND_FILL = "E7E6E6"
