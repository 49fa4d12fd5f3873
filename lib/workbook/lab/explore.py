"""The scratch notebook (`notebooks/explore.ipynb`): a partnership-year's data opened as a
section opens it, every table of it to sort and filter, and a picker to open another.

Nothing here is published: the scratch notebook is not a section, and every table it shows
(and every pandas table the analyst shows in its kernel) is labelled not for publication, since
it holds the figures before anything is withheld. The analyst's own pandas, matplotlib and
seaborn work in it as anywhere else: nothing here changes the kernel's backend, style or
warnings.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from workbook.core.errors import WorkbookError
from workbook.core.paths import available_years
from workbook.inputs.params import list_partnerships
from workbook.inputs.report import Report, open_report
from workbook.render.display import (
    interactive_table,
    lab_stylesheet,
    label_raw_frames,
    raw_banner,
)


class OpenYear:
    """The partnership-year the scratch notebook is looking at: its `report` (as a section
    notebook opens it) and its `tables`; `picker()` opens another."""

    def __init__(
        self, partnership: str, year: str, data_dir: str | Path = "", params_dir: str | Path = ""
    ):
        self.data_dir, self.params_dir = data_dir, params_dir
        self.report: Report = open_report(partnership, year, data_dir, params_dir)
        label_raw_frames()

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The year's validated tables, raw: the figures before anything is withheld."""
        return self.report.tables

    @property
    def title(self) -> str:
        return f"{self.report.partnership.name}, {self.report.year.label}"

    def open(self, partnership: str, year: str) -> None:
        """Look at another partnership-year (same data and parameters folders)."""
        self.report = open_report(partnership, year, self.data_dir, self.params_dir)

    def show_tables(self, into=None) -> None:
        """Every table of the year, each to sort and filter, under the not-for-publication
        label; a line for each table the year left empty. Shown below the cell, or added to
        the Output widget `into` (the picker's)."""
        show = display if into is None else into.append_display_data
        show(HTML(f"<h2>{html.escape(self.title)}: the year's data</h2>{raw_banner()}"))
        empty = []
        for name, frame in self.tables.items():
            if frame.empty:
                empty.append(name)
                continue
            show(HTML(f"<h3>{html.escape(name)} ({len(frame):,} rows)</h3>"))
            show(interactive_table(frame))
        if empty:
            show(HTML(f"<p>Nothing recorded this year in: {html.escape(', '.join(empty))}.</p>"))

    def picker(self):
        """A partnership and year picker (ipywidgets) over the year's tables: choose, then
        Open; the tables below it are those of the year opened."""
        # ipywidgets loads only in JupyterLab, where the analyst opens the picker
        import ipywidgets as widgets

        partnerships = list_partnerships(self.params_dir or None)
        chosen = widgets.Dropdown(
            options=partnerships, value=self.report.partnership.id, description="Partnership"
        )
        years = widgets.Dropdown(description="Year")
        button = widgets.Button(description="Open")
        shown = widgets.Output()

        def offer_years(_=None) -> None:
            offered = available_years(chosen.value, Path(self.data_dir) if self.data_dir else None)
            years.options = offered
            current = self.report.year.label
            years.value = current if current in offered else (offered[-1] if offered else None)

        def opened(_=None) -> None:
            shown.outputs = ()
            try:
                self.open(chosen.value, years.value)
            except WorkbookError as exc:
                error = f'<p style="color:#b00">error: {html.escape(str(exc))}</p>'
                shown.append_display_data(HTML(error))
                return
            self.show_tables(into=shown)

        chosen.observe(offer_years, names="value")
        button.on_click(opened)
        offer_years()
        # The tables are added to the Output widget, not captured into it (`with shown:`):
        # a cell capturing output into a widget is, in about one run in seven, seen finished
        # by a notebook runner (nbclient, papermill) only when its cell timeout runs out.
        self.show_tables(into=shown)
        return widgets.VBox([widgets.HBox([chosen, years, button]), shown])


def open_year(
    partnership: str, year: str, data_dir: str | Path = "", params_dir: str | Path = ""
) -> OpenYear:
    """Open a partnership-year in the scratch notebook (the parameters a section takes), with
    the stylesheet that shows `show.table` as the board pack does."""
    opened = OpenYear(partnership, year, data_dir, params_dir)
    lab_stylesheet()
    return opened
