"""Build docs/annotated-workbook.png: a real rendering of an annotated workbook.

An officer's OST workbook (with the mistakes officers make) is validated and annotated with
`mission`, then LibreOffice renders the copy to PDF and poppler turns it into a picture. For the
picture only, two of the comments are opened on the sheet (as Excel shows them on hover).

Needs `apt-get install -y libreoffice-calc poppler-utils`, then:
`python docs/annotated_screenshot.py`.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import xlsxwriter
from PIL import Image

from mission.annotate import annotate_return
from mission.validation import validate

DOCS = Path(__file__).resolve().parent
HEADER = ["adp", "period", "methadone", "buprenorphine_oral", "buprenorphine_depot"]
HEADER += ["diamorphine", "other", "total", "notes"]
# The comments opened for the picture, and where each is drawn (from column, row to column, row;
# 0-based, as Excel's comment anchors count): below the table, clear of the figures.
SHOWN = {"A5": (1, 9, 3, 14), "H6": (5, 9, 7, 14)}


def officer_workbook(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("ost")
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    number = book.add_format({"num_format": "#,##0"})
    sheet.write(0, 0, "Forth Valley: people on OST at 30 June 2024", bold)
    sheet.write_row(2, 0, HEADER, head)
    rows = [
        ["Clackmannanshire", "2024/25 Q1", 310, 45, 12, 0, 3],
        ["Stirling", "2024/25 Q1", 280, 40, 10, 0, 2],
        ["Falkirk", "Q1 24/25", 1200, 640, 210, 0, 10],
    ]
    for r, row in enumerate(rows, start=3):
        sheet.write_row(r, 0, row[:2])
        sheet.write_row(r, 2, row[2:], number)
        sheet.write_formula(r, 7, f"=SUM(C{r + 1}:G{r + 1})", number, sum(row[2:]))
    sheet.write_number(5, 7, 2065, number)  # typed over the formula, and wrong
    sheet.write(5, 8, "from the Q4 sheet")
    sheet.write_row(6, 0, ["Fyfe", "2024/25 Q1", 1240, 600, 190, "n/a", 8, 2038])
    sheet.write(8, 0, "Source: prescribing extract, 4 July 2024")
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 20)
    sheet.set_column(2, 8, 19)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    book.close()


def open_comments(path: Path, cells: dict[str, tuple[int, int, int, int]]) -> None:
    """Show the comments of `cells` on the sheet, for the picture (Excel shows them on hover)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    wanted = {(int(c[1:]) - 1, ord(c[0]) - ord("A")): box for c, box in cells.items()}
    for name, data in parts.items():
        if not name.endswith(".vml"):
            continue
        shapes = re.split(r"(?=<\w+:shape )", data.decode("utf-8"))
        for index, shape in enumerate(shapes):
            row = re.search(r"<(\w+:)Row>(\d+)</", shape)
            column = re.search(r"<\w+:Column>(\d+)</", shape)
            if row and column and (int(row[2]), int(column[1])) in wanted:
                prefix = row[1]
                left, top, right, bottom = wanted[(int(row[2]), int(column[1]))]
                anchor = f"{left}, 10, {top}, 4, {right}, 40, {bottom}, 4"
                shape = shape.replace("visibility:hidden", "visibility:visible")
                shape = shape.replace(
                    f"</{prefix}ClientData>",
                    f"<{prefix}Anchor>{anchor}</{prefix}Anchor><{prefix}Visible />"
                    f"</{prefix}ClientData>",
                )
                shapes[index] = shape
        parts[name] = "".join(shapes).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        os.chdir(work)  # findings name the file as the officer would: forth-valley-ost.xlsx
        source = Path("forth-valley-ost.xlsx")
        officer_workbook(source)
        report = validate(source)
        copy = work / "forth-valley-ost-checked.xlsx"
        annotate_return(source, report.files[0], copy)
        open_comments(copy, SHOWN)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(copy)],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            ["pdftoppm", "-png", "-r", "120", str(copy.with_suffix(".pdf")), str(work / "page")],
            check=True,
        )
        pages = [Image.open(p).convert("RGB") for p in sorted(work.glob("page-*.png"))]
        picture = stack([crop(p) for p in pages[:2]])
        picture = picture.quantize(colors=64, method=Image.Quantize.MEDIANCUT)
        picture.save(DOCS / "annotated-workbook.png", optimize=True)


def crop(page: Image.Image) -> Image.Image:
    """The page without its empty margins."""
    grey = page.convert("L").point(lambda v: 255 if v < 250 else 0)
    box = grey.getbbox() or (0, 0, page.width, page.height)
    pad = 12
    return page.crop((max(box[0] - pad, 0), max(box[1] - pad, 0), box[2] + pad, box[3] + pad))


def stack(images: list[Image.Image]) -> Image.Image:
    """The data sheet first, then the Findings sheet, one above the other with a rule between."""
    images = images[::-1]
    width = max(i.width for i in images)
    height = sum(i.height for i in images) + 6 * (len(images) - 1)
    picture = Image.new("RGB", (width, height), "white")
    y = 0
    for image in images:
        picture.paste(image, (0, y))
        y += image.height
        if y < height:
            picture.paste((190, 190, 190), (0, y + 2, width, y + 4))
        y += 6
    return picture


if __name__ == "__main__":
    main()
