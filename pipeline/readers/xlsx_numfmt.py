"""A number or date as Excel shows it through the cell's number format: "Mar-09", "30/06/2009",
"65.6%", "1,250", "£1,250.00".

openpyxl gives the value and the format code but never the text a person sees; this renders
the codes returns use (dates and times, fixed decimals, thousands, percentages, currency,
literal text, sections for negative numbers and zero). A code it does not understand returns
None, and the reader falls back to the plain value.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_BRACKET_RE = re.compile(r"\[[^\]]*\]")
_CURRENCY_RE = re.compile(r"\[\$([^\]-]*)(?:-[0-9A-Fa-f]+)?\]")
_DATE_TOKEN_RE = re.compile(
    r'"[^"]*"|\\.|am/pm|a/p|yyyy|yy|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|\.0+|e|[^"\\]',
    re.IGNORECASE)


def render(value: object, code: str) -> str | None:
    """The text Excel shows for a number or date in this format, or None when not rendered."""
    if not code or code.lower() == "general" or isinstance(value, bool):
        return None
    sections = _split_sections(code)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return _date(value, sections[0])
    if isinstance(value, int | float):
        return _number(float(value), sections)
    return None


def _split_sections(code: str) -> list[str]:
    sections, current, quoted, escaped = [], "", False, False
    for ch in code:
        if escaped:
            current += ch
            escaped = False
        elif ch == "\\":
            current += ch
            escaped = True
        elif ch == '"':
            quoted = not quoted
            current += ch
        elif ch == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += ch
    sections.append(current)
    return sections


def _date(value: dt.datetime | dt.date | dt.time, code: str) -> str | None:
    code = _BRACKET_RE.sub("", _CURRENCY_RE.sub(lambda m: m.group(1), code))
    tokens = _DATE_TOKEN_RE.findall(code)
    if not tokens:
        return None
    moment = value if isinstance(value, dt.datetime) else None
    day = value if isinstance(value, dt.date) else None
    clock = value if isinstance(value, dt.time) else (moment.time() if moment else dt.time())
    twelve = any(t.lower() in ("am/pm", "a/p") for t in tokens)
    out: list[str] = []
    for index, token in enumerate(tokens):
        low = token.lower()
        if token.startswith('"'):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1:])
        elif low in ("yyyy", "yy", "e"):
            if day is None:
                return None
            out.append(str(day.year) if low != "yy" else f"{day.year % 100:02d}")
        elif low in ("mmmmm", "mmmm", "mmm", "mm", "m"):
            if _is_minutes(tokens, index):
                out.append(f"{clock.minute:02d}" if low == "mm" else str(clock.minute))
                continue
            if day is None:
                return None
            name = _MONTHS[day.month - 1]
            out.append({"mmmmm": name[0], "mmmm": name, "mmm": name[:3],
                        "mm": f"{day.month:02d}"}.get(low, str(day.month)))
        elif low in ("dddd", "ddd", "dd", "d"):
            if day is None:
                return None
            weekday = _DAYS[day.weekday()]
            out.append({"dddd": weekday, "ddd": weekday[:3], "dd": f"{day.day:02d}"}.get(
                low, str(day.day)))
        elif low in ("hh", "h"):
            hour = clock.hour % 12 or 12 if twelve else clock.hour
            out.append(f"{hour:02d}" if low == "hh" else str(hour))
        elif low in ("ss", "s"):
            out.append(f"{clock.second:02d}" if low == "ss" else str(clock.second))
        elif low.startswith(".0"):
            digits = len(low) - 1
            out.append("." + f"{clock.microsecond:06d}"[:digits])
        elif low == "am/pm":
            out.append("AM" if clock.hour < 12 else "PM")
        elif low == "a/p":
            out.append("A" if clock.hour < 12 else "P")
        else:
            out.append(token)
    return "".join(out).strip()


def _is_minutes(tokens: list[str], index: int) -> bool:
    """'mm' is minutes right after an hour or right before seconds, months otherwise."""
    def letter(token: str) -> str:
        return token.lower()[0] if token and token[0].isalpha() else ""
    before = next((letter(t) for t in reversed(tokens[:index]) if letter(t)), "")
    after = next((letter(t) for t in tokens[index + 1:] if letter(t)), "")
    return before == "h" or after == "s"


_FRACTION_RE = re.compile(r"[0#?]\s*/\s*[0-9#?]")
_NUMBER_RE = re.compile(r"[0#?][0#?,]*(?:\.[0#?]*)?|\.[0#?]+")


def _number(value: float, sections: list[str]) -> str | None:
    code = sections[0]
    negative_section = False
    if value < 0 and len(sections) >= 2 and sections[1].strip():
        code, negative_section = sections[1], True
    elif value == 0 and len(sections) >= 3 and sections[2].strip():
        code = sections[2]
    code = _CURRENCY_RE.sub(lambda m: '"' + m.group(1).replace('"', "") + '"', code)
    code = _BRACKET_RE.sub("", code)  # colours and conditions
    literal = _literal_parts(code)
    if literal is None:
        return None
    bare = "".join(part for part, is_text in literal if not is_text)
    if "e" in bare.lower() or _FRACTION_RE.search(code):
        return None  # scientific and fractions: the plain value is clearer than a guess
    match = _NUMBER_RE.search(bare)
    if match is None:
        text = "".join(part for part, _ in literal)
        return text if text.strip() else None
    pattern = match.group(0)
    percent = bare.count("%")
    scaled = value * (100 ** percent)
    integer_part, _, decimals_part = pattern.partition(".")
    decimals = sum(1 for ch in decimals_part if ch in "0#?")
    optional = sum(1 for ch in decimals_part if ch == "#")
    trailing_commas = len(integer_part) - len(integer_part.rstrip(","))
    scaled /= 1000 ** trailing_commas
    grouped = "," in integer_part.rstrip(",")
    magnitude = abs(scaled)
    # Excel rounds halves away from zero (0.665 as 0% is 67%), Python's format to even.
    rounded = Decimal(repr(magnitude)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    number = f"{rounded:,.{decimals}f}" if grouped else f"{rounded:.{decimals}f}"
    if optional and "." in number:
        keep = decimals - optional
        whole, _, fraction = number.partition(".")
        fraction = fraction.rstrip("0")
        fraction = fraction + "0" * max(0, keep - len(fraction))
        number = f"{whole}.{fraction}" if fraction else whole
    min_integer = integer_part.replace(",", "").count("0")
    whole, dot, fraction = number.partition(".")
    if min_integer == 0 and whole in ("0", ""):
        whole = ""
    elif not grouped and len(whole) < min_integer:
        whole = whole.zfill(min_integer)
    number = whole + dot + fraction
    sign = "-" if value < 0 and not negative_section and round(magnitude, decimals) != 0 else ""
    out: list[str] = []
    placed = False
    for part, is_text in literal:
        start = -1 if is_text or placed else part.find(pattern)
        if start < 0:
            out.append(part)
            continue
        # The number's pattern sits in one of the code's runs; the rest of that run is text.
        out.append(part[:start] + sign + number + part[start + len(pattern):])
        placed = True
    text = "".join(out)
    return text.strip() or None


def _literal_parts(code: str) -> list[tuple[str, bool]] | None:
    """The code as runs of (text, is literal): quoted strings and escapes are literal, spacing
    (_x) and fill (*x) characters take no room here."""
    parts: list[tuple[str, bool]] = []
    index = 0
    current = ""
    while index < len(code):
        ch = code[index]
        if ch == '"':
            end = code.find('"', index + 1)
            if end < 0:
                return None
            if current:
                parts.append((current, False))
                current = ""
            parts.append((code[index + 1:end], True))
            index = end + 1
            continue
        if ch == "\\" and index + 1 < len(code):
            if current:
                parts.append((current, False))
                current = ""
            parts.append((code[index + 1], True))
            index += 2
            continue
        if ch in "_*" and index + 1 < len(code):
            index += 2
            continue
        if ch in "$£€-+()/:^'{}<>=! ":
            if current:
                parts.append((current, False))
                current = ""
            parts.append((ch, True))
            index += 1
            continue
        if ch == "@":
            index += 1
            continue
        current += ch
        index += 1
    if current:
        parts.append((current, False))
    return parts


# -- What the workbook's styles say a number is: openpyxl's rules, held to them by the tests ----

#: The number formats Excel numbers without writing them in styles.xml (ECMA-376 18.8.30), as
#: openpyxl names them: a cell of format 14 shows "mm-dd-yy".
BUILTIN_FORMATS: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
#: Format numbers below this one are Excel's own, whether or not openpyxl names them.
BUILTIN_FORMATS_MAX_SIZE = 164
BUILTIN_FORMATS_REVERSE = {code: number for number, code in BUILTIN_FORMATS.items()}

# Quoted text and bracketed words other than [h], [m], [s] say nothing about dates.
_NOT_DATE_PARTS_RE = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_LETTER_RE = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION_RE = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)


def is_date_format(code: str | None) -> bool:
    """True when a number in this format is a date or time (its first section names days,
    months, years, hours, minutes or seconds)."""
    if code is None:
        return False
    return _DATE_LETTER_RE.search(_NOT_DATE_PARTS_RE.sub("", code.split(";")[0])) is not None


def is_duration_format(code: str | None) -> bool:
    """True when a number in this format is a duration ([h]:mm and the like)."""
    return code is not None and _DURATION_RE.search(code.split(";")[0]) is not None


#: Day 0 of a workbook's serial dates: 1900-based (Windows) or 1904-based (old Macs).
WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)


def from_serial(value: float, epoch: dt.datetime = WINDOWS_EPOCH, *, duration: bool = False
                ) -> dt.datetime | dt.time | dt.timedelta:
    """The date, time of day or duration an Excel serial number stands for, to the millisecond.
    Days before 1 March 1900 are a day later than a plain count says: Excel counts a
    29 February 1900 that never was. OverflowError or ValueError out of Python's range."""
    if duration:
        span = dt.timedelta(days=value)
        if span.microseconds:
            span = dt.timedelta(seconds=span.total_seconds() // 1,
                                microseconds=round(span.microseconds, -3))
        return span
    day, fraction = divmod(value, 1)
    within = dt.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and within.days == 0:
        minutes, seconds = divmod(within.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return dt.time(hours, minutes, seconds, within.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + dt.timedelta(days=day) + within
