"""Gallery: statuses however groups write them, in real Word returns read end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx_factory import build_docx, p, r, tbl, tc, tr
from gallery import HEAD, REGISTER, run

from pipeline.records import Status
from pipeline.register import RegisterError, load_register

AMBER_WINGDINGS_DOT = (
    '<w:r><w:rPr><w:color w:val="FFC000"/></w:rPr><w:sym w:font="Wingdings" w:char="F06C"/></w:r>'
)
A, R, G, ACH = Status.AMBER, Status.RED, Status.GREEN, Status.ACHIEVED


def _return(
    tmp_path: Path,
    statuses: list[str],
    *,
    before: str = "",
    after: str = "",
    footer: str = "",
    name: str = "stronger-communities-q4.docx",
) -> Path:
    """A Stronger Communities return: one action, one task per Status cell given (text or XML)."""
    rows = [
        tr(
            f"Task {n + 1}: run session {n + 1}",
            "March 09",
            f"Session {n + 1} planned",
            cell if cell.startswith("<") else tc(p(cell)),
            f"Hold session {n + 1} by June 09",
        )
        for n, cell in enumerate(statuses)
    ]
    body = (
        p("Stronger Communities Group")
        + p("Outcome 2.1 – Communities live, work and play in peace and harmony")
        + p("Ref: 2.1a")
        + p("Action: Take action to increase community cohesion")
        + before
        + tbl(tr(*HEAD), *rows, *([footer] if footer else []), grid=5)
        + after
    )
    return build_docx(tmp_path / name, body)


def _statuses(gallery_tasks: list) -> list[Status | None]:  # type: ignore[type-arg]
    return [t.status for t in gallery_tasks]


def test_status_words_beyond_the_four(tmp_path: Path) -> None:
    words = [
        "On track",
        "Some slippage",
        "Slipping",
        "At risk",
        "Behind",
        "Off track",
        "Not started",
        "Complete",
        "Completed",
        "Closed",
        "Delivered",
        "Done",
    ]
    gallery = run(tmp_path, _return(tmp_path, words))
    assert _statuses(gallery.tasks) == [G, A, A, A, A, R, A, ACH, ACH, ACH, ACH, ACH]
    assert [t.status_text for t in gallery.tasks] == words
    assert not gallery.issues("unknown-status")
    assert len(gallery.exceptions_sheet) == 6


def test_ambiguous_status_words_are_queried_not_guessed(tmp_path: Path) -> None:
    gallery = run(tmp_path, _return(tmp_path, ["Ongoing", "In progress", "Amber"]))
    assert _statuses(gallery.tasks) == [None, None, A]
    queries = gallery.issues("ambiguous-status")
    assert [q.severity.value for q in queries] == ["query", "query"]
    assert queries[0].message.startswith("Status 'Ongoing' does not say whether the task is on track")
    assert queries[0].place.describe() == "table 1, row 2, column 4"
    assert not gallery.issues("unknown-status")


def test_register_status_words_extend_the_vocabulary(tmp_path: Path) -> None:
    text = (Path(__file__).parent.parent / "pipeline" / "register.toml").read_text()
    text = text.replace(
        "[status_words]", '[status_words]\n"Stalled" = "Red"\n"Blue" = "Achieved"\n"On track" = "Query"'
    )
    (tmp_path / "register.toml").write_text(text)
    register = load_register(tmp_path / "register.toml")
    gallery = run(
        tmp_path, _return(tmp_path, ["Stalled", "Blue", "On track", "Going well"]), register=register
    )
    assert _statuses(gallery.tasks) == [R, ACH, None, G]
    assert [i.code for i in gallery.issues("ambiguous-status")] == ["ambiguous-status"]


def test_letters_and_split_statuses_take_the_worst(tmp_path: Path) -> None:
    written = ["G", "A/G", "G/A", "Amber/Red", "R / A", "(A)"]
    gallery = run(tmp_path, _return(tmp_path, written))
    assert _statuses(gallery.tasks) == [G, A, A, R, R, A]
    assert [t.status_text for t in gallery.tasks] == written, "the original kept in Status detail"
    assert len(gallery.issues("several-statuses")) == 4


def test_key_in_a_footer_row_decides_the_words_and_is_not_a_task(tmp_path: Path) -> None:
    footer = tr(tc(p("Key: Green – progressing well; Amber – some concerns; Red – serious concerns"), span=5))
    gallery = run(
        tmp_path, _return(tmp_path, ["Serious concerns", "Some concerns", "Progressing well"], footer=footer)
    )
    assert _statuses(gallery.tasks) == [R, A, G]
    assert len(gallery.tasks) == 3 and all("Key" not in t.notes for t in gallery.tasks)
    (key,) = gallery.issues("status-key")
    assert "Red – serious concerns" in key.message
    assert [r["Status"] for r in gallery.exceptions_sheet] == ["Red", "Amber"]


def test_key_in_a_paragraph_gives_a_colour_its_meaning(tmp_path: Path) -> None:
    after = p("Key: Blue = completed, Green = on track, Amber = slipping, Red = not started")
    gallery = run(tmp_path, _return(tmp_path, ["Blue", "Not started", "Slipping"], after=after))
    # The return's own key wins over the built-in vocabulary: its "not started" is Red.
    assert _statuses(gallery.tasks) == [ACH, R, A]
    assert not any("Key" in t.notes for t in gallery.tasks)


def test_key_in_a_small_table_is_read_and_never_a_task(tmp_path: Path) -> None:
    key = p("Key") + tbl(
        tr("Green", "On schedule"), tr("Amber", "Minor delay"), tr("Red", "Major delay"), grid=2
    )
    gallery = run(tmp_path, _return(tmp_path, ["Major delay", "Minor delay"], before=key))
    assert _statuses(gallery.tasks) == [R, A]
    assert not gallery.issues("unmapped-table")
    assert gallery.result.reconciliation.balanced


@pytest.mark.parametrize(
    ("cell", "status", "code"),
    [
        (tc(p("🔴")), R, "status-from-symbol"),
        (tc(p("🟠")), A, "status-from-symbol"),
        (tc(p("🟡")), A, "status-from-symbol"),
        (tc(p("🟢")), G, "status-from-symbol"),
        (tc(p("✓")), ACH, "status-from-symbol"),
        (tc(p("✔")), ACH, "status-from-symbol"),
        (tc(p(r("●", props='<w:color w:val="FF0000"/>'))), R, "status-from-text-colour"),
        (tc(p(r("■", props='<w:color w:val="E36C0A"/>'))), A, "status-from-text-colour"),
        (tc(p(r("◉", props='<w:color w:val="00B050"/>'))), G, "status-from-text-colour"),
        (tc(p(r("●")), fill="C00000"), R, "status-from-text-colour"),
        (
            tc(p(AMBER_WINGDINGS_DOT)),
            A,
            "status-from-text-colour",
        ),
        (tc(p('<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>')), ACH, "status-from-symbol"),
        (
            tc(p(r("n", props='<w:rFonts w:ascii="Webdings" w:hAnsi="Webdings"/><w:color w:val="C00000"/>'))),
            R,
            "status-from-text-colour",
        ),
        # A symbol font alone, no colour: the cell's look is still read (its ✓ is drawn).
        (tc(p(r("a", props='<w:rFonts w:ascii="Webdings" w:hAnsi="Webdings"/>'))), ACH,
         "status-from-symbol"),
        (tc(p(""), fill="FFC7CE"), R, "status-from-colour"),
        (tc(p(""), fill="996600"), A, "status-from-colour"),
    ],
    ids=[
        "emoji-red",
        "emoji-orange",
        "emoji-yellow",
        "emoji-green",
        "tick",
        "heavy-tick",
        "red-dot",
        "dark-amber-square",
        "green-fisheye",
        "dot-on-dark-red-fill",
        "wingdings-dot-in-amber",
        "wingdings-tick",
        "webdings-n-in-red",
        "webdings-a-tick",
        "pale-red-fill",
        "dark-amber-fill",
    ],
)
def test_symbol_and_colour_statuses_are_read_and_warned(
    tmp_path: Path, cell: str, status: Status, code: str
) -> None:
    gallery = run(tmp_path, _return(tmp_path, [cell]))
    (task,) = gallery.tasks
    assert task.status is status
    assert task.target == "March 09" and task.position == "Session 1 planned"
    (warning,) = gallery.issues(code)
    assert warning.place.describe() == "table 1, row 2, column 4"
    assert not gallery.issues("unknown-status")


def test_exceptions_reach_both_outputs_whatever_the_wording(tmp_path: Path) -> None:
    gallery = run(tmp_path, _return(tmp_path, ["Off track", "🔴", "A/G", "At risk", "On track", "Done"]))
    assert [r["Status"] for r in gallery.exceptions_sheet] == ["Red", "Red", "Amber", "Amber"]
    for n in (1, 2, 3, 4):
        assert f"Task {n}: run session {n}" in gallery.report_text
    assert "Task 5: run session 5" not in gallery.report_text


def test_the_built_in_register_reads_its_own_status_words() -> None:
    assert REGISTER.vocabulary.words["going well"] is G
    assert REGISTER.vocabulary.words["ongoing"] is None


def test_a_status_word_with_no_status_is_refused_naming_its_line(tmp_path: Path) -> None:
    text = (Path(__file__).parent.parent / "pipeline" / "register.toml").read_text()
    (tmp_path / "register.toml").write_text(text.replace('"Going well" = "Green"', '"Going well" = "Purple"'))
    with pytest.raises(RegisterError, match=r"line \d+: 'Going well' in \[status_words\]"):
        load_register(tmp_path / "register.toml")


def _swatch_row(fill: str, words: str) -> str:
    return tr(tc(p(""), fill=fill), words)


def test_key_of_coloured_swatches_after_a_key_label_decides_the_words(tmp_path: Path) -> None:
    key = p("Key:") + tbl(
        _swatch_row("00B050", "Progressing well"), _swatch_row("0070C0", "Completed"),
        _swatch_row("FFC000", "Minor concerns"), _swatch_row("FF0000", "Major concerns"), grid=2)
    gallery = run(tmp_path, _return(tmp_path, ["Major concerns", "Minor concerns", "Progressing well"],
                                    after=key))
    assert _statuses(gallery.tasks) == [R, A, G]
    assert len(gallery.tasks) == 3 and not gallery.issues("unmapped-table")
    (used,) = gallery.issues("status-key")
    assert "Green – Progressing well; Blue – Completed; Amber – Minor" in used.message
    assert not gallery.issues("unknown-status") and not gallery.issues("ambiguous-status")
    assert [r["Status"] for r in gallery.exceptions_sheet] == ["Red", "Amber"]


def test_a_table_of_swatches_alone_is_a_key_and_never_tasks(tmp_path: Path) -> None:
    key = tbl(_swatch_row("C00000", "Stalled"), _swatch_row("FFC7CE", "Needs a push"),
              _swatch_row("92D050", "Fine"), grid=2)
    gallery = run(tmp_path, _return(tmp_path, ["Stalled", "Needs a push", "Fine"], before=key))
    assert _statuses(gallery.tasks) == [R, R, G]
    assert [t.task for t in gallery.tasks] == [f"Task {n}: run session {n}" for n in (1, 2, 3)]
    assert gallery.result.reconciliation.balanced


def test_a_task_and_its_shaded_status_are_not_taken_for_a_key(tmp_path: Path) -> None:
    body = p("Stronger Communities Group") + p("Ref: 2.1a") + p("Action: Take action") + tbl(
        tr("Tasks", "Status"), tr("Run session 1", tc(p(""), fill="FF0000")),
        tr("Run session 2", tc(p(""), fill="00B050")), grid=2)
    gallery = run(tmp_path, build_docx(tmp_path / "stronger-communities-q4.docx", body))
    assert [(t.task, t.status) for t in gallery.tasks] == [("Run session 1", R), ("Run session 2", G)]
    assert not gallery.issues("status-key")
