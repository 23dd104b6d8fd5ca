"""A one-sheet workbook built from its XML, for the tests of the workbook guard."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = (
    "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'>"
    "<Default Extension='xml' ContentType='application/xml'/>"
    "<Override PartName='/xl/workbook.xml' ContentType='application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'/></Types>"
)
_ROOT_RELS = (
    f"<Relationships xmlns='{_RELS}'><Relationship Id='rId1' "
    f"Type='{_DOC}/officeDocument' Target='xl/workbook.xml'/></Relationships>"
)
_WORKBOOK = (
    f"<workbook xmlns='{MAIN}' xmlns:r='{_DOC}'><sheets>"
    "<sheet name='ost' sheetId='1' r:id='rId1'/></sheets></workbook>"
)


def _book_rels(strings: bool) -> str:
    extra = (
        f"<Relationship Id='rId2' Type='{_DOC}/sharedStrings' Target='sharedStrings.xml'/>"
        if strings
        else ""
    )
    return (
        f"<Relationships xmlns='{_RELS}'><Relationship Id='rId1' Type='{_DOC}/worksheet' "
        f"Target='worksheets/sheet1.xml'/>{extra}</Relationships>"
    )


def package_parts(sheet: str, strings: str | None = None) -> dict[str, str]:
    """A whole package's parts (content types, relationships, workbook) around one sheet named
    `ost` whose XML is `sheet`, with `strings` as its shared-strings part when given."""
    parts = {
        "[Content_Types].xml": _TYPES,
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _book_rels(strings is not None),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = strings
    return parts


def one_sheet_workbook(sheet: str, strings: str | None = None) -> bytes:
    """The package of `package_parts`, zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in package_parts(sheet, strings).items():
            book.writestr(name, text)
    return buffer.getvalue()


def saved_by_excel(path: Path) -> Path:
    """The workbook at `path` as Excel saves it: the same cells, and no request to work the
    formulas out again on opening (xlsxwriter's `fullCalcOnLoad`), which Excel does not keep."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = re.sub(rb'\s+fullCalcOnLoad="1"', b"", data)
            target.writestr(info, data)
    path.write_bytes(out.getvalue())
    return path
