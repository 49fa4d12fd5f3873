"""The appendix beside the board pack: every review, audit, finding and action of the year.

The board pack summarises: a listing in it shows its leading items and says how many more there
are (the partnership's `pack_listing_limit`), so the pack's length depends on its sections and
themes, not on the amount of data. Everything a listing leaves out is here, in two files written
beside the pack: `appendix.xlsx` (one formatted sheet per listing, to sort and filter) and
`appendix.html` (the same tables, each item's id a link target, to search and to link to).

A section notebook hands a listing over with `show.appendix(table, sheet)`: in a `workbook run`
the table's published cells (its `PublishedTable.cells`, so the same disclosure rules as the
pack) go to a folder of the run's own, named by APPENDIX_VARIABLE; the runner collects them
after the last section and writes both files into the run's staging folder, so the appendix is
swapped into place with the rest or not at all. Text cells are made inert for spreadsheets
(`workbook.core.spreadsheet_safety.neutralise`, as in every file the workbook writes for people).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import jinja2

from workbook.core import paths, settings
from workbook.core.spreadsheet_safety import neutralise
from workbook.disclosure.published import PublishedTable

APPENDIX_VARIABLE = settings.APPENDIX_DIR.name
"""Set by the runner in the kernel's environment: where listings are handed over."""

FILES = {"html": "appendix.html", "xlsx": "appendix.xlsx"}

_PLAIN_NUMBER = re.compile(r"^[+-]?(\d[\d,]*(\.\d*)?|\.\d+)%?$")
"""A published figure as the pack prints it ("1,234", "12.5"): written into the spreadsheet as
a number, so that it sorts and adds up as one."""
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
"""Characters Excel refuses in a sheet's name."""


@dataclass(frozen=True)
class Listing:
    """One table of the appendix, as published: every cell already text."""

    sheet: str
    caption: str
    columns: list[str]
    numeric: list[bool]
    rows: list[list[str]]
    notes: str | None = None
    anchor: str | None = None
    """The column holding each row's id: in the HTML, the row can be linked to by it."""
    empty: str | None = None
    """What the page says instead of a table when there is nothing to list."""

    @classmethod
    def of(cls, table: PublishedTable, sheet: str, anchor: str | None = None) -> Listing:
        cells = table.cells
        if anchor is not None and anchor not in cells.columns:
            raise KeyError(f"{table.caption!r}: no column {anchor!r} to anchor rows on")
        return cls(
            sheet,
            table.caption,
            [str(c) for c in cells.columns],
            [c in table.numeric_columns for c in cells.columns],
            [[str(v) for v in row] for row in cells.itertuples(index=False)],
            " ".join(note for note in (table.notes, table.symbol_note) if note) or None,
            anchor,
            table.when_empty,
        )

    @property
    def slug(self) -> str:
        return "sheet-" + re.sub(r"[^a-z0-9]+", "-", self.sheet.lower()).strip("-")

    def row_id(self, row: list[str]) -> str | None:
        """The HTML id of a row: its item's id, when the listing has an anchor column (a total
        row's label, with spaces, is no id)."""
        value = row[self.columns.index(self.anchor)] if self.anchor else ""
        return value if value and not any(c.isspace() for c in value) else None


def where(sheet: str) -> str:
    """Where the pack sends a reader for the rest of a listing."""
    return f"every one is in {in_appendix(sheet)}"


def in_appendix(*sheets: str) -> str:
    """The appendix beside the pack, naming the sheets of appendix.xlsx that hold a listing:
    for a listing in parts (each theme's findings and actions) said once, not under each."""
    named = " and ".join(f"“{sheet}”" for sheet in sheets)
    sheet = "sheets" if len(sheets) > 1 else "sheet"
    files = f"{FILES['html']}, or the {sheet} {named} of {FILES['xlsx']}"
    return f"the appendix beside this pack ({files})"


def hand_over(listing: Listing, folder: Path) -> Path:
    """Write a listing for the runner (in the kernel; sections run one after the other, so the
    files' numbers keep the order in which sections and listings came)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{len(list(folder.glob('*.json'))) + 1:03d}.json"
    target.write_text(json.dumps(asdict(listing)), encoding="utf-8")
    return target


def collect(folder: Path) -> list[Listing]:
    """The listings handed over, in order; sheet names made unique and fit for Excel."""
    listings, seen = [], set()
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        listing = Listing(**json.loads(path.read_text(encoding="utf-8")))
        name = _SHEET_FORBIDDEN.sub(" ", listing.sheet).strip()[:31] or "Listing"
        base, number = name, 2
        while name.lower() in seen:
            suffix = f" ({number})"
            name, number = base[: 31 - len(suffix)] + suffix, number + 1
        seen.add(name.lower())
        listings.append(Listing(**{**asdict(listing), "sheet": name}))
    return listings


def _number(text: str) -> tuple[float | int, str] | None:
    """A published figure as a number and its Excel format ("1,234" -> 1234, "#,##0"); None
    for anything else (withheld "c", not available "x", words)."""
    if not _PLAIN_NUMBER.match(text) or text.endswith("%"):
        return None
    plain = text.replace(",", "")
    if "." in plain:
        decimals = len(plain.split(".")[1])
        return float(plain), "#,##0." + "0" * decimals if decimals else "#,##0"
    return int(plain), "#,##0"


def write_xlsx(listings: list[Listing], target: Path, title: str) -> None:
    """One formatted sheet per listing: caption, bold header row frozen with filters, figures as
    numbers where the pack shows a number, every text cell made inert and written as text
    (XlsxWriter's `write_string` never makes a formula; the quote guards the cell when it is
    copied elsewhere). XlsxWriter streams rows to disk (`constant_memory`): a long listing
    costs neither memory nor much time."""
    # XlsxWriter loads only when the appendix is written
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(target),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties({"title": title})
    caption = book.add_format({"bold": True, "font_size": 12})
    header = book.add_format(
        {"bold": True, "bg_color": "#DDE3EA", "text_wrap": True, "valign": "top", "border": 1}
    )
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    numbers: dict[str, object] = {}  # one cell format a number format, made once
    for listing in listings or [
        Listing("Appendix", "Nothing to list for this year", [""], [False], [])
    ]:
        sheet = book.add_worksheet(listing.sheet)
        widths = [
            max([len(c)] + [len(row[i]) for row in listing.rows[:500]])
            for i, c in enumerate(listing.columns)
        ]
        long = [width > 60 for width in widths]
        for column, width in enumerate(widths):
            sheet.set_column(
                column, column, min(max(width, 8) + 2, 60), wrap if long[column] else None
            )
        sheet.freeze_panes(2, 0)
        sheet.autofilter(1, 0, len(listing.rows) + 1, len(listing.columns) - 1)
        sheet.write_string(0, 0, neutralise(listing.caption), caption)
        for column, name in enumerate(listing.columns):
            sheet.write_string(1, column, neutralise(name), header)
        for number, row in enumerate(listing.rows, start=2):
            for column, (text, numeric) in enumerate(zip(row, listing.numeric, strict=True)):
                figure = _number(text) if numeric else None
                if figure is not None:
                    style = numbers.setdefault(
                        figure[1], book.add_format({"num_format": figure[1], "valign": "top"})
                    )
                    sheet.write_number(number, column, figure[0], style)
                elif text:
                    sheet.write_string(number, column, neutralise(text))
        if listing.notes:
            sheet.write_string(len(listing.rows) + 3, 0, neutralise(listing.notes))
    book.close()


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.TEMPLATES_DIR / "html")), autoescape=True
    )
    return environment.get_template("appendix.html.j2")


def appendix_html(listings: list[Listing], context: dict) -> str:
    """The appendix as one self-contained page (`context`: what every page template gets)."""
    return _template().render(title="Appendix", listings=listings, files=FILES, **context)
