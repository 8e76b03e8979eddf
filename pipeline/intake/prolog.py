"""Reading the prolog of an XML part (what precedes its first element) to refuse any DOCTYPE.

A byte search for ``<!DOCTYPE`` is not enough: the same declaration in UTF-16, UTF-32, EBCDIC
or UTF-7 has other bytes, and libxml2 (lxml) reads all of those. So the text is decoded the way
an XML parser would decode it, and anything other than UTF-8, UTF-16 or a single-byte
ASCII-based encoding is refused outright: Office never writes anything else.
"""

from __future__ import annotations

import codecs
import re
from typing import IO

from pipeline.issues import FileRejected

_CHUNK = 64 * 1024
#: Office writes a prolog of about 60 bytes; this much before the first element is no return.
_MAX_PROLOG_CHARS = 1024 * 1024

_UCS4_SIGNATURES = (
    b"\x00\x00\x00\x3c", b"\x3c\x00\x00\x00", b"\x00\x00\x3c\x00", b"\x00\x3c\x00\x00",
    b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xff\xfe", b"\xfe\xff\x00\x00",
)
_EBCDIC_SIGNATURE = b"\x4c\x6f\xa7\x94"  # "<?xm"
#: Encodings a declaration may name, by how the bytes were first decoded: an ASCII-based one
#: must stay ASCII-based (libxml2 would otherwise switch to it mid-stream), UTF-16 must stay so.
_ASCII_BASED = re.compile(
    r"utf-?8|(us-)?ascii|latin-?1|iso[-_]?8859-\d{1,2}|(windows|cp)-?125\d", re.IGNORECASE
)
_UTF16 = re.compile(r"utf-?16(le|be)?", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(r"""encoding\s*=\s*["']([^"']*)["']""")
_SPACE = " \t\r\n"


#: The prologs Office and the libraries write (or none), in UTF-8, straight before the first
#: element: what `check_prolog` accepts, recognised in one match.
_PLAIN_PROLOG = re.compile(
    rb"""(?:<\?xml[ \t\r\n]+version=["']1\.0["'](?:[ \t\r\n]+encoding=["'](?i:utf-8)["'])?"""
    rb"""(?:[ \t\r\n]+standalone=["'](?:yes|no)["'])?[ \t\r\n]*\?>)?[ \t\r\n]*<[A-Za-z_]""")


#: How much of a part is inflated to recognise the usual prolog: Office's is about 60 bytes.
HEAD_BYTES = 256


def is_plain_prolog(head: bytes) -> bool:
    """True when a part's first `HEAD_BYTES` bytes start with a prolog Office or a library
    writes, which declares no DOCTYPE: accepted at a glance."""
    return _PLAIN_PROLOG.match(head) is not None


def check_prolog(part: IO[bytes], name: str) -> None:
    """Raise FileRejected("unsafe-content") if this part's prolog declares a DOCTYPE or entities.

    Only the part's first bytes are inflated when its prolog is the usual one, which is
    accepted at a glance; any other is decoded as a parser would (`check_decoded_prolog`).
    """
    head = part.read(HEAD_BYTES)
    if not is_plain_prolog(head):
        check_decoded_prolog(head, part, name)


def check_decoded_prolog(head: bytes, rest: IO[bytes], name: str) -> None:
    """The prolog's full check: the part's bytes (``head``, then ``rest``) decoded as an XML
    parser decodes them, up to the first element.

    Parts that do not begin like XML (pictures, a VBA project) are let through: an XML parser
    given one fails at its first byte.
    """
    if len(head) < 4:
        head += rest.read(4 - len(head))
    encoding = _detect_encoding(head[:4], name)
    if encoding is None:
        return
    allowed = _UTF16 if encoding.startswith("utf-16") else _ASCII_BASED
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(head)
    eof = False
    while True:
        verdict = _scan(text, name, allowed)
        if verdict is not None or eof:
            return
        if len(text) > _MAX_PROLOG_CHARS:
            raise FileRejected("unsafe-content", reason=f"its part {name} has over a megabyte "
                               "before its first element")
        chunk = rest.read(_CHUNK)
        eof = not chunk
        text += decoder.decode(chunk, final=eof)


def _detect_encoding(first: bytes, name: str) -> str | None:
    """The codec an XML parser would start with, as libxml2 guesses it from the first bytes."""
    if first.startswith(_UCS4_SIGNATURES) or first.startswith(_EBCDIC_SIGNATURE):
        raise _unusual(name)
    if first.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # the codec reads the BOM and drops it
    if len(first) == 4 and first[0] == 0x3C and first[1] == 0 and first[3] == 0:
        return "utf-16-le"
    if len(first) == 4 and first[0] == 0 and first[1] == 0x3C and first[2] == 0:
        return "utf-16-be"
    if first[:1] == b"<" or (first[:1] and first[:1] in _SPACE.encode()):
        return "utf-8"
    return None


def _scan(text: str, name: str, allowed: re.Pattern[str]) -> bool | None:
    """True once the first element is reached; None while more text is needed."""
    pos = 1 if text.startswith("\ufeff") else 0
    if text.startswith("<?xml", pos):
        end = text.find("?>", pos)
        if end < 0:
            return None
        declared = _DECLARED_ENCODING.search(text, pos, end)
        if declared and not allowed.fullmatch(declared.group(1).strip()):
            raise _unusual(name, declared.group(1))
        pos = end + 2
    while True:
        while pos < len(text) and text[pos] in _SPACE:
            pos += 1
        if pos >= len(text):
            return None
        if text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            if end < 0:
                return None
            pos = end + 3
        elif text.startswith("<?", pos):
            end = text.find("?>", pos + 2)
            if end < 0:
                return None
            pos = end + 2
        elif text.startswith("<!", pos):
            if "<!--".startswith(text[pos:]):
                return None  # may yet turn out to be a comment
            # Only a DOCTYPE (with its entities) may start "<!" here: refuse it however spelt.
            raise FileRejected("unsafe-content", reason=f"its part {name} declares a DOCTYPE "
                               "or entities")
        elif text[pos:] == "<":
            return None
        else:
            # The first element (or garbage, which the parser will refuse): the prolog is over.
            return True


def _unusual(name: str, encoding: str = "") -> FileRejected:
    what = f"an unusual text encoding ({encoding})" if encoding else "an unusual text encoding"
    return FileRejected("unsafe-content", reason=f"its part {name} uses {what}")
