"""A small, dependency-free XLSX (Office Open XML) writer: sheets of text and numbers, a bold
header row, column widths. Byte-for-byte deterministic (fixed zip timestamps, no document
dates), so the same store always gives the same file."""
from __future__ import annotations

import re
import zipfile
from typing import IO, Sequence
from xml.sax.saxutils import escape

from .tables import Table, widths

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")     # not allowed in XML 1.0
_EPOCH = (1980, 1, 1, 0, 0, 0)
MAX_CELL = 32767                                            # Excel's limit per cell

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
{sheets}</Types>"""
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
               'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\n')
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def write_xlsx(sheets: Sequence[tuple[str, Table]], out: IO[bytes]) -> None:
    """One worksheet per (name, table); the first row of each is the bold header, frozen."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        def put(name: str, text: str) -> None:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))

        numbers = range(1, len(sheets) + 1)
        put("[Content_Types].xml", _CONTENT_TYPES.format(sheets="".join(_SHEET_TYPE.format(n=n) for n in numbers)))
        put("_rels/.rels", _ROOT_RELS)
        put("xl/workbook.xml", _workbook([name for name, _ in sheets]))
        put("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        put("xl/styles.xml", _STYLES)
        for n, (_, table) in zip(numbers, sheets):
            put(f"xl/worksheets/sheet{n}.xml", _sheet(table))


def _workbook(names: list[str]) -> str:
    sheets = "".join(f'<sheet name="{escape(_sheet_name(name))}" sheetId="{n}" r:id="rId{n}"/>'
                     for n, name in enumerate(names, 1))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_REL}"><sheets>{sheets}</sheets></workbook>')


def _workbook_rels(count: int) -> str:
    rels = "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                   for n in range(1, count + 1))
    rels += f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
            f'"http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')


def _sheet(table: Table) -> str:
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                   for i, w in enumerate(widths(table), 1))
    rows = [_row(1, table.columns, header=True)]
    rows += [_row(n, r) for n, r in enumerate(table.rows, 2)]
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            f'<cols>{cols}</cols><sheetData>{"".join(rows)}</sheetData></worksheet>')


def _row(n: int, values: Sequence[str], header: bool = False) -> str:
    cells = []
    for i, value in enumerate(values):
        ref = f"{_column(i)}{n}"
        if not header and _NUMBER.fullmatch(value) and len(value) < 16:
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        elif value:
            text = escape(_ILLEGAL.sub("", value)[:MAX_CELL])
            style = ' s="1"' if header else ""
            cells.append(f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>')
    return f'<row r="{n}">{"".join(cells)}</row>'


def _column(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        name = chr(65 + rest) + name
    return name


def _sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31]
