"""The coding review's controls in JupyterLab (ipywidgets): the findings as a table to sort and
filter, where clicking a finding opens it; its coding; the themes to save; and the buttons that
accept the coding, save a correction or go back to the automatic coding."""

from __future__ import annotations

import html

import ipywidgets as widgets

from workbook.core.errors import WorkbookError
from workbook.render.display import interactive_table

SHOWN = 6
"""The table shows the first six columns of the review (to the evidence); a finding's panel
shows every column, what the automatic coding and the source would say included."""


class ReviewWidget:
    """The controls of one `CodingReview` (its `box` is what the notebook shows)."""

    def __init__(self, review):  # a CodingReview (not imported: it imports this module)
        self.review = review
        labels = review.codebook.labels()
        self.table = interactive_table(
            review.table,
            select={"style": "single"},
            columnDefs=[
                {"targets": 2, "width": "40%"},
                {"targets": list(range(SHOWN, len(review.table.columns))), "visible": False},
            ],
        )
        self.finding = widgets.Dropdown(
            options=review.table["Finding"].tolist(), description="Finding"
        )
        self.detail = widgets.HTML()
        self.themes = widgets.SelectMultiple(
            options=[(labels[t], t) for t in review.codebook.theme_ids],
            rows=min(len(labels), 12),
            description="Themes",
            layout=widgets.Layout(width="60%"),
        )
        self.status = widgets.HTML()
        buttons = {
            "Accept the themes that count": self._accept,
            "Save the themes chosen as a correction": self._correct,
            "Back to the automatic coding": self._automatic,
        }
        row = []
        for text, action in buttons.items():
            button = widgets.Button(description=text, layout=widgets.Layout(width="auto"))
            button.on_click(action)
            row.append(button)
        self.table.observe(self._selected, names="selected_rows")
        self.finding.observe(lambda _: self._show(), names="value")
        self.box = widgets.VBox(
            [
                widgets.HTML(
                    f"<h3>Findings of {html.escape(review.partnership)} "
                    f"{html.escape(review.year)} and their coding</h3><p>Click a finding to "
                    f"review it. Decisions are saved in {html.escape(str(review.source))}.</p>"
                ),
                self.table,
                self.finding,
                self.detail,
                self.themes,
                widgets.HBox(row),
                self.status,
            ]
        )
        self._show()

    def _selected(self, change) -> None:
        if change["new"]:
            self.finding.value = self.review.table["Finding"].iloc[change["new"][0]]

    def _show(self) -> None:
        finding = self.finding.value
        self.detail.value = self.review.finding_html(finding)
        self.themes.value = tuple(self.review.counted(finding))

    def _decide(self, decision) -> None:
        try:
            said = decision(self.finding.value)
        except WorkbookError as exc:
            self.status.value = f'<p style="color:#b00">{html.escape(str(exc))}</p>'
            return
        self.table.update(self.review.table)
        self._show()
        self.status.value = f"<p>{html.escape(said)}</p>"

    def _accept(self, _button) -> None:
        self._decide(self.review.accept)

    def _correct(self, _button) -> None:
        self._decide(lambda finding: self.review.correct(finding, list(self.themes.value)))

    def _automatic(self, _button) -> None:
        self._decide(self.review.back_to_automatic)
