"""Small readings of the partnership's wording: outcome headings, Refs, dates and deadlines."""

from __future__ import annotations

import datetime as dt
import re

_OUTCOME_RE = re.compile(
    r"^\s*outcome\s*:?\s*(\d{1,2})\s*[.:]\s*(\d{1,2})(?!\d)\s*[:.\-–]?\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_REF_OUTCOME_RE = re.compile(r"^\s*(\d{1,2})\s*[.:]\s*(\d{1,2})(?!\d)")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")]
    )
    for m in names
}
_DATE_WORDS_RE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")\.?,?\s+(\d{4}|\d{2})\b",
    re.IGNORECASE,
)
_DATE_NUMERIC_RE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b")
_DATE_ISO_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DEADLINE_RE = re.compile(
    # "may" and "mar" are ordinary words too: only with a day or year next to them.
    r"\b(" + "|".join(sorted(set(_MONTHS) - {"may", "mar"}, key=len, reverse=True)) + r")\b"
    r"|\b(may|mar)\s+['’]?\d|\d\s+(may|mar)\b"
    r"|\b(spring|summer|autumn|winter|christmas|easter|year[- ]end|end of (the )?(year|quarter))\b"
    r"|\b(19|20)\d\d\b|['’]\d\d\b|\bq[1-4]\b|\bquarter\b"
    r"|\bby (the )?(next|end|early|mid|late|\d)|\bnext (meeting|mtg|month|week|quarter)\b"
    r"|\bw/?c\b|\bweek\b|\bdeadline\b|\bwithin \d+|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}",
    re.IGNORECASE,
)


def parse_outcome(text: str) -> tuple[str, str] | None:
    """An outcome heading as (number, title): 'Outcome: 2:1 Communities…' gives ('2.1', 'Communities…')."""
    match = _OUTCOME_RE.match(text)
    if not match:
        return None
    title = " ".join(match.group(3).split())
    # The planning template's "Outcome 2.1: 1 Communities…" carries a stray list number.
    title = re.sub(r"^\d\s+(?=[A-Z])", "", title)
    return f"{int(match.group(1))}.{int(match.group(2))}", title


def ref_outcome(ref: str) -> str:
    """The outcome a Ref sits under: '2.3b' and '3.4d (i &ii)' give '2.3' and '3.4'; '' if none."""
    match = _REF_OUTCOME_RE.match(ref)
    return f"{int(match.group(1))}.{int(match.group(2))}" if match else ""


def says_by_when(text: str) -> bool:
    """True when a planned improvement names a time: a month, a season, a year, 'next meeting'…"""
    return bool(_DEADLINE_RE.search(text))


def parse_date(text: str) -> dt.date | None:
    """The first date written in a text: '4th September 2008', '31/03/2009', '2009-03-31'."""
    for pattern, order in ((_DATE_ISO_RE, "ymd"), (_DATE_WORDS_RE, "dMy"), (_DATE_NUMERIC_RE, "dmy")):
        match = pattern.search(text)
        if not match:
            continue
        a, b, c = match.groups()
        try:
            if order == "ymd":
                return dt.date(int(a), int(b), int(c))
            year = int(c) if len(c) == 4 else 2000 + int(c)
            month = _MONTHS[b.lower()] if order == "dMy" else int(b)
            return dt.date(year, month, int(a))
        except (ValueError, KeyError):
            continue
    return None


def clean_label(text: str, label: str) -> str:
    """The text after a label such as 'Ref:' or 'Action:', or '' when the text has only the label."""
    match = re.match(rf"^\s*{label}\s*:?\s*", text, re.IGNORECASE)
    return text[match.end():].strip() if match else text.strip()


_HTML_BLOCK_RE = re.compile(r"</?(p|div|ul|ol|li|br|tr|table|h[1-6])\b[^<>]*?/?>", re.IGNORECASE)
_HTML_INLINE_RE = re.compile(r"</?(span|b|i|u|em|strong|font|a|td|th|tbody|thead)\b[^<>]*?>", re.IGNORECASE)
_HTML_ENTITIES = {"&nbsp;": "\u00a0", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"}


def strip_stray_html(text: str) -> str:
    """Text pasted from a web page with its tags ('<p>…</p>', '<ul style=…><li>'): the words, one
    paragraph or list item a line. Text without tags is returned unchanged."""
    if "<" not in text or not (_HTML_BLOCK_RE.search(text) or _HTML_INLINE_RE.search(text)):
        return text
    text = _HTML_INLINE_RE.sub("", _HTML_BLOCK_RE.sub("\n", text))
    for entity, char in _HTML_ENTITIES.items():
        text = text.replace(entity, char)
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
