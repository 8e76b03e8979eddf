"""Fuzzing the whole reading path: mutated real returns (flipped bytes, truncated or shuffled XML,
cut zips) each end read, rejected with a message, or skipped, never an exception."""

from __future__ import annotations

import io
import random
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.consolidate.read import read_one
from pipeline.consolidate.result import SubmissionState
from pipeline.intake.scan import scan_inbox
from pipeline.register import load_register

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted(p for p in (REPO / "inbox").rglob("*")
               if p.suffix in (".docx", ".xlsx", ".eml") and not p.name.startswith("~$"))
REGISTER = load_register()


def _mutate_xml(data: bytes, rnd: random.Random) -> bytes:
    """One of: cut it short, drop a slice, duplicate a slice, swap two slices, insert junk."""
    if len(data) < 8:
        return data + b"<"
    a, b = sorted(rnd.sample(range(len(data)), 2))
    choice = rnd.randrange(5)
    if choice == 0:
        return data[:a]
    if choice == 1:
        return data[:a] + data[b:]
    if choice == 2:
        return data[:b] + data[a:b] + data[b:]
    if choice == 3:
        c = rnd.randrange(len(data))
        return data[:a] + data[c:] + data[a:c] if c > a else data[c:a] + data[:c] + data[a:]
    junk = rnd.choice([b"<", b"&", b"&#0;", b"\x00", b"<w:tbl>", b"</w:tr>", b"<w:gridSpan w:val=\"-5\"/>",
                       b"_xD800_", b"\xff\xfe", b"<c r=\"ZZZ0\"><v>1</v></c>", b"]]>"])
    return data[:a] + junk + data[a:]


def _mutated(seed: Path, how: str, rnd: random.Random) -> bytes:
    raw = seed.read_bytes()
    if how == "flip":
        data = bytearray(raw)
        for _ in range(rnd.randint(1, 20)):
            data[rnd.randrange(len(data))] ^= 1 << rnd.randrange(8)
        return bytes(data)
    if how == "truncate":
        return raw[: rnd.randrange(1, len(raw))]
    if seed.suffix == ".eml":
        return _mutate_xml(raw, rnd)
    # Rewrite the package with one XML part mutated (a well-formed zip around broken content).
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        parts = src.infolist()
        xml = [i.filename for i in parts if i.filename.endswith((".xml", ".rels"))]
        target = rnd.choice(xml)
        for info in parts:
            data = src.read(info)
            dst.writestr(info.filename, _mutate_xml(data, rnd) if info.filename == target else data)
    return out.getvalue()


@pytest.mark.skipif(not SEEDS, reason="the sample inbox is missing")
@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), how=st.sampled_from(["flip", "truncate", "xml"]),
       salt=st.integers(0, 2**32 - 1))
def test_every_mutated_return_is_read_rejected_or_skipped(
    tmp_path_factory: pytest.TempPathFactory, seed: Path, how: str, salt: int
) -> None:
    inbox = tmp_path_factory.mktemp("fuzz")
    path = inbox / seed.name
    path.write_bytes(_mutated(seed, how, random.Random(salt)))
    (entry,) = scan_inbox(inbox)
    if entry.action == "skip":
        assert entry.reason
        return
    if entry.kind == "email":
        from pipeline.consolidate.steps import consolidate

        result = consolidate(inbox, REGISTER, workers=1, time_limit=20)
        outcomes = {s.state for s in result.submissions}
        assert outcomes <= {"accepted", "rejected", "skipped", "superseded"}
        shutil.rmtree(inbox, ignore_errors=True)
        return
    result = read_one(entry, REGISTER, time_limit=20)
    sub = result.submission
    assert sub.state in ("accepted", "rejected", "skipped"), sub
    if sub.state == SubmissionState.REJECTED:
        assert sub.reason and "Traceback" not in sub.reason
        assert result.issues, "a rejection has its issue"
    shutil.rmtree(inbox, ignore_errors=True)
