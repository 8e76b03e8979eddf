"""The shared strings of a plain part, read from its bytes (`xlsx_fast._plain_shared_strings`),
are exactly those parsing the part gives (`_parsed_shared_strings`); any other part is left to
the parser, which reads it or rejects the file."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.issues import FileRejected
from pipeline.readers.xlsx_fast import _parsed_shared_strings, _plain_shared_strings

_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ROOT = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}"'
         ' uniqueCount="{n}">')


def _part(*items: str, declaration: str = _DECLARATION, root: str = _ROOT) -> bytes:
    return (declaration + root.format(n=len(items)) + "".join(items) + "</sst>").encode()


def _plain(text: str) -> str:
    return f"<si><t>{text}</t></si>"


def _kept(text: str) -> str:
    return f'<si><t xml:space="preserve">{text}</t></si>'


def _parsed(data: bytes) -> list[str] | None:
    try:
        return _parsed_shared_strings(data, "xl/sharedStrings.xml")
    except FileRejected:
        return None


#: Parts read from their bytes: what parsing gives is checked, not written out here.
PLAIN = [
    pytest.param(_part(_plain("Tasks"), _kept(" Target "), _plain("")), id="plain-kept-empty"),
    pytest.param(_part(), id="no-strings"),
    pytest.param(_part(_plain("A &amp; B &lt;C&gt; &quot;d&quot; &apos;e&apos;")), id="entities"),
    pytest.param(_part(_plain("tab&#9;cr&#13;lf&#10;&#x263A;&#128512;")), id="character-refs"),
    pytest.param(_part(_plain("one\r\ntwo\rthree\nfour")), id="line-ends"),
    pytest.param(_part(_plain("a_x005F_x000D_b _x000D_")), id="escapes"),
    # "&amp;" the only reference: replaced in the part's bytes at once.
    pytest.param(_part(_plain("R&amp;D – “a”"), _kept(" &amp;amp; "), _plain("none"),
                       _plain("&amp;&amp;")), id="only-amp"),
    pytest.param(_part(_plain("a &amp; b\r\nc"), _plain("x005F&amp;_ _x005F_x000D_")),
                 id="only-amp-line-ends-escapes"),
    pytest.param(_part(_plain("a &amp; b"), _plain("&#120;005F_ &amp;")), id="amp-and-others"),
    pytest.param(_part(_plain("café – ☺ 𝄞 >")), id="unicode"),
    pytest.param(_part(_plain("x"), declaration=""), id="no-declaration"),
    pytest.param(_part(_plain("x"), root='<sst xmlns="http://schemas.openxmlformats.org/'
                                         'spreadsheetml/2006/main">'), id="no-counts"),
    pytest.param(_part(_plain("x")) + b"\r\n", id="line-after-root"),
    # "]" and bytes that start U+FFFE's, but no "]]>" and no U+FFFE (each looked at, or past
    # the few looked at one by one, looked for).
    pytest.param(_part(_plain("[1] a]] b ]>"), _kept("\uf000 \uefbf ]")), id="near-cdata-end"),
    pytest.param(_part(*[_plain("]]] ]] \uf000") for _ in range(5)]), id="many-near-cdata-end"),
]

#: Parts the parser reads (or refuses): none may be read from its bytes.
OTHER = [
    pytest.param(_part("<si><r><t>Red</t></r><r><t>Amber</t></r></si>"), id="rich-text"),
    pytest.param(_part('<si><t>Ref</t><rPh sb="0" eb="1"><t>x</t></rPh></si>'), id="phonetic"),
    pytest.param(_part("<si><t/></si>"), id="empty-element"),
    pytest.param(_part(_plain("a"), "\n", _plain("b")), id="whitespace-between"),
    pytest.param(_part("<si> <t>a</t></si>"), id="whitespace-inside"),
    pytest.param(_part(_plain("a &nbsp; b")), id="undefined-entity"),
    pytest.param(_part(_plain("a & b")), id="bare-ampersand"),
    pytest.param(_part(_plain("a &#1; b")), id="control-character-ref"),
    pytest.param(_part(_plain("a &#xFFFE; b")), id="non-character-ref"),
    pytest.param(_part(_plain("a \x01 b")), id="control-character"),
    pytest.param(_part(_plain("a \ufffe b")), id="non-character"),
    pytest.param(_part(_plain("a ]]> b")), id="cdata-end"),
    pytest.param(_part(_plain("]" * 9 + "a ]]> b")), id="cdata-end-after-brackets"),
    pytest.param(_part(_plain("] ] ]"), _plain("\uf000" * 9 + "\ufffe")), id="non-character-after-ef"),
    pytest.param(_part(_plain("<![CDATA[x]]>")), id="cdata"),
    pytest.param(_part(_plain("a<!-- c -->b")), id="comment"),
    pytest.param(_part(_plain("a")) + b"<!-- c -->", id="comment-after-root"),
    pytest.param(_part(_plain("a")).replace(b"UTF-8", b"UTF-16"), id="other-encoding"),
    pytest.param(b"\xef\xbb\xbf" + _part(_plain("a")), id="byte-order-mark"),
    pytest.param(_part(_plain("a")).replace(b'uniqueCount="1"', b'count="1"'), id="repeated-count"),
    pytest.param(_part(_plain("a")).replace(b"<sst ", b'<sst xmlns:x="urn:x" '), id="other-attribute"),
    pytest.param(_part(_plain("a")).replace(b"2006/main", b"2006/other"), id="other-namespace"),
    pytest.param(_part(_plain("a \ufffd b")), id="near-non-character"),
    pytest.param(_part(_plain("a &#x1F; b")), id="control-character-hex-ref"),
    pytest.param(_part(_plain("a")).replace(b"</sst>", b"</sst><x/>"), id="after-root"),
    pytest.param(_part(_plain("a")).replace(b"</sst>", b""), id="unclosed"),
    pytest.param(_part(_plain("caf")).replace(b"caf", b"caf\xe9"), id="not-utf-8"),
    pytest.param(_part('<si><t a="1">a</t></si>'), id="attribute-on-text"),
    pytest.param(_part("<si><t>a</t></si>trailing"), id="text-after-strings"),
]


@pytest.mark.parametrize("data", PLAIN)
def test_plain_part_read_from_its_bytes_as_parsed(data: bytes) -> None:
    plain = _plain_shared_strings(data)
    assert plain is not None
    assert plain == _parsed(data)


@pytest.mark.parametrize("data", OTHER)
def test_other_part_left_to_the_parser(data: bytes) -> None:
    assert _plain_shared_strings(data) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=6), st.booleans())
def test_written_strings_read_alike(texts: list[str], kept: bool) -> None:
    """Any text a writer escapes as XML: read from the bytes or left to the parser, never read
    otherwise; a part the parser refuses is never read from its bytes."""
    data = _part(*((_kept if kept else _plain)(escape(text)) for text in texts))
    plain, parsed = _plain_shared_strings(data), _parsed(data)
    if parsed is None:
        assert plain is None
    elif plain is not None:
        assert plain == parsed
