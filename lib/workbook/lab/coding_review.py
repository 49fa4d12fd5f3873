"""The coding review: the analyst sees how each finding of a year is coded and accepts or
corrects it, and the decision is saved in the year's findings table (its `themes` column, the
analyst's coding, which wins over the automatic coding in every run after).

For each finding the review shows the themes that count, who coded them (the analyst, the
codebook automatically, or the finding's review or audit, "from the source"), the evidence (the
phrase of the finding that matched, and whatever else the coder says of a match, such as a
confidence, in the coder's own words), what the automatic coding would say of a finding the
analyst has coded, and the themes its source suggests. Accepting saves the themes that count as
the analyst's; a correction saves others; going back to the automatic coding clears the
analyst's themes. The year is read afresh after every decision, so what the review shows is
what the next run will use.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbook.coding.codebook import Codebook, load_codebook
from workbook.coding.coder import ANALYST, AUTOMATIC, FROM_SOURCE, code_findings
from workbook.coding.context import sources_table
from workbook.coding.findings import parse_theme_list
from workbook.core.errors import WorkbookError
from workbook.core.paths import did_you_mean
from workbook.inputs.report import Report, open_report
from workbook.inputs.validation import load_valid_tables
from workbook.lab.writeback import ID_COLUMN, findings_file, write_analyst_themes
from workbook.text.labels import label

CODED_BY = {
    ANALYST: "analyst",
    AUTOMATIC: "automatic",
    FROM_SOURCE: "from the source",
}
NO_THEME = "no theme"
COLUMNS = [
    "Finding",
    "Kind",
    "Text",
    "Themes that count",
    "Coded by",
    "Evidence",
    "Automatic coding (not counted)",
    "Suggested by its source",
]
"""The review's table, one row per finding."""
SHOWN_APART = (ID_COLUMN, "theme", "subtheme", "evidence", "source", "final", "codebook_version")
"""The coder's columns the review shows in columns of its own (or not at all: the sub-theme and
the codebook's version); any other it gives (the confidence of a match) is said beside the
phrase, in the coder's words."""


@dataclass
class CodingReview:
    """One partnership-year's findings and their coding, to review and save decisions on."""

    partnership: str
    year: str
    data_dir: Path | None = None
    codebook: Codebook = field(default_factory=load_codebook)
    findings: pd.DataFrame = field(init=False, repr=False)
    coded: pd.DataFrame = field(init=False, repr=False)
    table: pd.DataFrame = field(init=False, repr=False)

    def __post_init__(self):
        self.reload()

    @classmethod
    def of(cls, report: Report) -> CodingReview:
        """The review of a report's year (as `open_report` or the scratch notebook opened it)."""
        return cls(report.partnership.id, report.year.label, report.data_dir)

    @property
    def source(self) -> Path:
        """The file the findings are read from and the decisions saved in."""
        return findings_file(self.partnership, self.year, self.data_dir)

    def reload(self) -> None:
        """Read and code the year's findings afresh (after a decision, or an edit elsewhere)."""
        tables = load_valid_tables(self.partnership, self.year, self.data_dir)
        self.findings = tables["findings"].reset_index(drop=True)
        self.coded = code_findings(
            self.findings,
            self.codebook,
            source_name=str(self.source),
            sources=sources_table(tables.get("reviews"), tables.get("audits")),
        )
        self.table = review_table(self.findings, self.coded, self.codebook)

    # ---- decisions -----------------------------------------------------------------------

    def counted(self, finding: str) -> list[str]:
        """The theme ids that count for a finding now (none for a finding with no theme)."""
        rows = self._rows(finding)
        return list(dict.fromkeys(rows.loc[rows["final"], "theme"].dropna()))

    def coded_by(self, finding: str) -> str:
        """Who coded the themes that count: "analyst", "automatic", "from the source", or
        "no theme"."""
        return self.table.loc[self.table["Finding"] == finding, "Coded by"].iloc[0]

    def accept(self, finding: str) -> str:
        """Save the themes that count now as the analyst's; return what was saved, in words."""
        themes = self.counted(finding)
        if not themes:
            raise WorkbookError(
                f"{finding} has no theme to accept: choose its themes and save them as a "
                "correction (the data cannot record 'no theme' as a decision)"
            )
        return self._save({finding: themes})

    def correct(self, finding: str, themes: list[str] | str) -> str:
        """Save `themes` (ids or labels of the codebook; a list, or "a; b") as the analyst's
        themes of a finding; return what was saved, in words."""
        chosen = self._theme_ids(themes if isinstance(themes, str) else ";".join(themes))
        if not chosen:
            raise WorkbookError(
                f"no theme given for {finding}: give at least one theme, or go back to the "
                "automatic coding (the data cannot record 'no theme' as a decision)"
            )
        return self._save({finding: chosen})

    def back_to_automatic(self, finding: str) -> str:
        """Clear the analyst's themes of a finding, so that its automatic coding counts."""
        return self._save({finding: []})

    def _save(self, decisions: dict[str, list[str]]) -> str:
        for finding in decisions:
            self._rows(finding)  # an unknown finding is named before anything is written
        written = write_analyst_themes(self.partnership, self.year, decisions, self.data_dir)
        self.reload()
        said = []
        for finding in decisions:
            now = "; ".join(self.codebook.labels()[t] for t in self.counted(finding)) or NO_THEME
            said.append(f"{finding}: {now} (coded by {self.coded_by(finding)})")
        return f"Saved in {written}. " + ". ".join(said) + ". The next run uses these themes."

    def _rows(self, finding: str) -> pd.DataFrame:
        rows = self.coded[self.coded[ID_COLUMN] == finding]
        if rows.empty:
            known = self.findings[ID_COLUMN].tolist()
            meant = did_you_mean(finding, known)
            raise WorkbookError(
                f"no finding {finding!r} in {self.partnership} {self.year}"
                + (f" (did you mean {meant}?)" if meant else "")
            )
        return rows

    def _theme_ids(self, given: str) -> list[str]:
        by_label = {name.lower(): theme for theme, name in self.codebook.labels().items()}
        ids = []
        for item in given.split(";"):
            if not item.strip():
                continue
            theme = by_label.get(item.strip().lower()) or next(iter(parse_theme_list(item)))
            if theme not in self.codebook.theme_ids:
                meant = did_you_mean(theme, self.codebook.theme_ids)
                raise WorkbookError(
                    f"{item.strip()!r} is not a theme of the codebook"
                    + (f" (did you mean {meant}?)" if meant else "")
                    + f"; its themes: {', '.join(self.codebook.theme_ids)}"
                )
            ids.append(theme)
        return [theme for theme in self.codebook.theme_ids if theme in ids]  # codebook order

    def finding_html(self, finding: str) -> str:
        """One finding's text and coding, for the review's panel (escaped: free text)."""
        row = self.table[self.table["Finding"] == finding].iloc[0]
        parts = [
            f"<p><strong>{html.escape(finding)}</strong> ({html.escape(row['Kind'])}): "
            f"{html.escape(row['Text'])}</p>",
            f"<p>Themes that count: <strong>{html.escape(row['Themes that count'] or NO_THEME)}"
            f"</strong>, coded by {html.escape(row['Coded by'])}.</p>",
        ]
        for column in COLUMNS[5:]:
            if row[column]:
                parts.append(f"<p>{html.escape(column)}: {html.escape(row[column])}</p>")
        return "".join(parts)

    # ---- in JupyterLab -------------------------------------------------------------------

    def widget(self):
        """The review in JupyterLab: the findings to sort and filter (click one to review it),
        the finding's coding, the themes to save and the buttons that save them."""
        # ipywidgets (and itables' widget) are imported only where the analyst opens the
        # review, in JupyterLab: a run or a test that codes findings never loads them.
        from workbook.lab.review_widget import ReviewWidget

        if self.table.empty:
            import ipywidgets

            return ipywidgets.HTML(
                f"<p>No finding was recorded for {html.escape(self.partnership)} "
                f"{html.escape(self.year)}: there is no coding to review.</p>"
            )
        return ReviewWidget(self).box


def open_review(
    partnership: str, year: str, data_dir: str | Path | None = "", params_dir: str | Path = ""
) -> CodingReview:
    """The coding review of a partnership-year, opened as a section notebook opens its year."""
    report = open_report(partnership, year, data_dir, params_dir)
    return CodingReview.of(report)


def review_table(findings: pd.DataFrame, coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per finding (`COLUMNS`): its themes that count, who coded them, the evidence of
    each automatic theme, and the themes the automatic coding or its source would add."""
    labels = codebook.labels()
    extra = [c for c in coded.columns if c not in SHOWN_APART]
    by_finding = {key: rows for key, rows in coded.groupby(ID_COLUMN, sort=False)}
    rows = []
    for finding in findings.itertuples(index=False):
        coding = by_finding.get(finding.finding_id, coded.iloc[0:0])
        counted = coding[coding["final"] & coding["theme"].notna()]
        coders = [CODED_BY[s] for s in dict.fromkeys(counted["source"]) if s in CODED_BY]
        automatic = coding[coding["source"] == AUTOMATIC]
        suggested = coding[(coding["source"] == FROM_SOURCE) & ~coding["final"]]
        rows.append(
            [
                finding.finding_id,
                label("kind", finding.kind),
                finding.text,
                "; ".join(labels.get(t, t) for t in dict.fromkeys(counted["theme"])),
                " and ".join(coders) or NO_THEME,
                _evidence(counted[counted["source"] != ANALYST], labels, extra),
                _evidence(automatic[~automatic["final"]], labels, extra),
                _evidence(suggested, labels, extra),
            ]
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def _evidence(rows: pd.DataFrame, labels: dict[str, str], extra: list[str]) -> str:
    """Each theme of `rows` with the phrases that matched (and the coder's other words on a
    match, such as a confidence): 'Neglect: "neglect", "missed health appointments"'; a theme
    from the source with the source's reason."""
    phrases: dict[str, list[str]] = {}
    for row in rows.to_dict("records"):
        notes = [f"{c} {row[c]}" for c in extra if not pd.isna(row[c])]
        said = (  # a source's suggestion gives its reason, not a phrase of the finding
            str(row["evidence"])
            if row["source"] == FROM_SOURCE
            else f"\u201c{row['evidence']}\u201d"
        ) + (f" ({', '.join(notes)})" if notes else "")
        phrases.setdefault(labels.get(row["theme"], row["theme"]), []).append(said)
    return "; ".join(
        f"{theme}: {', '.join(dict.fromkeys(said))}" for theme, said in phrases.items()
    )
