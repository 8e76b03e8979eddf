"""The generated docs match the code they are generated from."""

from pathlib import Path

from pipeline.catalogue_doc import catalogue_markdown
from pipeline.issues import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent


def test_issue_catalogue_doc_is_up_to_date() -> None:
    assert (ROOT / "docs" / "issues.md").read_text(encoding="utf-8") == catalogue_markdown(), (
        "docs/issues.md is out of date: run `uv run python -m pipeline.catalogue_doc > docs/issues.md`")


def test_every_catalogue_entry_has_a_title_message_and_advice() -> None:
    for code, kind in CATALOGUE.items():
        assert kind.code == code
        assert kind.title and kind.template and kind.advice, code
        assert kind.template.rstrip().endswith((".", ")")), code
