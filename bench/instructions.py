"""Instructions the reading or the master workbook takes, counted by callgrind: not the load's.

    uv run python bench/instructions.py read [DATA]
    uv run python bench/instructions.py send [DATA]
    uv run python bench/instructions.py workbook [DATA]

`read`: `read_here` (intake, reader, layout, group) of DATA's first 60 Word and 60 Excel returns,
in this process, each with the collector paused as a reading worker has it, after 10 of each
read to warm what a worker has warm (default DATA: the bench's 1,000 returns,
`bench/results/data/n1000-seed1`). `send`: what the same 120 returns' answers cost to send
from a reading worker to the run's parent, read first and not counted: each answer pickled as
the worker sends it (`pickle.dumps` of `("ok", result)`, `intake.budget._serve`) and
unpickled as the parent receives it (`pickle.loads`), the two alone counted. `workbook`:
`write_master` of DATA's consolidation (history on, its previous period recorded), streamed as a
large run's is (default: the bench's 100 returns, `bench/results/data/n100-seed1`;
`bench/run.py --sizes 100` makes it).

Wall times on a shared machine say little; instruction counts say what a change saves. Needs
valgrind. The measured work runs inside `math.fsum()`, the one call callgrind is told to collect
(`--toggle-collect=math_fsum`): nothing the pipeline or its libraries run calls it, so nothing
inside turns the collection off again (until 2026-12-02 this was `sorted()`, which the readers
and writers call themselves: the work within those calls went uncounted, and the figures before
then are a little low). With PYTHONHASHSEED fixed, a run's count repeats to within a few
million. Work in other threads is not counted: the workbook's deflating of its rows (about
a tenth of its instructions) runs in a thread of its own. Dated figures: bench/README.md.
"""

from __future__ import annotations

import math
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
DATA = {"read": BENCH / "results" / "data" / "n1000-seed1",
        "send": BENCH / "results" / "data" / "n1000-seed1",
        "workbook": BENCH / "results" / "data" / "n100-seed1"}
_INSIDE = "BENCH_INSTRUCTIONS_INSIDE"


def main() -> int:
    """Count, or (under callgrind) do the counted work."""
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what not in DATA:
        print(__doc__, file=sys.stderr)
        return 2
    data = Path(sys.argv[2]) if len(sys.argv) > 2 else DATA[what]
    if os.environ.get(_INSIDE):
        {"read": _read, "send": _send, "workbook": _workbook}[what](data, Path(os.environ[_INSIDE]))
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        if what == "workbook":
            _consolidation(data, folder / "result.pickle")
        out = folder / "callgrind.out"
        subprocess.run(["valgrind", "--tool=callgrind", "--collect-atstart=no",
                        "--toggle-collect=math_fsum", f"--callgrind-out-file={out}",
                        sys.executable, __file__, what, str(data)],
                       env={**os.environ, _INSIDE: scratch, "PYTHONHASHSEED": "0"},
                       check=True, capture_output=True)
        total = next(int(line.split()[1]) for line in out.read_text().splitlines()
                     if line.startswith(("summary:", "totals:")))
    print(f"{what} of {data}: {total / 1e6:,.1f} M instructions")
    return 0


def _read(data: Path, _scratch: Path) -> None:
    from pipeline.consolidate.read import read_here
    from pipeline.heap import collector_paused

    entries, warm, register = _returns(data)
    for entry in warm:
        read_here(entry, register)

    def read_each() -> None:
        # As a worker reads (`intake.budget._serve`): the collector paused for each return, and
        # its result let go of before the next.
        for entry in entries:
            with collector_paused():
                read_here(entry, register)

    _counted(read_each)


def _send(data: Path, _scratch: Path) -> None:
    from pipeline.consolidate.read import read_here
    from pipeline.heap import collector_paused, frozen_heap

    entries, warm, register = _returns(data)
    with collector_paused():
        for entry in warm:  # pickle's and the records' code warmed as a worker has it
            pickle.loads(pickle.dumps(("ok", read_here(entry, register))))
        answers = [("ok", read_here(entry, register)) for entry in entries]

    received: list[object] = []

    def send_each() -> None:
        # Each answer as a worker sends it (`pickle.dumps`, then `Connection.send_bytes`; until
        # 2026-12-02's session 16, `Connection.send`'s `ForkingPickler.dumps`) and the parent
        # receives it (`Connection.recv`: `ForkingPickler.loads` is `pickle.loads`), kept as
        # the parent keeps it (its freeing not counted), the collector paused as in the parent's
        # pool and what it received frozen at the end, as the run's frozen heap has it there
        # (`BudgetedReader.run`). Until that session the collector was only paused: the
        # collection of the youngest objects that followed, which walked all 120 answers (9.7 M
        # instructions) and which the run's parent does not do, was counted too.
        with frozen_heap(), collector_paused(made_to_last=True):
            for answer in answers:
                received.append(pickle.loads(pickle.dumps(answer)))

    _counted(send_each)


def _returns(data: Path) -> tuple[list[Any], list[Any], Any]:
    """DATA's first 60 Word and 60 Excel returns, 10 others of each to warm up, its register."""
    from pipeline.consolidate.read import _load_readers
    from pipeline.intake.scan import scan_inbox
    from pipeline.register import load_register

    register = load_register(data / "register.toml")
    entries = scan_inbox(data / "inbox")
    _load_readers()
    word = [e for e in entries if e.name.endswith(".docx")]
    excel = [e for e in entries if e.name.endswith(".xlsx")]
    return word[:60] + excel[:60], word[100:110] + excel[100:110], register


def _consolidation(data: Path, target: Path) -> None:
    """DATA's consolidation as `pipeline consolidate` gives it to the writers, pickled."""
    import pipeline.report.master as master
    from pipeline.register import load_register
    from pipeline.run import run_consolidation

    def keep(result: object, _path: Path, **_options: object) -> dict[str, int]:
        with target.open("wb") as file:
            pickle.dump(result, file, protocol=pickle.HIGHEST_PROTOCOL)
        raise _Kept

    history = target.parent / "history.sqlite"
    shutil.copy(next(data.glob("previous-period-*.sqlite")), history)
    master.write_master = keep  # type: ignore[assignment]
    try:
        run_consolidation(data / "inbox", target.parent / "out", load_register(data / "register.toml"),
                          period="Q4 2008/09", db=f"sqlite:///{history}", pdf=False)
    except _Kept:
        return
    raise SystemExit("the run wrote no workbook")


class _Kept(BaseException):  # not an Exception: nothing on the way may take it for a failure
    pass


def _workbook(_data: Path, scratch: Path) -> None:
    from pipeline.report.master import write_master

    with (scratch / "result.pickle").open("rb") as file:
        result = pickle.load(file)
    write_master(result, scratch / "warm.xlsx", constant_memory_over=0)  # imports, caches
    _counted(lambda: write_master(result, scratch / "master.xlsx", constant_memory_over=0))


def _counted(work: Callable[[], object]) -> None:
    """Do `work` inside `math.fsum`, the call callgrind collects (its generator runs within it)."""

    def once() -> Iterator[float]:
        work()
        yield 0.0

    math.fsum(once())


if __name__ == "__main__":
    sys.exit(main())
