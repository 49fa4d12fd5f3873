"""`workbook new`: a partnership's parameters and an empty, valid year of data, in one command.

A partnership starts from its council codes or names: the name, region and statistical
neighbours are looked up (specs/councils.csv, and DfE's files where the workbook has them), every
key of the parameters file is written with a comment saying what it does (its remit, its
councils' names, the year's period where it is not April to March), and the year's folder gets
every table's header row and a README saying what goes where. The result validates and renders
at once; the pack then shows what is still to be supplied.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workbook.core import paths
from workbook.core.errors import OutputsError, ParamsError
from workbook.core.years import ReportYear
from workbook.inputs.contract import load_contract
from workbook.inputs.partnership import REMITS
from workbook.national import store
from workbook.national.councils import Council, find_council, successors
from workbook.national.councils import councils as all_councils
from workbook.national.indicators import neighbours


@dataclass(frozen=True)
class NewPartnership:
    """What `new_partnership` wrote, and what the user should know about it."""

    params_file: Path
    year_folder: Path
    councils: tuple[Council, ...]
    neighbours: tuple[str, ...]
    notes: tuple[str, ...]


def latest_complete_year(today: date | None = None) -> ReportYear:
    """The reporting year an annual report written today is about: the last one that ended."""
    today = today or date.today()
    return ReportYear(today.year - 1 if today.month >= 4 else today.year - 2)


def _quoted(text: str) -> str:
    """A YAML scalar that reads back as exactly `text` (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _neighbour_names(councils: tuple[Council, ...], dfe_dir) -> tuple[str, tuple[str, ...]]:
    """The statistical neighbours of DfE's latest model, with the model's name; none without
    DfE's files."""
    data = store.national_data(dfe_dir or "")
    if data is None or data.neighbours.empty:
        return "", ()
    codes = tuple(c.old_code for c in councils)
    model = int(data.neighbours["model"].max())
    found = neighbours(data, codes, model)
    names = {c.old_code: c.name for c in all_councils()}
    return (
        f"DfE's model in use from {ReportYear(model - 1).label}",
        tuple(f"{names.get(code, code)} ({code})" for code in found),
    )


def params_text(
    partnership: str,
    councils: tuple[Council, ...],
    year: ReportYear,
    name: str | None,
    remit: tuple[str, ...],
    neighbours: tuple[str, tuple[str, ...]],
) -> str:
    """params/<partnership>.yaml with every key explained beside it."""
    places = " and ".join(c.name for c in councils)
    short = councils[0].name if len(councils) == 1 else partnership.replace("-", " ").title()
    adults = "adults" in remit
    full = name or f"{places} Safeguarding {'' if adults else 'Children '}Partnership"
    codes = ", ".join(_quoted(c.new_code) for c in councils)
    spelled = ", ".join(f"{_quoted(c.new_code)}: {_quoted(c.name)}" for c in councils)
    which = "; ".join(f"{c.name}: {c.old_code}, {c.new_code}" for c in councils)
    regions = sorted({c.region for c in councils})
    model, names = neighbours
    lines = [
        f"# {full}: parameters for the Thematic Review Workbook.",
        f"# Written by `workbook new` on {date.today():%d %B %Y}; edit any value (each key says",
        "# what it does). `workbook validate` checks this file with the data.",
        f"name: {_quoted(full)}  # the partnership's name, as the report's title gives it",
        f"short_name: {_quoted(short)}  # how tables and charts name the area",
        f"councils: [{codes}]  # {which} (DfE codes, old or new)",
        f"region: {_quoted(regions[0])}  # the region DfE's figures compare the area with"
        + (f" (the councils are in {', '.join(regions)}: choose one)" if len(regions) > 1 else ""),
        f"council_names: {{{spelled}}}  # how the data's council columns may name each council",
        f"remit: [{', '.join(remit)}]  # what the partnership answers for: children, and adults "
        "(a joint Safeguarding Adults Board) and community_safety (DHRs) where it does",
        "protective_marking: OFFICIAL  # on every page: OFFICIAL, OFFICIAL-SENSITIVE, NOT "
        "PROTECTIVELY MARKED or PUBLIC",
        "small_number_threshold: 5  # counts of people from 1 to this are published as 'c' "
        "(5 or fewer)",
        "lookback_years: 4  # the thematic review looks back over this many years (1 to 10)",
        "# sections: [introduction, local_picture]  # the sections to render; leave out for "
        "every section",
        "targets: {}  # local targets by indicator id, e.g. {care_leavers_neet_pct: 30}",
        "# withhold_counts_of: [reviews]  # counts of the partnership's work to withhold when "
        "small, as counts of people always are",
        "years:  # what one year changes (any key above, and the period its report covers), by "
        "reporting year",
        f"  {_quoted(year.label)}: {_year_text(year)}",
    ]
    if names:
        lines += [
            f"# Statistical neighbours ({model}), for reference only:",
            "# the local picture takes them from DfE's files for each year.",
            *[f"#   {n}" for n in names],
        ]
    return "\n".join(lines) + "\n"


def _year_text(year: ReportYear) -> str:
    """A year's entry: its period where the report does not run April to March."""
    if year.is_april_to_march:
        return (
            "{}  # e.g. {small_number_threshold: 10}, or {period_start: 2024-10-01, "
            "period_end: 2025-09-30} for a report that does not run April to March"
        )
    return (
        f"{{period_start: {year.start.isoformat()}, period_end: {year.end.isoformat()}}}  # the "
        f"report covers {year.period_text}"
    )


README = """\
# {name}: data for {year}

Written by `workbook new`. Each CSV file here is one table of the data contract
(docs/data-contract.md, or `workbook contract`) with its header row and no rows yet: the year
validates and renders as it is, and the pack says what is still missing.

| file | what it holds |
|---|---|
{files}
| `narrative/<block>.md` | the analyst's own text for a part of the report (foreword, ...) |

To fill the tables in Excel instead, `workbook template {partnership} {year} --out FILE.xlsx`
writes a workbook with a sheet per table, drop-down lists and instructions. Put the filled
workbook here in place of the CSV files (keep one form of the data), then:

    workbook validate {partnership} {year}
    workbook run {partnership} {year}
"""


def _remit(remit: list[str] | None, covers_adults: bool) -> tuple[str, ...]:
    """The remit as given (children always in it), or children (and adults) by default."""
    given = set(remit or ()) | {"children"} | ({"adults"} if covers_adults else set())
    unknown = sorted(given - set(REMITS))
    if unknown:
        raise ParamsError(
            f"{', '.join(map(repr, unknown))} is not a remit: give --remit "
            f"{', '.join(REMITS)} (repeat it for each)"
        )
    return tuple(r for r in REMITS if r in given)


def _period(year: ReportYear, start: str | None, end: str | None) -> ReportYear:
    """The year with the period given on the command line (dates written 2024-10-01)."""
    if start is None and end is None:
        return year
    try:
        first, last = (date.fromisoformat(v) if v else None for v in (start, end))
    except ValueError as exc:
        raise ParamsError(
            f"--period-start and --period-end are days written 2024-10-01: {exc}"
        ) from None
    return year.with_period(first, last)


def new_partnership(
    partnership: str,
    councils: list[str],
    year: str | None = None,
    name: str | None = None,
    covers_adults: bool = False,
    params_dir: Path | None = None,
    data_dir: Path | None = None,
    dfe_dir=None,
    remit: list[str] | None = None,
    period: tuple[str | None, str | None] = (None, None),
) -> NewPartnership:
    """Write params/<partnership>.yaml and data/<partnership>/<year>/ (headers only, README):
    its councils, its remit (children, adults, community_safety; `covers_adults` is the
    command line's --adults) and the year's period where it is not April to March."""
    paths.check_partnership_id(partnership)
    if not councils:
        raise ParamsError(
            "give the partnership's council with --council (a DfE code such as "
            "E10000016, or a name such as 'County Durham'); repeat it for each"
        )
    found = tuple(find_council(text) for text in councils)
    report_year = _period(ReportYear.parse(year) if year else latest_complete_year(), *period)
    remit_given = _remit(remit, covers_adults)
    params_folder = Path(params_dir or paths.params_dir())
    params_file = paths.inside(params_folder, params_folder / f"{partnership}.yaml", ParamsError)
    folder = paths.year_folder(partnership, report_year.label, data_dir)
    if params_file.exists():
        raise ParamsError(
            f"{params_file} already exists: choose another partnership id, or edit that file"
        )
    if folder.exists() and any(folder.iterdir()):
        raise ParamsError(
            f"{folder} already holds data: choose another partnership id or "
            "year, or validate that folder as it is"
        )
    notes = []
    for council in found:
        if council.last_year < report_year.label:
            later = "; ".join(c.name for c in successors(council))
            notes.append(
                f"{council.name}'s last figures in DfE's lists are for "
                f"{council.last_year}" + (f" (replaced by: {later})" if later else "")
            )
    neighbours = _neighbour_names(found, dfe_dir)
    text = params_text(partnership, found, report_year, name, remit_given, neighbours)
    try:
        params_file.parent.mkdir(parents=True, exist_ok=True)
        params_file.write_text(text, encoding="utf-8")
        write_empty_year(folder, partnership, report_year, name or found[0].name)
    except OSError as exc:
        raise OutputsError(
            f"cannot write {exc.filename or params_file}: "
            f"{(exc.strerror or 'refused').lower()}; give --params-dir and "
            "--data-dir folders you can write to"
        ) from exc
    return NewPartnership(params_file, folder, found, neighbours[1], tuple(notes))


def write_empty_year(folder: Path, partnership: str, year: ReportYear, name: str) -> None:
    """Every table of the contract as a header row (narrative as an empty folder), and a README."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for table in load_contract().values():
        if table.name == "narrative":
            continue
        (folder / f"{table.name}.csv").write_text(",".join(table.columns) + "\n", encoding="utf-8")
        first = table.description.split(":")[0].split(".")[0]
        rows.append(f"| `{table.name}.csv` | {first} |")
    (folder / "narrative").mkdir(exist_ok=True)
    (folder / "README.md").write_text(
        README.format(name=name, year=year.label, partnership=partnership, files="\n".join(rows)),
        encoding="utf-8",
    )
