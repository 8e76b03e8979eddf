"""The problem catalogue as Markdown, so the docs are made from the same place as the messages."""

from __future__ import annotations

from pipeline.issues import CATALOGUE, Severity

_MEANING = {
    Severity.ERROR: "must be corrected by the group",
    Severity.QUERY: "must be corrected or explained",
    Severity.WARNING: "for information",
}


def catalogue_markdown() -> str:
    """Every problem the pipeline reports: code, severity, title, message and advice."""
    lines = [
        "# Problems the pipeline reports",
        "",
        "Generated from `pipeline/issues.py` by `uv run python -m pipeline.catalogue_doc > docs/issues.md`;",
        "a test checks that this file is up to date.",
        "",
        "Severities: " + "; ".join(f"**{s.value}** {m}" for s, m in _MEANING.items()) + ".",
        "A problem never drops a row: rows with problems still reach the master workbook.",
        "Problems marked *rejects the file* mean the file could not be read at all.",
        "",
        "| Code | Severity | Problem | Message | What to do |",
        "| --- | --- | --- | --- | --- |",
    ]
    for kind in sorted(CATALOGUE.values(), key=lambda k: (list(Severity).index(k.severity), k.code)):
        title = kind.title + (" (*rejects the file*)" if kind.rejects_file else "")
        lines.append(f"| `{kind.code}` | {kind.severity.value} | {title} | {_cell(kind.template)} | "
                     f"{_cell(kind.advice)} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("{", "‹").replace("}", "›")


if __name__ == "__main__":
    print(catalogue_markdown(), end="")
