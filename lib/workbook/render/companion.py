"""The analyst's companion and the data notes of the pack's appendix: the run's parameters and
time as a board member reads them, the sources, notes on figures and methods."""

from __future__ import annotations

from datetime import datetime

from workbook.disclosure.published import Policy
from workbook.disclosure.suppression import symbol_legend
from workbook.inputs.partnership import Partnership
from workbook.national.indicators import catalogue
from workbook.render.publishing import Section, named_as_shown, page_context, page_templates

METHODS = [
    "Findings of reviews and audits are coded to the themes of the partnership's codebook "
    "(data/codebook/themes.yaml); where the analyst coded a finding, the analyst's themes are "
    "used, and automatic themes count only where their evidence is strong.",
]
"""How the figures were made, after the disclosure policy in force (which comes first). What a
section did only for some years (rates recomputed from ONS population, the agreement of the
coding with the analyst's) is said by that section, for the companion, where it did it."""


PARAMETER_LABELS = {
    "id": "Partnership id",
    "year": "Report year",
    "name": "Name",
    "short_name": "Short name",
    "councils": "Councils (local authority codes)",
    "region": "Region",
    "covers_adults": "Covers adults",
    "fictional": "Fictional demonstration data",
    "protective_marking": "Protective marking",
    "small_number_threshold": "Small-number threshold",
    "lookback_years": "Years looked back",
    "sections": "Sections",
    "targets": "Targets",
}
"""How the provenance names the run's parameters; a parameter not listed here is named from
its key ("a_new_key" as "A new key"), so a new parameter is never left out."""


def _plain(value, names: dict[str, str]) -> str:
    """A parameter's value as a reader writes it: yes/no, lists joined, no Python notation;
    keys of a mapping (targets by indicator) by the measure's name."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "not set"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item, names) for item in value) or "none"
    if isinstance(value, dict):
        return (
            "; ".join(
                f"{_named(str(key), names)}: {_plain(item, names)}" for key, item in value.items()
            )
            or "none"
        )
    return str(value)


def parameters_in_words(parameters: dict, sections: list[Section]) -> dict[str, str]:
    """The run's parameters (as the manifest records them) for a board member to read:
    "Covers adults: yes", "Councils (local authority codes): 841", sections by title, targets
    by the measure's name."""
    titles = {section.id: section.title for section in sections}
    names = _measure_names()
    words = {}
    for key, value in parameters.items():
        label = PARAMETER_LABELS.get(key, key.replace("_", " ").capitalize())
        if key == "sections":
            shown = value or list(titles)
            words[label] = ", ".join(titles.get(s, s) for s in shown) + ("" if value else " (all)")
        else:
            words[label] = _plain(value, names)
    return words


def _measure_names() -> dict[str, str]:
    """Indicator ids and their names in the catalogue ("cin_rate": "Rate of children in need
    per 10,000 children"), read once per document."""
    return {indicator: item.name for indicator, item in catalogue().items()}


def _named(indicator: str, names: dict[str, str]) -> str:
    """An indicator by its catalogue name, or its id in words where the catalogue has none."""
    return names.get(indicator) or indicator.replace("_", " ")


def data_notes(tables: dict, inputs: list[str], policy: Policy) -> dict:
    """Sources, notes on figures and methods for the appendix, from the year's own data.

    Figures that share a note are listed under it once (a demo partnership's forty indicators
    all say "fictional"), each by its name in the indicator catalogue, and the partnership's own
    files are referred to the provenance list rather than listed twice.
    """
    indicators = tables.get("indicators")
    sources: list[str] = []
    by_note: dict[str, set[str]] = {}
    if indicators is not None and len(indicators):
        measures = _measure_names()
        sources = sorted({str(s) for s in indicators["source"].dropna()})
        for row in indicators.dropna(subset=["note"]).itertuples():
            by_note.setdefault(str(row.note), set()).add(_named(str(row.indicator), measures))
    own = sum("/data/" in f"/{p}" for p in inputs)
    sources.append(
        f"Case reviews, audits, findings and actions: the partnership's own records "
        f"({own} files, listed with their hashes under Provenance)."
        if own
        else "The partnership's own records."
    )
    revisions = [f"{'; '.join(sorted(named))}: {note}" for note, named in sorted(by_note.items())]
    return {"sources": sources, "revisions": revisions, "methods": [policy.describe(), *METHODS]}


def companion_html(
    sections: list[Section], partnership: Partnership, notes: dict, provenance: dict, generated: str
) -> str:
    """The analyst's companion beside the pack: what each section showed the analyst alone
    (what the data could not show and where to fill it in, coder agreement, terms to check),
    the data notes and methods, and the provenance of the run.

    `provenance` is the run's manifest; the companion states its parameters and time in words."""
    return (
        page_templates()
        .get_template("companion.html.j2")
        .render(
            title="Analyst's companion",
            sections=[
                Section(s.id, s.title, s.body, named_as_shown(s.companion, sections))
                for s in sections
                if s.companion
            ],
            notes=notes,
            provenance=provenance,
            parameters=parameters_in_words(provenance["parameters"], sections),
            rendered_at=_moment(provenance["generated_at"]),
            legend=symbol_legend(partnership.small_number_threshold),
            **page_context(partnership, generated),
        )
    )


def _moment(stamp: str) -> str:
    """An ISO time stamp as "1 December 2026 at 09:30 UTC" (as written if it is not one)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp)
    zone = moment.tzname()
    return f"{moment:%-d %B %Y at %H:%M}" + (f" {zone}" if zone else "")
