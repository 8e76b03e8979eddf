"""Benchmark: what xlsxwriter itself costs for the cells of a master workbook, with nothing of ours.

    uv run python bench/workbook_floor.py [MASTER.xlsx] [--repeat 3]

Reads every cell of a master workbook the pipeline wrote (by default the one `bench/run.py`
leaves in bench/results/out-1000/), then writes the same values into a new workbook with bare
xlsxwriter, as the pipeline does (constant_memory mode, text with `write_string`, numbers with
`write_number`, one format on every cell), and prints the cells written and the seconds and
microseconds per cell (wall and CPU, best of `--repeat`). That is the floor under the master
workbook's share of `pipeline consolidate`: no per-cell work of ours can take it below this.
Dated figures: bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import xlsxwriter

BENCH = Path(__file__).resolve().parent
DEFAULT = BENCH / "results" / "out-1000" / "master.xlsx"


def read_cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's rows of values, as the pipeline wrote them (blank cells as None)."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    finally:
        book.close()


def write_bare(sheets: dict[str, list[tuple[object, ...]]], target: Path) -> int:
    """The values written with bare xlsxwriter, one format per cell; the cells written."""
    book = xlsxwriter.Workbook(str(target), {"constant_memory": True, "strings_to_formulas": False,
                                             "strings_to_urls": False})
    fmt = book.add_format({"font_name": "Arial", "font_size": 10, "text_wrap": True,
                           "valign": "top", "border": 1})
    written = 0
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value, fmt)
                else:
                    sheet.write_number(r, c, value, fmt)
                written += 1
    book.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("master", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if not args.master.exists():
        print(f"{args.master} does not exist: run `uv run python bench/run.py --sizes 1000` first, "
              "or name a master workbook.", file=sys.stderr)
        return 2
    sheets = read_cells(args.master)
    best_wall = best_cpu = float("inf")
    cells = 0
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as folder:
        for _ in range(args.repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            cells = write_bare(sheets, Path(folder) / "bare.xlsx")
            best_wall = min(best_wall, time.perf_counter() - wall)
            best_cpu = min(best_cpu, time.process_time() - cpu)
    rows = sum(len(r) for r in sheets.values())
    print(f"{args.master}: {len(sheets)} sheets, {rows:,} rows, {cells:,} cells written")
    print(f"bare xlsxwriter (constant_memory, one format per cell), best of {args.repeat}: "
          f"{best_wall:.2f} s wall, {best_cpu:.2f} s CPU, "
          f"{best_cpu / max(cells, 1) * 1e6:.1f} µs CPU per cell")
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
