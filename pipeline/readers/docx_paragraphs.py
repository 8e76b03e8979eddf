"""A Word paragraph's text as a person sees it, with its unaccepted tracked changes.

Walks the paragraph's XML directly rather than through python-docx, which drops inserted
text, content controls, fields and symbols (see shared/LIBRARY-NOTES.md).
"""

from __future__ import annotations

from typing import NamedTuple

from lxml import etree

from pipeline.document import TrackedChange
from pipeline.readers.docx_numbering import Numbering
from pipeline.readers.docx_plain import PAGE_BREAKS, clean_text, compose_lines, scan_plain
from pipeline.readers.docx_symbols import symbol_text
from pipeline.readers.docx_xml import (
    ALTERNATE_CONTENT,
    AUTHOR,
    BR,
    CR,
    DATE,
    DEL,
    DEL_TEXT,
    DRAWING,
    DSTRIKE,
    INLINE_WRAPPERS,
    INS,
    M_T,
    MC_CHOICE,
    MC_FALLBACK,
    MOVE_FROM,
    MOVE_TO,
    NO_BREAK_HYPHEN,
    OMATH,
    OMATH_PARA,
    PICT,
    PPR,
    PTAB,
    RPR,
    RUBY,
    RUBY_BASE,
    SDT,
    SDT_CONTENT,
    STRIKE,
    SYM,
    TAB,
    TXBX_CONTENT,
    TYPE,
    VANISH,
    P,
    R,
    T,
    is_on,
    showing_placeholder,
)


class ParagraphText(NamedTuple):
    """What one paragraph shows: its lines, its tracked changes, and whether a control held text."""

    lines: list[str]
    changes: list[TrackedChange]
    control: bool
    struck: list[str] = []
    """Text struck through by hand (strike formatting): crossed out, so not in the lines."""
    hidden: list[str] = []
    """Hidden text (``w:vanish``): not shown, so not in the lines, but said."""
    styled: bool = True
    """It may have a paragraph style: False when its scan found no ``w:pStyle`` (nor list) in
    its ``w:pPr``, so that its style need not be looked up."""


class _Walk:
    """Collects a paragraph's visible text in order, recording tracked changes on the way."""

    __slots__ = ("out", "changes", "control", "_change_end", "struck", "hidden")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.changes: list[TrackedChange] = []
        self.control = False
        self._change_end = -1
        self.struck: list[str] = []
        self.hidden: list[str] = []

    def content(self, parent: etree._Element) -> None:
        for child in parent:
            tag = child.tag
            if tag == R:
                self.run(child)
            elif tag in INLINE_WRAPPERS:
                self.content(child)
            elif tag == INS or tag == MOVE_TO:
                start = len(self.out)
                self.content(child)
                self.record("insert", "".join(self.out[start:]), child, start)
            elif tag == DEL or tag == MOVE_FROM:
                # Deleted and moved-away text is not shown once changes are accepted.
                self.record("delete", _removed_text(child), child, len(self.out))
            elif tag == SDT:
                self.control = True
                content = child.find(SDT_CONTENT)
                if content is not None and not showing_placeholder(child):
                    self.content(content)
            elif tag == OMATH or tag == OMATH_PARA:
                self.out.extend(t.text for t in child.iter(M_T) if t.text)
            # Everything else (bookmarks, comment marks, proofing marks, pictures) shows no text.

    def run(self, run: etree._Element) -> None:
        out = self.out
        for child in run:
            tag = child.tag
            if tag == T:
                text = child.text
                if text:
                    out.append(clean_text(text))
            elif tag == RPR:
                if is_on(child.find(VANISH)):
                    # Hidden text: rPr comes first, so nothing was collected yet. Not shown, so
                    # not read, but kept to be said.
                    hidden = "".join(t.text for t in run.iter(T) if t.text)
                    if hidden.strip():
                        self.hidden.append(hidden)
                    return
                if is_on(child.find(STRIKE)) or is_on(child.find(DSTRIKE)):
                    # Crossed out by hand: what the writer withdrew, kept apart from the text.
                    struck = "".join(clean_text(t.text) for t in run.iter(T) if t.text)
                    if struck.strip():
                        if self.struck and out and out[-1] == "":
                            self.struck[-1] += struck  # one crossing-out split over runs
                        else:
                            self.struck.append(struck)
                            out.append("")  # a mark, so adjacent struck runs join up
                    return
            elif tag in (ALTERNATE_CONTENT, DRAWING, PICT):
                self.text_boxes(child)
            elif tag == TAB or tag == PTAB:
                out.append("\t")
            elif tag == BR:
                out.append(" " if child.get(TYPE) in PAGE_BREAKS else "\n")
            elif tag == CR:
                out.append("\n")
            elif tag == SYM:
                out.append(symbol_text(child))
            elif tag == NO_BREAK_HYPHEN:
                out.append("\u2011")
            elif tag == RUBY:
                base = child.find(RUBY_BASE)
                if base is not None:
                    self.content(base)
            # w:instrText (field codes), w:softHyphen, w:fldChar and drawings add nothing.

    def text_boxes(self, element: etree._Element) -> None:
        """The text of the text boxes a drawing holds, once (Word saves each twice: as a
        drawing and as an old-style picture for older readers)."""
        if element.tag == ALTERNATE_CONTENT:
            chosen = next((c for c in element if c.tag == MC_CHOICE
                           and next(c.iter(TXBX_CONTENT), None) is not None),
                          None)
            if chosen is None:
                chosen = next((c for c in element if c.tag == MC_FALLBACK), None)
            if chosen is None:
                return
            element = chosen
        for box in element.iter(TXBX_CONTENT):
            if _nearest_box(box, element) is not None:
                continue  # a box inside a box: read through its outer box's paragraph
            for p in box.iter(P):
                if _nearest_box(p, element) is not box:
                    continue
                if self.out and not self.out[-1].endswith("\n"):
                    self.out.append("\n")
                self.content(p)
            self.out.append("\n")

    def record(self, kind: str, text: str, element: etree._Element, start: int) -> None:
        if not text:
            return
        author, date = element.get(AUTHOR, ""), element.get(DATE, "")
        last = self.changes[-1] if self.changes else None
        # Word splits one edit into several w:ins/w:del when formatting varies: rejoin them.
        if (last is not None and self._change_end == start and last.kind == kind
                and last.author == author and last.date == date):
            self.changes[-1] = TrackedChange(kind, last.text + text, author, date)
        else:
            self.changes.append(TrackedChange(kind, text, author, date))
        self._change_end = len(self.out)


def _nearest_box(element: etree._Element, within: etree._Element) -> etree._Element | None:
    """The nearest text box around an element, looking no further out than ``within``."""
    for ancestor in element.iterancestors():
        if ancestor is within:
            return None
        if ancestor.tag == TXBX_CONTENT:
            return ancestor
    return None


def _removed_text(element: etree._Element) -> str:
    parts: list[str] = []
    for child in element.iter(DEL_TEXT, T, TAB):
        if child.tag == TAB:
            parts.append("\t")
        elif child.text:
            parts.append(clean_text(child.text))
    return "".join(parts)


def read_paragraph(p: etree._Element, numbering: Numbering | None, blank: bool = False) -> ParagraphText:
    """One ``w:p`` as lines (split at line breaks), with its list label prefixed to the first."""
    if not blank:
        plain = scan_plain(p)
        if plain is not None:
            # The scan keeps a paragraph's w:pPr only when a w:pStyle or a list is in it.
            return ParagraphText(compose_lines(plain.paragraphs, numbering), [], False,
                                 styled=any(p_pr is not None for _, p_pr in plain.paragraphs))
    p_pr = p.find(PPR)
    label = numbering.label(p_pr) if numbering is not None and p_pr is not None else ""
    if blank:
        # Inside a control showing its placeholder: the paragraph is there, its value is empty.
        return ParagraphText([], [], True)
    walk = _Walk()
    walk.content(p)
    text = "".join(walk.out)
    if label and text.strip():
        text = label + text
    return ParagraphText(text.split("\n"), walk.changes, walk.control, walk.struck, walk.hidden)
