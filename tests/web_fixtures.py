"""Shared pieces of the web tests: a session's settings over a temporary inbox, and real returns."""

from __future__ import annotations

from pathlib import Path

from pipeline.web.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "inbox"
#: Two real returns from the shipped inbox: a Word return with queries, an Excel one.
WORD_RETURN = SHIPPED / "cdrp-progress-2008-09-Q4.docx"
EXCEL_RETURN = SHIPPED / "economic-development-progress-2008-09-Q4.xlsx"


def session_settings(tmp_path: Path, **changes: object) -> Settings:
    """A session over an empty inbox and output folder in tmp_path."""
    inbox = tmp_path / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    settings = Settings(inbox=inbox, out=tmp_path / "outputs", allowed_hosts=frozenset({"testserver"}))
    for name, value in changes.items():
        setattr(settings, name, value)
    return settings


def this_quarters_return() -> bytes:
    """The children's group's Q4 2008/09 return dated at the end of June 2009: a Q1 2009/10 return."""
    import io

    from docx import Document
    from docx_factory import table_runs

    doc = Document(str(SHIPPED / "cypag-progress-2008-09-Q4.docx"))
    for run in table_runs(doc):
        run.text = run.text.replace("31st March 2009", "30th June 2009")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
