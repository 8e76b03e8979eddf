"""A digest of what reading makes of an inbox, to show a speed change changed nothing read.

    uv run python bench/read_digest.py [bench/results/data/n1000-seed1] [--workers 2]

Reads the inbox as `consolidate` does (`pipeline.consolidate.read.read_all`, its pool) and
prints a hash of each part of the result: every file's submission, its tasks, plans, summaries
and issues (code, place and wording), and the rest of each return's data. Run it before and
after a change on the same copy of the data (a submission keeps its file's modification time):
every line should be the same. It also prints the wall and CPU seconds (this process and its
workers) and the load average, which are no benchmark: `bench/run.py` is.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from pipeline.consolidate.read import read_all
from pipeline.intake.scan import scan_inbox
from pipeline.register import load_register

_DATA = Path(__file__).resolve().parent / "results" / "data" / "n1000-seed1"


def main(argv: Sequence[str] | None = None) -> int:
    """Read the inbox and print the digest of what was read."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=_DATA,
                        help="a folder holding inbox/ and register.toml (default: the bench's 1,000)")
    parser.add_argument("--workers", type=int, default=2, help="reading processes (default 2)")
    args = parser.parse_args(argv)
    register = load_register(args.data / "register.toml")
    entries = scan_inbox(args.data / "inbox")
    started, cpu = time.perf_counter(), time.process_time()
    results = read_all(entries, register, None, args.workers)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    parts = {name: hashlib.sha256() for name in
             ("submissions", "tasks", "plans", "summaries", "issues", "returns")}
    for result in results:
        parts["submissions"].update(repr(result.submission).encode())
        issues = list(result.issues)
        data = result.data
        if data is not None:
            parts["tasks"].update(repr(data.tasks).encode())
            parts["plans"].update(repr(data.plans).encode())
            parts["summaries"].update(repr(data.summaries).encode())
            parts["returns"].update(repr((data.file, data.kind, data.group_text, data.group,
                                          data.period_named, data.report_date, data.contact,
                                          data.rows_in_issues)).encode())
            issues += data.issues
        parts["issues"].update(repr([(i, i.message, str(i.place)) for i in issues]).encode())
    whole = hashlib.sha256()
    for name, digest in parts.items():
        whole.update(digest.digest())
        print(f"{name:12} {digest.hexdigest()[:16]}")
    tasks = sum(len(r.data.tasks) for r in results if r.data is not None)
    print(f"{'all':12} {whole.hexdigest()[:16]}  ({len(results):,} files, {tasks:,} tasks)")
    print(f"wall {wall:.2f} s, CPU {cpu:.2f} s here and {workers.ru_utime + workers.ru_stime:.2f} s "
          f"in the workers, load {os.getloadavg()[0]:.2f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
