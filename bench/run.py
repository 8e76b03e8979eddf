"""Benchmark: reading against the bare unzip + XML parse, the whole consolidation, `--help`.

    uv run python bench/run.py [--sizes 10,100,1000] [--repeat 1] [--seed 1]

See bench/README.md for what each column means. Generated returns are kept (and reused) in
bench/results/data/, the run's outputs in bench/results/out-N/, and the table is also saved
to bench/results/latest.txt; bench/results/ is not in git.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.consolidate.result import SubmissionState

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402  (bench/ is not a package)

from pipeline.consolidate.read import PARALLEL_FROM, read_all, read_here  # noqa: E402
from pipeline.intake.scan import scan_inbox  # noqa: E402
from pipeline.register import load_register  # noqa: E402

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"

READ_RATIO_TARGET = 3.0
CONSOLIDATE_SECONDS_TARGET = 60.0
PEAK_MIB_TARGET = 1024.0
HELP_SECONDS_TARGET = 0.5

# The same settings as pipeline.xmlsafe: no entities, no network (they cost nothing here).
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          remove_comments=True, remove_pis=True)


# -- The floor: unzip and parse the main parts, nothing else ---------------------------------


def _main_parts(zf: zipfile.ZipFile, path: str) -> list[str]:
    names = zf.namelist()
    if path.endswith(".docx"):
        return ["word/document.xml"]
    return (["xl/workbook.xml"] + [n for n in names if n == "xl/sharedStrings.xml"]
            + sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")))


def bare_parse(path: str) -> int:
    """Open one package and parse its main XML parts with lxml; the number of elements seen."""
    with zipfile.ZipFile(path) as zf:
        count = 0
        for part in _main_parts(zf, path):
            root = etree.fromstring(zf.read(part), _PARSER)
            count += len(root)
        return count


def floor(paths: Sequence[str], workers: int) -> float:
    """Seconds to bare-parse every file, in one process or a pool like the pipeline's."""
    started = time.perf_counter()
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(bare_parse, paths, chunksize=8))
    else:
        for path in paths:
            bare_parse(path)
    return time.perf_counter() - started


# -- Reading: the pipeline's own open + parse + extract, with its own parallelism ------------


def reading(inbox: Path, register_path: Path, workers: int) -> float:
    """Seconds for the pipeline to read and interpret every return (no validation, no output)."""
    register = load_register(register_path)
    started = time.perf_counter()
    entries = scan_inbox(inbox)
    results = read_all(entries, register, None, workers)
    elapsed = time.perf_counter() - started
    rejected = [r.submission for r in results if r.submission.state != SubmissionState.ACCEPTED]
    if rejected:
        raise SystemExit(f"the pipeline did not accept {rejected[0].file}: {rejected[0].reason}")
    return elapsed


def read_file(path: str) -> int:
    """Only the reader of the file's format: blocks of cells, no intake checks, no records."""
    from pipeline.readers.docx import read_docx
    from pipeline.readers.xlsx import read_xlsx

    reader = read_docx if path.endswith(".docx") else read_xlsx
    return len(reader(Path(path), Path(path).name).blocks)


def readers_only(paths: Sequence[str], workers: int) -> float:
    """Seconds for the readers alone over every file, with the pipeline's parallelism."""
    started = time.perf_counter()
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(read_file, paths, chunksize=8))
    else:
        for path in paths:
            read_file(path)
    return time.perf_counter() - started


# -- The whole run and --help, as subprocesses ------------------------------------------------

#: Python may write its bytecode cache, as on any installation (this environment may say not
#: to): otherwise every run would compile pandas & co. from source and time that instead.
_CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc), in KiB."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(c) for c in children.read().split()]
        except (OSError, ValueError):
            continue  # the process ended while we looked
    return total


@dataclass
class Measured:
    seconds: float
    peak_mib: float
    returncode: int


def run_measured(command: Sequence[str], cwd: Path | None = None) -> Measured:
    """Run a command; wall time and the peak resident memory of its whole process tree.

    The tree is sampled every 20 ms (sum of RSS: shared pages count once per process, so this
    errs high); the kernel's own peak of the largest single process (wait4) is the floor of it.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=_CHILD_ENV)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = process.stderr.read() if process.stderr else b""  # type: ignore[union-attr]
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.stderr.write(stderr.decode(errors="replace"))
    largest = usage.ru_maxrss  # KiB on Linux
    return Measured(elapsed, max(peak, largest) / 1024, process.returncode)


def pipeline_command() -> list[str]:
    """The installed `pipeline` script of this environment (not `uv run`, which adds its own start)."""
    script = Path(sys.executable).with_name("pipeline")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipeline.cli"]


def consolidate_run(inbox: Path, register_path: Path, out: Path) -> Measured:
    """`pipeline consolidate --no-history` in a fresh interpreter, both outputs written."""
    shutil.rmtree(out, ignore_errors=True)
    measured = run_measured([*pipeline_command(), "consolidate", "--inbox", str(inbox),
                             "--register", str(register_path), "--out", str(out), "--no-history"])
    if measured.returncode:
        raise SystemExit(f"pipeline consolidate failed with exit status {measured.returncode}")
    for name in ("master.xlsx", "exceptions.docx"):
        if not (out / name).exists():
            raise SystemExit(f"pipeline consolidate did not write {name}")
    return measured


def help_seconds(times: int = 5) -> float:
    """Median wall time of `pipeline --help` in a fresh interpreter."""
    runs = []
    for _ in range(times):
        started = time.perf_counter()
        subprocess.run([*pipeline_command(), "--help"], check=True, stdout=subprocess.DEVNULL,
                       env=_CHILD_ENV)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


# -- The table --------------------------------------------------------------------------------


@dataclass
class Row:
    n: int
    workers: int
    read_s: float
    floor1_s: float
    floor_s: float
    readers_s: float
    consolidate_s: float
    peak_mib: float

    @property
    def ratio(self) -> float:
        return self.read_s / self.floor_s

    @property
    def readers_ratio(self) -> float:
        return self.readers_s / self.floor_s


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def table(rows: Sequence[Row], help_s: float) -> str:
    """The results as printed: one line per N, then --help and the machine."""
    head = (f"{'N':>5}  {'procs':>5}  {'floor s':>7}  {'read s':>7}  {'ratio':>5}  {'≤3×':>4}  "
            f"{'readers s':>9}  {'ratio':>5}  {'consolidate s':>13}  {'<60 s':>5}  "
            f"{'peak MiB':>8}  {'<1 GiB':>6}")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r.n:>5}  {r.workers:>5}  {r.floor_s:>7.3f}  {r.read_s:>7.2f}  {r.ratio:>5.1f}  "
            f"{_verdict(r.ratio <= READ_RATIO_TARGET):>4}  {r.readers_s:>9.2f}  "
            f"{r.readers_ratio:>5.1f}  {r.consolidate_s:>13.1f}  "
            f"{_verdict(r.consolidate_s < CONSOLIDATE_SECONDS_TARGET):>5}  {r.peak_mib:>8.0f}  "
            f"{_verdict(r.peak_mib < PEAK_MIB_TARGET):>6}")
    lines.append(f"pipeline --help: {help_s:.2f} s (median of 5)  <0.5 s: "
                 f"{_verdict(help_s < HELP_SECONDS_TARGET)}")
    lines.append(f"Machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
                 f"Python {platform.python_version()}; the pipeline reads in parallel from "
                 f"{PARALLEL_FROM} files; floor 1 process: "
                 + ", ".join(f"N={r.n} {r.floor1_s:.3f} s" for r in rows))
    return "\n".join(lines)


def _best(measure: Callable[[], float], repeat: int) -> float:
    return min(measure() for _ in range(repeat))


def bench_size(n: int, seed: int, repeat: int) -> Row:
    """Generate (or reuse) N returns and measure the floor, the reading and the whole run."""
    data = RESULTS / "data" / f"n{n}-seed{seed}"
    inbox, register_path = data / "inbox", data / "register.toml"
    if not register_path.exists() or len(list(inbox.iterdir())) != n:
        shutil.rmtree(data, ignore_errors=True)
        generate(data, n, seed)
    paths = sorted(str(p) for p in inbox.iterdir())
    cores = os.cpu_count() or 1
    workers = cores if cores > 1 and n >= PARALLEL_FROM else 1
    # Warm up: imports and the first read's caches are not what is measured (the pool's
    # processes are forked from this one, so they start warm too).
    register = load_register(register_path)
    for entry in scan_inbox(inbox)[:2]:  # one Word and one Excel return
        bare_parse(str(entry.path))
        read_here(entry, register)
    floor1 = _best(lambda: floor(paths, 1), repeat)
    floor_p = floor1 if workers == 1 else _best(lambda: floor(paths, workers), repeat)
    read_s = _best(lambda: reading(inbox, register_path, cores), repeat)
    readers_s = _best(lambda: readers_only(paths, workers), repeat)
    runs = [consolidate_run(inbox, register_path, RESULTS / f"out-{n}") for _ in range(repeat)]
    best = min(runs, key=lambda m: m.seconds)
    return Row(n, workers, read_s, floor1, floor_p, readers_s, best.seconds,
               max(m.peak_mib for m in runs))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark for each size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000",
                        help="numbers of returns, comma-separated (default 10,100,1000)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each measurement; the best time is kept (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated returns")
    args = parser.parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    # One untimed run first: Python writes its bytecode caches, the disk cache is warm.
    warm = RESULTS / "data" / f"n10-seed{args.seed}"
    if not (warm / "register.toml").exists():
        generate(warm, 10, args.seed)
    consolidate_run(warm / "inbox", warm / "register.toml", RESULTS / "out-warm-up")
    rows = []
    for n in sizes:
        rows.append(bench_size(n, args.seed, max(1, args.repeat)))
        print(f"  N={n} done", file=sys.stderr, flush=True)
    text = table(rows, help_seconds())
    print(text)
    (RESULTS / "latest.txt").write_text(
        f"$ uv run python bench/run.py {' '.join(argv or sys.argv[1:])}\n{text}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
