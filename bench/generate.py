"""Generate N realistic quarterly returns for the benchmark, half Word and half Excel.

    uv run python bench/generate.py FOLDER [-n 100] [--seed 1]

writes FOLDER/inbox/ (the returns) and FOLDER/register.toml; then, for instance,
``uv run pipeline consolidate --inbox FOLDER/inbox --register FOLDER/register.toml``.

Every return is one group's: 3 outcomes, each with one Ref/Action and 10 tasks, cells of one or
several lines, wording drawn from the seed documents (`samples.seed000`, `samples.green_tasks`).

- Word returns are in seed 001's layout, as `scripts/build_inbox.py` writes them: title and
  group paragraphs, then per outcome a summary table (label, Date, Thematic Sub-group,
  Contact, Green/Amber/Red/Total counts that agree with the tasks), a Ref/Action table and a
  five-column task table, notes after it.
- Excel returns are laid out like the sample EDCG return: one sheet per outcome, merged title,
  Outcome, Ref and Action rows, a header with a theme-colour fill, bordered wrapped task
  cells, a Status drop-down fed from a hidden "Lists" sheet, a merged note row. Strings are
  shared (as Excel writes them); some returns shade the Status cells.

The register written beside them (``register.toml``) has one group per return, each owning
its three outcomes, so every return is matched to its group and none supersedes another: a
run consolidates (and writes) every task of every return.

The parts are written from string templates (the Word package's other parts come from
python-docx's default template, made once), which makes 1,000 files in a few seconds; the
output is deterministic for a seed (fixed zip timestamps).
"""

from __future__ import annotations

import argparse
import io
import random
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from samples.green_tasks import GREEN_TASKS
from samples.seed000 import CDRP, CYPAG, EDCG, HEALTHY_CITY, STRONGER_COMMUNITIES, SeedTask

OUTCOMES_PER_RETURN = 3
TASKS_PER_OUTCOME = 10
REPORT_DATE = "31st March 2009"
ZIP_TIME = (2009, 4, 6, 16, 30, 0)
HEADERS = ("Tasks", "Target", "Position", "Status", "Planned improvement/action needed and deadline")
STATUSES = ("Green", "Amber", "Red", "Achieved")
STATUS_WEIGHTS = (45, 30, 10, 15)

_AREAS = ("Barton", "Tredworth", "Kingsholm", "Matson", "Podsmead", "Tuffley", "Hucclecote",
          "Abbeydale", "Quedgeley", "Longlevens", "Elmbridge", "Westgate", "Moreland", "Barnwood",
          "Coney Hill", "Abbeymead", "Hempsted", "Robinswood", "Grange", "Linden", "Saintbridge",
          "Wotton", "Twigworth", "Innsworth", "Churchdown", "Highnam", "Hardwicke", "Brockworth",
          "Upton", "Sandhurst", "Maisemore", "Minsterworth", "Elmore", "Longford", "Kingsway",
          "Newent", "Painswick", "Stroud", "Cheltenham", "Tewkesbury")
_THEMES = ("Community Safety Group", "Health and Wellbeing Partnership", "Children and Young "
           "People Group", "Economic Development Group", "Housing Forum", "Older People's "
           "Partnership", "Environment Action Group", "Learning and Skills Group", "Transport "
           "Forum", "Culture and Leisure Group", "Neighbourhood Partnership", "Regeneration "
           "Board", "Volunteering Network", "Employment Action Group", "Tenants' Forum",
           "Inclusion Group", "Sports Partnership", "Food Network", "Arts Forum", "Heritage Group",
           "Parenting Partnership", "Youth Forum", "Carers' Network", "Digital Inclusion Group",
           "Green Spaces Group")
_OUTCOME_TITLES = (
    "Communities live, work and play in peace and harmony",
    "Our diverse communities have a strong influence on the services they receive",
    "People are safe and feel safe in Gloucester",
    "Measurable improvements are made in Gloucester’s deprived communities",
    "Every child thrives and reaches his or her potential",
    "Health inequalities are reduced and people lead healthier lives",
    "More local people have the skills to get and keep a good job",
)
_NOTES = (
    "Group to review progress against the targets at the next meeting.",
    "Funding for 2009/10 has been confirmed; see the attached minutes for the detail.",
    "The sub-group asks the Executive to note the delay in recruitment.",
)


@dataclass(frozen=True)
class Action:
    """One outcome of a return: its Ref, Action and ten tasks (each with its status)."""

    outcome: str
    title: str
    ref: str
    action: str
    tasks: tuple[tuple[SeedTask, str], ...]
    note: str


@dataclass(frozen=True)
class Spec:
    """One return to write: whose, in which format, what it says."""

    file_name: str
    group: str
    contact: str
    actions: tuple[Action, ...]
    shout: bool
    """Statuses in capitals ("AMBER"), as some groups write them."""
    shade_status: bool
    """Status cells shaded with their colour (Excel only)."""


def _pool() -> tuple[list[SeedTask], list[str]]:
    tasks = [t for g in (CDRP, EDCG, HEALTHY_CITY, CYPAG, STRONGER_COMMUNITIES)
             for a in g.actions for t in a.tasks]
    tasks += [g.task for greens in GREEN_TASKS.values() for g in greens]
    actions = [a.action for g in (CDRP, EDCG, HEALTHY_CITY, CYPAG, STRONGER_COMMUNITIES)
               for a in g.actions]
    return tasks, actions


def group_names(n: int) -> list[str]:
    """N distinct group names, area by theme, in a fixed order."""
    names = [f"{area} {theme}" for theme in _THEMES for area in _AREAS]
    if n > len(names):
        names += [f"{names[i % len(names)]} {i // len(names) + 1}" for i in range(len(names), n)]
    return names[:n]


def specs(n: int, seed: int) -> list[Spec]:
    """What each of the N returns says; even positions are Word, odd ones Excel."""
    rng = random.Random(seed)
    tasks, action_texts = _pool()
    out = []
    for index, group in enumerate(group_names(n)):
        actions = []
        chosen = rng.sample(tasks, OUTCOMES_PER_RETURN * TASKS_PER_OUTCOME)
        for number in range(OUTCOMES_PER_RETURN):
            outcome = f"{index + 1}.{number + 1}"
            rows = chosen[number * TASKS_PER_OUTCOME:(number + 1) * TASKS_PER_OUTCOME]
            statuses = rng.choices(STATUSES, STATUS_WEIGHTS, k=len(rows))
            actions.append(Action(
                outcome=outcome, title=rng.choice(_OUTCOME_TITLES), ref=f"{outcome}a",
                action=rng.choice(action_texts),
                tasks=tuple(zip(rows, statuses, strict=True)), note=rng.choice(_NOTES)))
        word = index % 2 == 0
        slug = group.lower().replace("'", "").replace(" ", "-")
        out.append(Spec(
            file_name=f"{index + 1:04d}-{slug}-2008-09-Q4.{'docx' if word else 'xlsx'}",
            group=group, contact=f"{group.split()[0]} co-ordinator", actions=tuple(actions),
            shout=rng.random() < 0.3, shade_status=rng.random() < 0.4))
    return out


def register_toml(all_specs: Sequence[Spec]) -> str:
    """A register with one group per return, each owning its return's outcomes."""
    parts = ['partnership = "Benchmark Partnership"\n']
    for spec in all_specs:
        short = "".join(word[0] for word in spec.group.split() if word[0].isalpha()).upper()
        parts.append(f'[[groups]]\nname = "{spec.group}"\nshort = "{short}{len(parts)}"\n')
    for spec in all_specs:
        for action in spec.actions:
            parts.append(f'[[outcomes]]\nnumber = "{action.outcome}"\ntitle = "{action.title}"\n'
                         f'group = "{spec.group}"\n')
    return "\n".join(parts)


def _status_text(spec: Spec, status: str) -> str:
    return status.upper() if spec.shout else status


def _counts(action: Action) -> dict[str, int]:
    """Green/Amber/Red/Total as a person counts them: Achieved counts as Green."""
    counts = dict.fromkeys(("Green", "Amber", "Red"), 0)
    for _, status in action.tasks:
        counts["Green" if status == "Achieved" else status] += 1
    return {**counts, "Total": len(action.tasks)}


# -- Word ------------------------------------------------------------------------------------

_W_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_TASK_WIDTHS = (3118, 2268, 3402, 1417, 3685)


def _run(text: str, bold: bool = False, rsid: str = "00A1B2C3") -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return (f'<w:r w:rsidR="{rsid}">{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>')


def _para(text: str, bold: bool = False, size: int | None = None) -> str:
    if not text:
        return '<w:p w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3"/>'
    props = "<w:b/>" + (f'<w:sz w:val="{size}"/>' if size else "") if bold else ""
    words = text.split(" ")
    # Word splits runs where the text was edited: two runs for longer texts, as it writes them.
    if len(words) > 6 and not bold:
        half = len(words) // 2
        runs = (_run(" ".join(words[:half]) + " ") + '<w:proofErr w:type="spellStart"/>'
                + _run(" ".join(words[half:]), rsid="00D4E5F6") + '<w:proofErr w:type="spellEnd"/>')
    else:
        rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
        runs = f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    return (f'<w:p w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3"><w:pPr><w:spacing w:after="0"/>'
            f"</w:pPr>{runs}</w:p>")


def _cell(text: str, width: int, bold: bool = False, span: int = 1) -> str:
    grid = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    # One paragraph per line, as a person presses Enter in a cell.
    paragraphs = "".join(_para(line, bold) for line in text.split("\n")) or _para("")
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid}</w:tcPr>{paragraphs}</w:tc>'


def _table(widths: Sequence[int], rows: Iterator[str] | Sequence[str]) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
            'w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")


def _row(cells: str) -> str:
    return f'<w:tr w:rsidR="00A1B2C3">{cells}</w:tr>'


def document_xml(spec: Spec) -> bytes:
    """word/document.xml of a progress return in seed 001's layout."""
    body = [_para("Thematic Sub-Group Performance Reporting", True, 28),
            _para(spec.group, True, 24), _para("")]
    for action in spec.actions:
        counts = _counts(action)
        label = f"Outcome: {action.outcome}: {action.title}"
        summary = [
            _row(_cell(label, 6236, True) + _cell("", 1701) + _cell("Summary", 4536, True, 2)),
            _row(_cell(f"Date: {REPORT_DATE}", 6236) + _cell("", 1701)
                 + _cell("Green – on track", 3402) + _cell(str(counts["Green"] or ""), 1134)),
            _row(_cell(f"Thematic Sub-group: {spec.group}", 6236) + _cell("", 1701)
                 + _cell("Amber – needs attention", 3402) + _cell(str(counts["Amber"] or ""), 1134)),
            _row(_cell(f"Contact: {spec.contact}", 6236) + _cell("", 1701)
                 + _cell("Red – needs action", 3402) + _cell(str(counts["Red"] or ""), 1134)),
            _row(_cell("", 6236) + _cell("", 1701) + _cell("Total", 3402)
                 + _cell(str(counts["Total"]), 1134)),
        ]
        body += [_table((6236, 1701, 3402, 1134), summary), _para("")]
        body += [_table((1417, 12474), [_row(_cell(f"Ref:\n{action.ref}", 1417)
                                             + _cell(f"Action: {action.action}", 12474))]),
                 _para("")]
        rows = [_row("".join(_cell(h, w, True) for h, w in zip(HEADERS, _TASK_WIDTHS, strict=True)))]
        for task, status in action.tasks:
            values = (task.task, task.target, task.position, _status_text(spec, status), task.planned)
            rows.append(_row("".join(_cell(v, w) for v, w in zip(values, _TASK_WIDTHS, strict=True))))
        body += [_table(_TASK_WIDTHS, rows), _para(action.note), _para("")]
    section = ('<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'
               '<w:pgMar w:top="1021" w:right="1021" w:bottom="1021" w:left="1021" w:header="709" '
               'w:footer="709" w:gutter="0"/></w:sectPr>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_W_NS}>'
            f"<w:body>{''.join(body)}{section}</w:body></w:document>").encode()


def core_xml(title: str, author: str) -> bytes:
    """docProps/core.xml with fixed dates."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(author)}</dc:creator>"
            f"<cp:lastModifiedBy>{escape(author)}</cp:lastModifiedBy><cp:revision>3</cp:revision>"
            '<dcterms:created xsi:type="dcterms:W3CDTF">2009-03-31T09:00:00Z</dcterms:created>'
            '<dcterms:modified xsi:type="dcterms:W3CDTF">2009-04-06T16:30:00Z</dcterms:modified>'
            "</cp:coreProperties>").encode()


_DOCX_SKELETON: dict[str, bytes] | None = None


def _docx_skeleton() -> dict[str, bytes]:
    """Every part of python-docx's default document but the body and the properties."""
    global _DOCX_SKELETON
    if _DOCX_SKELETON is None:
        import docx

        buffer = io.BytesIO()
        docx.Document().save(buffer)
        with zipfile.ZipFile(buffer) as zf:
            _DOCX_SKELETON = {name: zf.read(name) for name in zf.namelist()
                              if not name.startswith("docProps/thumbnail")}
        # The thumbnail is dropped: keep the content types from promising a part that is gone.
        _DOCX_SKELETON["[Content_Types].xml"] = _DOCX_SKELETON["[Content_Types].xml"].replace(
            b'<Override PartName="/docProps/thumbnail.jpeg" ContentType="image/jpeg"/>', b"")
        _DOCX_SKELETON["_rels/.rels"] = _drop_thumbnail(_DOCX_SKELETON["_rels/.rels"])
    return _DOCX_SKELETON


def _drop_thumbnail(rels: bytes) -> bytes:
    from lxml import etree

    root = etree.fromstring(rels)
    for rel in list(root):
        if rel.get("Target", "").endswith("thumbnail.jpeg"):
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def word_parts(spec: Spec) -> dict[str, bytes]:
    """The parts of one Word return."""
    parts = dict(_docx_skeleton())
    parts["word/document.xml"] = document_xml(spec)
    parts["docProps/core.xml"] = core_xml("Thematic Sub-Group Performance Reporting", spec.contact)
    return parts


# -- Excel -----------------------------------------------------------------------------------

_S_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Cell formats (xf indexes) in styles.xml below.
_XF_TITLE, _XF_BOLD, _XF_WRAP, _XF_HEADER, _XF_TASK = 1, 2, 3, 4, 5
_XF_STATUS = {"Green": 6, "Amber": 7, "Red": 8, "Achieved": 9}
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet {_S_NS}><fonts count="3"><font><sz val="11"/><color theme="1"/><name val="Calibri"/>\
<family val="2"/><scheme val="minor"/></font><font><b/><sz val="11"/><color theme="1"/>\
<name val="Calibri"/><family val="2"/><scheme val="minor"/></font><font><b/><sz val="12"/>\
<color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font></fonts>\
<fills count="7"><fill><patternFill patternType="none"/></fill><fill><patternFill \
patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor theme="0" \
tint="-0.14999847407452621"/><bgColor indexed="64"/></patternFill></fill><fill><patternFill \
patternType="solid"><fgColor rgb="FF00B050"/><bgColor indexed="64"/></patternFill></fill><fill>\
<patternFill patternType="solid"><fgColor rgb="FFFFC000"/><bgColor indexed="64"/></patternFill>\
</fill><fill><patternFill patternType="solid"><fgColor indexed="10"/><bgColor indexed="64"/>\
</patternFill></fill><fill><patternFill patternType="solid"><fgColor theme="6"/><bgColor \
indexed="64"/></patternFill></fill></fills><borders count="2"><border><left/><right/><top/>\
<bottom/><diagonal/></border><border><left style="thin"><color indexed="64"/></left><right \
style="thin"><color indexed="64"/></right><top style="thin"><color indexed="64"/></top><bottom \
style="thin"><color indexed="64"/></bottom><diagonal/></border></borders><cellStyleXfs count="1">\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="10">\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" \
applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="0" fontId="0" fillId="3" borderId="1" xfId="0" applyFill="1" applyBorder="1" \
applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="0" fontId="0" fillId="4" borderId="1" xfId="0" applyFill="1" applyBorder="1" \
applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="0" fontId="0" fillId="5" borderId="1" xfId="0" applyFill="1" applyBorder="1" \
applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="0" fontId="0" fillId="6" borderId="1" xfId="0" applyFill="1" applyBorder="1" \
applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs><cellStyles count="1">\
<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/>\
<tableStyles count="0" defaultTableStyle="TableStyleMedium2" \
defaultPivotStyle="PivotStyleLight16"/></styleSheet>""".encode()


class _Strings:
    """The shared string table, in first-use order."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.uses = 0

    def __call__(self, text: str) -> int:
        self.uses += 1
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> bytes:
        items = "".join(
            f'<si><t xml:space="preserve">{escape(t)}</t></si>' if t != t.strip() or "\n" in t
            else f"<si><t>{escape(t)}</t></si>" for t in self.index)
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {_S_NS} '
                f'count="{self.uses}" uniqueCount="{len(self.index)}">{items}</sst>').encode()


def _column(number: int) -> str:
    return "ABCDEFGHIJ"[number - 1]


class _Sheet:
    """Rows of one worksheet, written as Excel writes them."""

    def __init__(self, strings: _Strings) -> None:
        self.strings = strings
        self.rows: list[str] = []
        self.merges: list[str] = []
        self.row = 0

    def add(self, cells: Sequence[tuple[str | None, int]], height: float | None = None) -> int:
        self.row += 1
        r = self.row
        xml = []
        for column, (text, style) in enumerate(cells, start=1):
            ref = f"{_column(column)}{r}"
            attributes = f' s="{style}"' if style else ""
            if text:
                xml.append(f'<c r="{ref}"{attributes} t="s"><v>{self.strings(text)}</v></c>')
            elif style:
                xml.append(f'<c r="{ref}"{attributes}/>')
        tall = f' ht="{height}" customHeight="1"' if height else ""
        self.rows.append(f'<row r="{r}" spans="1:5"{tall}>{"".join(xml)}</row>')
        return r

    def merged(self, text: str, style: int, height: float | None = None) -> None:
        r = self.add([(text, style), *[(None, 0)] * 4], height)
        self.merges.append(f"A{r}:E{r}")

    def skip(self) -> None:
        self.row += 1

    def xml(self, validations: str = "") -> bytes:
        merges = (f'<mergeCells count="{len(self.merges)}">'
                  + "".join(f'<mergeCell ref="{m}"/>' for m in self.merges) + "</mergeCells>"
                  if self.merges else "")
        cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                       for i, w in enumerate((40, 16, 45, 12, 50), start=1))
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_S_NS} '
                f'{_R_NS}><dimension ref="A1:E{max(self.row, 1)}"/><sheetViews><sheetView '
                'workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
                f"<cols>{cols}</cols><sheetData>{''.join(self.rows)}</sheetData>{merges}"
                f'{validations}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
                'header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape"/>'
                "</worksheet>").encode()


def _lines_height(values: Sequence[str]) -> float:
    return 15.0 * max(1, max(v.count("\n") + 1 + len(v) // 45 for v in values))


def excel_parts(spec: Spec) -> dict[str, bytes]:
    """The parts of one Excel return: one sheet per outcome and a hidden Lists sheet."""
    strings = _Strings()
    sheets: list[tuple[str, bytes, str]] = []
    for action in spec.actions:
        sheet = _Sheet(strings)
        sheet.merged(f"{spec.group} – quarterly return", _XF_TITLE)
        sheet.add([("Date: 31 March 2009", 0)])
        sheet.skip()
        sheet.merged(f"Outcome {action.outcome}: {action.title}", _XF_BOLD)
        sheet.merged(f"Ref: {action.ref}", _XF_BOLD)
        sheet.merged(f"Action: {action.action}", _XF_WRAP, 30)
        sheet.add([(h, _XF_HEADER) for h in HEADERS])
        first = sheet.row + 1
        for task, status in action.tasks:
            values = (task.task, task.target, task.position, _status_text(spec, status),
                      task.planned)
            styles = [_XF_TASK] * 5
            if spec.shade_status:
                styles[3] = _XF_STATUS[status]
            sheet.add([(v or None, s) for v, s in zip(values, styles, strict=True)],
                      _lines_height(values))
        validation = ('<dataValidations count="1"><dataValidation type="list" allowBlank="1" '
                      'showInputMessage="1" showErrorMessage="1" errorTitle="Status" '
                      'error="Choose Green, Amber, Red or Achieved" '
                      f'sqref="D{first}:D{sheet.row + 5}"><formula1>Lists!$A$1:$A$4</formula1>'
                      "</dataValidation></dataValidations>")
        sheet.skip()
        sheet.merged(action.note, _XF_WRAP, 30)
        sheets.append((f"Outcome {action.outcome}", sheet.xml(validation), "visible"))
    lists = _Sheet(strings)
    for status in STATUSES:
        lists.add([(status, 0)])
    sheets.append(("Lists", lists.xml(), "hidden"))
    return _workbook_package(spec, sheets, strings)


def _workbook_package(spec: Spec, sheets: list[tuple[str, bytes, str]],
                      strings: _Strings) -> dict[str, bytes]:
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}"'
        + (f' state="{state}"' if state != "visible" else "") + f' r:id="rId{i}"/>'
        for i, (name, _, state) in enumerate(sheets, start=1))
    parts = {
        "xl/workbook.xml": (f"{declaration}<workbook {_S_NS} {_R_NS}><workbookPr/><bookViews>"
                            '<workbookView activeTab="0"/></bookViews>'
                            f"<sheets>{entries}</sheets><calcPr calcId=\"124519\"/></workbook>"
                            ).encode(),
        "xl/styles.xml": _STYLES,
        "xl/sharedStrings.xml": b"",
        "docProps/core.xml": core_xml(f"{spec.group} – quarterly return", spec.contact),
    }
    rels = [f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1)]
    n = len(sheets)
    rels += [f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>',
             f'<Relationship Id="rId{n + 2}" Type="{_REL}/theme" Target="theme/theme1.xml"/>',
             f'<Relationship Id="rId{n + 3}" Type="{_REL}/sharedStrings" '
             'Target="sharedStrings.xml"/>']
    package_rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts["xl/_rels/workbook.xml.rels"] = (
        f'{declaration}<Relationships xmlns="{package_rels}">{"".join(rels)}</Relationships>'
    ).encode()
    for i, (_, xml, _) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = xml
    parts["xl/sharedStrings.xml"] = strings.xml()
    parts["xl/theme/theme1.xml"] = _theme()
    parts["_rels/.rels"] = (
        f'{declaration}<Relationships xmlns="{package_rels}">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>'
    ).encode()
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                        f'ContentType="{ct}.worksheet+xml"/>' for i in range(1, n + 1))
    parts["[Content_Types].xml"] = (
        f'{declaration}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>{overrides}'
        '<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.theme+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/></Types>').encode()
    return parts


_THEME: bytes | None = None


def _theme() -> bytes:
    global _THEME
    if _THEME is None:
        from openpyxl.writer.theme import theme_xml

        _THEME = theme_xml.encode()
    return _THEME


# -- Files -----------------------------------------------------------------------------------


def write_package(parts: dict[str, bytes], path: Path) -> None:
    """A zip package with fixed timestamps, content types first, as Office writes them."""
    order = sorted(parts, key=lambda name: (name != "[Content_Types].xml", name != "_rels/.rels"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, parts[name])


def generate(folder: Path, n: int, seed: int = 1) -> list[Path]:
    """Write N returns into `folder`/inbox and their register to `folder`/register.toml."""
    inbox = folder / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    all_specs = specs(n, seed)
    written = []
    for spec in all_specs:
        path = inbox / spec.file_name
        parts = word_parts(spec) if path.suffix == ".docx" else excel_parts(spec)
        write_package(parts, path)
        written.append(path)
    (folder / "register.toml").write_text(register_toml(all_specs), encoding="utf-8")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and write the returns."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="folder to write inbox/ and register.toml into")
    parser.add_argument("-n", type=int, default=100, help="how many returns (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    paths = generate(args.folder, args.n, args.seed)
    print(f"{len(paths)} returns written to {args.folder / 'inbox'}, "
          f"their register to {args.folder / 'register.toml'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
