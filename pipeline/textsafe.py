"""Text made safe once, where it enters: what Excel, Word, SQLite, e-mail and a console can carry.

A return's text may hold lone surrogates (openpyxl decodes ``_xD800_`` into one), control
characters, characters XML cannot hold, and bidirectional overrides that make a console or a
sheet show text in another order than it is. Cleaned once at intake, no later stage trips on it.
File names that cannot be decoded are shown escaped, never guessed.
"""

from __future__ import annotations

import re
from itertools import filterfalse

#: Bidirectional embeddings, overrides and isolates: they reorder what a person sees.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: What no output can carry: C0 controls other than tab, newline and carriage return, DEL and
#: the C1 controls, lone surrogates, the two non-characters XML forbids, and bidi controls.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff" + BIDI_CONTROLS + "]"
)
#: In a single-line name, tab/newline/carriage return are as unsafe as the rest.
_UNSAFE_IN_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff" + BIDI_CONTROLS + "]"
)


def safe_text(text: str) -> str:
    """Text any output can carry: unsafe characters dropped (a lone surrogate becomes U+FFFD).

    Tabs and line breaks are kept; a carriage return followed by a newline becomes a newline.
    """
    if not text or not _UNSAFE.search(text) and "\r" not in text:
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub(_replacement, text)


#: In UTF-8, the bytes that are unsafe characters on their own: C0 controls but tab and newline
#: (the carriage return included: `safe_text` changes it), and DEL.
_UNSAFE_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n") + b"\x7f"
#: A translation table changing each of `_UNSAFE_BYTES` (into a space) and no other byte: bytes
#: it leaves equal to themselves hold none. Mapping costs about two thirds of deleting them
#: (bytes.translate's table loop against its loop over the bytes to delete).
_UNSAFE_BYTES_CHANGED = bytes(0x20 if b in _UNSAFE_BYTES else b for b in range(256))
#: The bidirectional controls in UTF-8 (U+202A-U+202E, U+2066-U+2069): a lead byte is never
#: part of another character, so a match is one of them.
_BIDI_UTF8 = re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


def is_safe_text(text: str) -> bool:
    """True when `safe_text` leaves this text as it is (so also texts joined by newlines).

    Judged on the text's UTF-8 bytes, which C looks through at a few instructions a byte; the
    character class of `_UNSAFE` costs about forty a character, and intake judges every text of
    every return (a third of a million characters a hundred returns). Tested against
    `is_safe_text_by_class`, the plain definition.
    """
    try:
        data = text.encode()
    except UnicodeEncodeError:
        return False  # a lone surrogate, which UTF-8 cannot carry
    if data.translate(_UNSAFE_BYTES_CHANGED) != data:
        return False
    # C1 controls are C2 80-9F, the two non-characters EF BF BE/BF; each lead byte is looked
    # for first (memchr), as most texts have neither.
    if b"\xc2" in data and _C1_UTF8.search(data):
        return False
    if b"\xef" in data and (b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data):
        return False
    return _BIDI_UTF8.search(data) is None


#: `_UNSAFE_BYTES` as characters: the only unsafe characters an ASCII text can hold.
_UNSAFE_ASCII = tuple(map(chr, _UNSAFE_BYTES))


def are_safe_texts(texts: list[str]) -> bool:
    """True when `safe_text` leaves each of these texts as it is (as `is_safe_text` of them
    joined by newlines says).

    The ASCII texts (nine in ten of a return's characters) are joined and judged apart from the
    others. Joined with them, a single curly quote made every character two bytes wide, each
    then encoded to UTF-8 one at a time and searched by the regular expressions for lead bytes
    no ASCII text holds. Apart, each of the 31 characters of `_UNSAFE_ASCII` is looked for by
    memchr (about a tenth of an instruction a character, each), not by the translation table
    (about nine). The 120 bench returns' texts: 77.6 -> 56.4 M instructions for make_text_safe
    (callgrind, 2026-12-02).
    """
    ascii_texts = "\n".join(filter(str.isascii, texts))
    if any(map(ascii_texts.__contains__, _UNSAFE_ASCII)):
        return False
    return is_safe_text("\n".join(filterfalse(str.isascii, texts)))


def is_safe_text_by_class(text: str) -> bool:
    """`is_safe_text` by its definition: no carriage return, nothing `_UNSAFE` finds."""
    return "\r" not in text and not _UNSAFE.search(text)


def is_safe_line(text: str) -> bool:
    """True when `safe_line` leaves this name as it is (so also names joined by spaces)."""
    return not _UNSAFE_IN_LINE.search(text)


def safe_line(text: str) -> str:
    """A name shown on one line (a sheet's name, a table's caption): cleaned as `safe_text`, and
    tabs and line breaks become spaces, so it can neither split nor reorder the line it is in."""
    text = safe_text(text)
    return " ".join(text.split("\n")).replace("\t", " ") if "\n" in text or "\t" in text else text


def _replacement(match: re.Match[str]) -> str:
    return "\ufffd" if "\ud800" <= match.group() <= "\udfff" else ""


def shown_name(name: str) -> str:
    """A file name as it may be shown on one line: undecodable bytes and controls escaped.

    A name read from a disk that is not UTF-8 holds its bad bytes as surrogates (Python's
    ``surrogateescape``): they are shown as ``\\xff``; a newline as ``\\n``; a right-to-left
    override as ``\\u202e``. An ordinary name comes back unchanged.
    """
    if not _UNSAFE_IN_LINE.search(name):
        return name
    return _UNSAFE_IN_LINE.sub(_escape, name)


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if "\udc80" <= ch <= "\udcff":
        return f"\\x{ord(ch) - 0xDC00:02x}"
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if ch in named:
        return named[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"
