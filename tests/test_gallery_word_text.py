"""Gallery: Word text as the group sees it: crossed-out text, comments, text boxes, fields,
hyperlinks and smart tags, read once and in order from real .docx files."""

from __future__ import annotations

from pathlib import Path

from docx.document import Document
from docx_factory import build_docx, p, r, tbl, tc, tr
from gallery import HEAD, run

from pipeline.records import Status

STRIKE = "<w:strike/>"
TEXT_BOX_NS = (
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _text_box(text: str) -> str:
    """A text box as Word saves it: a drawing, and the same box again as a VML fallback."""
    box = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    return (
        f"<w:r><mc:AlternateContent {TEXT_BOX_NS}>"
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
        f"<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )


def _return(tmp_path: Path, *rows: str, make=None) -> Path:  # noqa: ANN001
    body = tbl(tr(*HEAD), *rows, grid=5)
    if make is None:
        body = p("Stronger Communities Group") + p("Ref: 2.1a") + p("Action: Take action") + body
    return build_docx(tmp_path / "stronger-communities-q4.docx", body, make=make)


def test_text_struck_through_is_left_out_kept_in_notes_and_warned(tmp_path: Path) -> None:
    row = tr(
        "Run a cohesion event",
        tc(p(r("June 08", props=STRIKE), r(" "), r("March 09"))),
        tc(p(r("Venue booked")), p(r("Speakers confirmed", props="<w:dstrike/>"))),
        tc(p(r("GREEN", props=STRIKE)), p(r("AMBER"))),
        "Confirm speakers by February 09",
    )
    gallery = run(tmp_path, _return(tmp_path, row))
    (task,) = gallery.tasks
    assert (task.target, task.position, task.status) == ("March 09", "Venue booked", Status.AMBER)
    assert task.notes == (
        "Struck through in Target: June 08\nStruck through in Position: Speakers confirmed\n"
        "Struck through in Status: GREEN"
    )
    warnings = gallery.issues("struck-through-text")
    assert [w.place.describe() for w in warnings] == [
        "table 1, row 2, column 2",
        "table 1, row 2, column 3",
        "table 1, row 2, column 4",
    ]
    assert warnings[0].message == (
        "In Target, 'June 08' is struck through: it was left out of the field and kept in Notes."
    )


def test_comments_are_not_part_of_the_text(tmp_path: Path) -> None:
    def make(document: Document) -> None:
        document.add_paragraph("Stronger Communities Group")
        document.add_paragraph("Ref: 2.1a")
        action = document.add_paragraph("Action: Take action to increase community cohesion")
        document.add_comment(action.runs, text="Is this still the right wording?", author="Di")

    row = tr("Run a cohesion event", "March 09", "Venue booked", "Green", "None needed")
    gallery = run(tmp_path, _return(tmp_path, row, make=make))
    (task,) = gallery.tasks
    assert task.action == "Take action to increase community cohesion"
    assert "wording" not in gallery.report_text and "wording" not in task.notes


def test_text_boxes_fields_hyperlinks_and_smart_tags_are_read_once_in_order(tmp_path: Path) -> None:
    complex_field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> DATE \\@ "dd/MM/yyyy" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>30/06/2009</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    row = tr(
        tc(
            p(
                r("Run an event in "),
                '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">'
                "<w:r><w:t>Gloucester</w:t></w:r></w:smartTag>",
            )
        ),
        tc(p('<w:fldSimple w:instr=" DATE "><w:r><w:t>March 09</w:t></w:r></w:fldSimple>')),
        tc(p(r("Venue booked"), _text_box("See the plan on the website"))),
        "Amber",
        tc(
            p(
                r("Details at "),
                '<w:hyperlink w:anchor="plan"><w:r><w:t>the plan</w:t></w:r></w:hyperlink>',
                r(", confirm by "),
                complex_field,
            )
        ),
    )
    gallery = run(tmp_path, _return(tmp_path, row))
    (task,) = gallery.tasks
    assert task.task == "Run an event in Gloucester"
    assert task.target == "March 09"
    assert task.position == "Venue booked\nSee the plan on the website"
    assert task.planned == "Details at the plan, confirm by 30/06/2009"


def test_word_row_marked_hidden_is_not_read_and_is_warned(tmp_path: Path) -> None:
    rows = (
        tr("Run a cohesion event", "March 09", "Venue booked", "Green", "None needed"),
        tr("Last quarter's task", "June 08", "Done", "Red", "Chase", trpr="<w:hidden/>"),
        tr("Train volunteers", "June 09", "Course found", "Amber", "Book it by May 09"),
    )
    gallery = run(tmp_path, _return(tmp_path, *rows))
    assert [t.task for t in gallery.tasks] == ["Run a cohesion event", "Train volunteers"]
    (hidden,) = gallery.issues("hidden-row")
    assert hidden.place.describe() == "table 1, row 3"
    assert hidden.message.startswith("Row 3 is hidden but holds text (column 1 'Last quarter's "
                                      "task', also columns 2, 3, 4, 5); it was not read")
    assert [r["Status"] for r in gallery.exceptions_sheet] == ["Amber"]
    assert gallery.result.reconciliation.balanced


def test_word_row_squeezed_to_no_height_is_a_hidden_row(tmp_path: Path) -> None:
    rows = (
        tr("Run a cohesion event", "March 09", "Venue booked", "Green", "None needed"),
        tr("Squeezed task", "June 08", "Done", "Red", "Chase",
           trpr='<w:trHeight w:val="0" w:hRule="exact"/>'),
        tr("Train volunteers", "June 09", "Course found", "Amber", "Book it by May 09",
           trpr='<w:trHeight w:val="400" w:hRule="exact"/>'),
    )
    gallery = run(tmp_path, _return(tmp_path, *rows))
    assert [t.task for t in gallery.tasks] == ["Run a cohesion event", "Train volunteers"]
    (hidden,) = gallery.issues("hidden-row")
    assert hidden.place.describe() == "table 1, row 3" and "'Squeezed task'" in hidden.message


def test_word_row_of_hidden_text_only_is_a_hidden_row(tmp_path: Path) -> None:
    hidden = [tc(p(r(text, hidden=True))) for text in
              ("An old task kept out of sight", "June 08", "Nothing done", "Red", "")]
    rows = (
        tr("Run a cohesion event", "March 09", "Venue booked", "Green", "None needed"),
        tr(*hidden),
    )
    gallery = run(tmp_path, _return(tmp_path, *rows))
    assert [t.task for t in gallery.tasks] == ["Run a cohesion event"]
    (warning,) = gallery.issues("hidden-row")
    assert warning.place.describe() == "table 1, row 3"
    assert "(column 1 'An old task kept out of sight', also columns 2, 3, 4)" in warning.message


def test_word_hidden_words_inside_a_shown_row_do_not_hide_the_row(tmp_path: Path) -> None:
    row = tr(tc(p(r("Run a cohesion event"), r(" (draft)", hidden=True))), "March 09",
             "Venue booked", "Green", "None needed")
    gallery = run(tmp_path, _return(tmp_path, row))
    assert [t.task for t in gallery.tasks] == ["Run a cohesion event"]
    assert not gallery.issues("hidden-row")
    (hidden,) = gallery.issues("hidden-text")
    assert hidden.place.describe() == "table 1, row 2, column 1"
    assert hidden.message == ("The text '(draft)' is formatted as hidden; it was not read as part "
                              "of the return.")


def test_word_hidden_status_and_hidden_paragraph_are_said(tmp_path: Path) -> None:
    row = tr("Run a cohesion event", "March 09", "Venue booked", tc(p(r("Red", hidden=True))),
             "None needed")
    body = (p("Stronger Communities Group") + p(r("Draft: not for circulation", hidden=True))
            + p("Ref: 2.1a") + p("Action: Take action") + tbl(tr(*HEAD), row, grid=5))
    gallery = run(tmp_path, build_docx(tmp_path / "stronger-communities-q4.docx", body))
    (task,) = gallery.tasks
    assert task.status is None
    assert [(i.place.describe(), i.message.split("'")[1]) for i in gallery.issues("hidden-text")] == [
        ("paragraph 2", "Draft: not for circulation"), ("table 1, row 2, column 4", "Red")]
    assert len(gallery.issues("missing-status")) == 1


def test_word_status_word_in_a_colour_that_disagrees_is_warned_and_the_word_wins(
        tmp_path: Path) -> None:
    rows = (
        tr("Run a cohesion event", "March 09", "Venue booked",
           tc(p(r("Green", props='<w:color w:val="FF0000"/>'))), "None needed"),
        tr("Train volunteers", "June 09", "Course found",
           tc(p(r("Red", props='<w:color w:val="C00000"/>'))), "Book it by May 09"),
        tr("Open the hub", "May 09", "Opened", tc(p(r("Achieved", props='<w:color w:val="00B050"/>'))),
           ""),
    )
    gallery = run(tmp_path, _return(tmp_path, *rows))
    assert [t.status for t in gallery.tasks] == [Status.GREEN, Status.RED, Status.ACHIEVED]
    (conflict,) = gallery.issues("status-ink-conflict")
    assert conflict.place.describe() == "table 1, row 2, column 4"
    assert conflict.message == ("The Status cell says 'Green' but is written in red; the word, "
                                "Green, is used.")


def test_word_status_drawn_in_several_colours_is_not_guessed(tmp_path: Path) -> None:
    row = tr("Run a cohesion event", "March 09", "Venue booked",
             tc(p(r("●", props='<w:color w:val="FF0000"/>'), r("●", props='<w:color w:val="00B050"/>'))),
             "None needed")
    gallery = run(tmp_path, _return(tmp_path, row))
    (task,) = gallery.tasks
    assert task.status is None
    (warning,) = gallery.issues("status-look-not-read")
    assert warning.message.startswith("The Status cell is shown by text in several colours only")
    assert not gallery.issues("status-from-text-colour")


def test_word_nested_table_in_a_cell_is_read_once_in_order(tmp_path: Path) -> None:
    nested = tbl(tr("Q3", "2 events"), tr("Q4", "3 events"), grid=2)
    row = tr("Run cohesion events", "March 09", tc(p("Events held:"), nested, p("On plan")),
             "Green", "None needed")
    gallery = run(tmp_path, _return(tmp_path, row))
    (task,) = gallery.tasks
    assert task.position == "Events held:\nQ3 | 2 events\nQ4 | 3 events\nOn plan"
    assert task.status is Status.GREEN and len(gallery.tasks_sheet) == 1
