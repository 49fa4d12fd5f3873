"""The `workbook` commands that list, check and render partnership-years, and print the data
contract and national indicators (`workbook list|validate|run|contract|indicators`).

Each takes the parsed command line and returns an exit code; a problem with what was asked for
is raised as a `WorkbookError` for `workbook.run.cli.main` to report. Heavy imports (papermill,
nbconvert, WeasyPrint, pandas) happen inside the commands that need them.
"""

from __future__ import annotations

import sys
from datetime import date

from workbook.core.errors import ExitCode, ParamsError, WorkbookError


def cmd_list(args) -> int:
    """Every partnership with its years; a parameters file with a problem is listed with it,
    and the others still are."""
    from workbook.core import paths
    from workbook.core.paths import available_years
    from workbook.inputs.params import load_params, parameter_files, read_partnership_file

    folder = args.params_dir or paths.params_dir()
    bad = 0
    for partnership in parameter_files(args.params_dir):
        try:
            years = available_years(partnership, args.data_dir)
            name = read_partnership_file(folder / f"{partnership}.yaml").name
            if years:  # the latest year's overrides must hold too
                load_params(partnership, years[-1], args.params_dir)
        except WorkbookError as exc:
            bad += 1
            reason = "; ".join(line.strip() for line in str(exc).splitlines()[:2])
            print(f"{partnership:<16} {'(cannot be used)':<40} {reason}")
            continue
        print(f"{partnership:<16} {' '.join(years) or '(no data)':<40} {name}")
    if bad:
        print(
            f"{bad} parameters file(s) cannot be used: `workbook validate PARTNERSHIP YEAR` "
            "shows every problem in one",
            file=sys.stderr,
        )
    return ExitCode.PARAMETERS if bad else ExitCode.OK


def cmd_validate(args) -> int:
    from workbook.inputs.contract import additions_summary
    from workbook.inputs.params import load_params
    from workbook.run.checks import check_year

    params = load_params(args.partnership, args.year, args.params_dir)
    checked = check_year(params, args.data_dir)
    tables = checked.tables
    period = params.report_year
    which = "" if period.is_april_to_march else f" ({period.period_text})"
    print(f"{params.name} {params.year}{which}: data valid ({', '.join(checked.years)} checked)")
    empty = [
        name
        for name in ("reviews", "audits", "findings", "actions", "indicators")
        if name in tables and tables[name].empty
    ]
    if empty:
        print(f"still empty in {params.year}: {', '.join(empty)} (the pack will show none)")
    for line in additions_summary(tables, several_councils=len(params.councils) > 1):
        print(line)
    for warning in checked.cells + checked.disagreements + checked.identifiers:
        print(f"warning: {warning}", file=sys.stderr)
    if flags := checked.identifiers:
        print(
            f"{len(flags)} possible personal identifiers in text to be published: check "
            "them before the board sees the report (they do not stop a run)",
            file=sys.stderr,
        )
    for reminder in _statutory_reminders(tables, params):
        print(f"warning: {reminder}", file=sys.stderr)
    return 0


def _statutory_reminders(tables, params) -> list[str]:
    """The yearly report's deadlines, and an analyst's summary for children that is not plain."""
    from workbook.inputs.publication import publication_warnings
    from workbook.text.readability import plain_language_problems

    reminders = publication_warnings(tables, params.report_year, date.today())
    blocks = tables.get("narrative")
    summary = (
        blocks.loc[blocks["block"] == "plain_summary", "markdown"] if blocks is not None else []
    )
    for text in summary:
        reminders += [
            f"narrative block plain_summary: {problem}" for problem in plain_language_problems(text)
        ]
    return reminders


def cmd_run(args) -> int:
    from workbook.run.settings import RunSettings

    settings = RunSettings(
        data_dir=args.data_dir,
        params_dir=args.params_dir,
        outputs_dir=args.outputs_dir,
        force=args.force,
        cell_timeout=args.cell_timeout,
    )
    if args.partnership and args.year and not (args.all or args.dask_scheduler):
        return _run_single(args.partnership, args.year, settings)
    if not (args.all or args.partnership or args.year):
        raise ParamsError(
            "give PARTNERSHIP YEAR, or --all (optionally with --partnership and --year filters)"
        )
    return _run_many(args, settings)


def _run_single(partnership: str, year: str, settings) -> int:
    """One partnership-year in this process, messages straight to the terminal."""
    from workbook.run.runner import run_partnership_year

    print(f"Rendering {partnership} {year}")
    result = run_partnership_year(partnership, year, settings)
    verb = "unchanged, skipped" if result.status == "skipped" else "wrote"
    pages = f"a board pack of {result.pages} pages, " if result.pages else ""
    print(f"  {verb} {result.target} ({pages}{result.seconds:.1f} s)")
    return 0


def _run_many(args, settings) -> int:
    """A batch: parallel workers (or a Dask cluster), a progress bar and a summary table."""
    from tqdm import tqdm

    from workbook.core.paths import PARTNERSHIP_ID
    from workbook.inputs.params import parameter_files
    from workbook.run.batch import run_batch, summary_table, targets
    from workbook.run.dask_batch import run_on_dask

    work = targets(args.params_dir, args.data_dir, args.partnership, args.year)
    for name in parameter_files(args.params_dir):
        if PARTNERSHIP_ID.fullmatch(name):
            continue
        print(
            f"warning: params/{name}.yaml is not run: its name is not a partnership id "
            "(lower-case letters, digits, '-' and '_'); rename the file",
            file=sys.stderr,
        )
    if not work:
        raise ParamsError("no partnership-year matches: see `workbook list`")
    # The progress bar is for a person at a terminal (None: tqdm draws it on a terminal only);
    # a scheduled run's log gets the summary table, not the bar's redrawn lines.
    with tqdm(
        total=len(work),
        unit="run",
        desc="Rendering",
        file=sys.stderr,
        disable=True if args.quiet else None,
    ) as bar:

        def progress(result):
            bar.set_postfix_str(f"{result.partnership} {result.year} {result.status}")
            bar.update()

        if args.dask_scheduler:
            results = run_on_dask(work, settings, args.dask_scheduler, progress)
        else:
            results = run_batch(work, settings, args.workers, args.run_timeout, progress)
    print(summary_table(results))
    return ExitCode.BATCH if any(r.status == "failed" for r in results) else ExitCode.OK


def cmd_contract(args) -> int:
    from workbook.inputs.contract import contract_markdown

    print(contract_markdown(), end="")
    return 0


def cmd_indicators(args) -> int:
    from workbook.core import paths
    from workbook.core.spreadsheet_safety import write_csv
    from workbook.national import indicators as ind
    from workbook.national import store

    if args.target == "import":
        data = store.import_folder(args.year)
        years = ind.ReportYear(data.time_periods[0] - 1), ind.ReportYear(data.time_periods[-1] - 1)
        print(
            f"imported {len(data.figures):,} DfE figures ({years[0]} to {years[1]}) "
            f"into {paths.national_store()}"
        )
        return 0
    national = store.national_data(args.dfe_dir or "")
    if national is None:
        raise WorkbookError(
            "no DfE figures: give --dfe-dir DIR, run 'workbook indicators import "
            "DIR', or set WORKBOOK_DFE_DIR"
        )
    area = ind.area_for(args.target, args.year, national, args.params_dir)
    table = ind.indicator_table(national, area, args.year)
    if args.format == "csv":
        write_csv(table, sys.stdout)
    else:
        codes = ", ".join(area.codes)
        print(f"{area.label} ({codes}), {args.year}: DfE figures from {national.origin}")
        print(ind.printable(table).to_string(index=False))
    return 0
