"""The `workbook` command: list, validate, run, code and indicators.

Users see messages, never stack traces: every `WorkbookError` becomes its text on stderr and
its exit code (the table is `workbook.core.errors.ExitCode`, the README's is checked against it).
Heavy imports (papermill, nbconvert, WeasyPrint) happen inside the commands that need them.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path
from typing import NoReturn

from workbook.core import settings
from workbook.core.errors import ExitCode, ParamsError, WorkbookError


class _Parser(argparse.ArgumentParser):
    """argparse's parser, ending a wrong command line with the parameters' exit code and a
    pointer to the help, like every other problem with what was asked for."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(ExitCode.PARAMETERS, f"error: {message} (see `{self.prog} --help`)\n")


def _folder_options(parser: argparse.ArgumentParser, outputs: bool = False) -> None:
    parser.add_argument("--data-dir", type=Path, help="data folder (default: the project's data/)")
    parser.add_argument("--params-dir", type=Path,
                        help="parameters folder (default: the project's params/)")
    if outputs:
        parser.add_argument("--outputs-dir", type=Path,
                            help="outputs folder (default: the project's outputs/)")


def _cmd_list(args) -> int:
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
        print(f"{bad} parameters file(s) cannot be used: `workbook validate PARTNERSHIP YEAR` "
              "shows every problem in one", file=sys.stderr)
    return ExitCode.PARAMETERS if bad else ExitCode.OK


def _cmd_validate(args) -> int:
    from workbook.inputs.params import load_params
    from workbook.run.runner import validate_for_run, years_read
    from workbook.text.safety import screen_year

    params = load_params(args.partnership, args.year, args.params_dir)
    tables = validate_for_run(params, args.data_dir)
    years = years_read(params, args.data_dir)
    print(f"{params.name} {params.year}: data valid ({', '.join(years)} checked)")
    flags = screen_year(tables)
    for flag in flags:
        print(f"warning: {flag}", file=sys.stderr)
    if flags:
        print(f"{len(flags)} possible personal identifiers in text to be published: check "
              "them before the board sees the report (they do not stop a run)", file=sys.stderr)
    return 0


def _cmd_run(args) -> int:
    from workbook.run.runner import RunSettings

    settings = RunSettings(data_dir=args.data_dir, params_dir=args.params_dir,
                           outputs_dir=args.outputs_dir, force=args.force,
                           cell_timeout=args.cell_timeout)
    if args.partnership and args.year and not (args.all or args.dask_scheduler):
        return _run_single(args.partnership, args.year, settings)
    if not (args.all or args.partnership or args.year):
        raise ParamsError("give PARTNERSHIP YEAR, or --all (optionally with --partnership "
                          "and --year filters)")
    return _run_many(args, settings)


def _run_single(partnership: str, year: str, settings) -> int:
    """One partnership-year in this process, messages straight to the terminal."""
    from workbook.run.runner import run_partnership_year

    print(f"Rendering {partnership} {year}")
    result = run_partnership_year(partnership, year, settings)
    verb = "unchanged, skipped" if result.status == "skipped" else "wrote"
    print(f"  {verb} {result.target} ({result.seconds:.1f} s)")
    return 0


def _run_many(args, settings) -> int:
    """A batch: parallel workers (or a Dask cluster), a progress bar and a summary table."""
    from tqdm import tqdm

    from workbook.core.paths import PARTNERSHIP_ID
    from workbook.inputs.params import parameter_files
    from workbook.run.batch import run_batch, run_on_dask, summary_table, targets

    work = targets(args.params_dir, args.data_dir, args.partnership, args.year)
    for name in parameter_files(args.params_dir):
        if PARTNERSHIP_ID.fullmatch(name):
            continue
        print(f"warning: params/{name}.yaml is not run: its name is not a partnership id "
              "(lower-case letters, digits, '-' and '_'); rename the file", file=sys.stderr)
    if not work:
        raise ParamsError("no partnership-year matches: see `workbook list`")
    with tqdm(total=len(work), unit="run", desc="Rendering", file=sys.stderr,
              disable=args.quiet) as bar:
        def progress(result):
            bar.set_postfix_str(f"{result.partnership} {result.year} {result.status}")
            bar.update()

        if args.dask_scheduler:
            results = run_on_dask(work, settings, args.dask_scheduler, progress)
        else:
            results = run_batch(work, settings, args.workers, args.run_timeout, progress)
    print(summary_table(results))
    return ExitCode.BATCH if any(r.status == "failed" for r in results) else ExitCode.OK


def _cmd_code(args) -> int:
    from workbook.coding.codebook import load_codebook
    from workbook.coding.coder import code_file

    codebook = load_codebook(args.codebook) if args.codebook else None
    coded = code_file(args.file, args.out, codebook)
    id_column = coded.columns[0]
    uncoded = coded.loc[coded["source"] == "uncoded", id_column].nunique()
    print(f"coded {coded[id_column].nunique()} findings into {args.out} ({uncoded} with no theme)")
    return 0


def _cmd_contract(args) -> int:
    from workbook.inputs.contract import contract_markdown

    print(contract_markdown(), end="")
    return 0


def _cmd_indicators(args) -> int:
    from workbook.core import paths
    from workbook.core.spreadsheet_safety import write_csv
    from workbook.national import dfe
    from workbook.national import indicators as ind

    if args.target == "import":
        data = dfe.import_folder(args.year)
        years = ind.ReportYear(data.time_periods[0] - 1), ind.ReportYear(data.time_periods[-1] - 1)
        print(f"imported {len(data.figures):,} DfE figures ({years[0]} to {years[1]}) "
              f"into {paths.national_store()}")
        return 0
    data = dfe.national_data(args.dfe_dir or "")
    if data is None:
        raise WorkbookError("no DfE figures: give --dfe-dir DIR, run 'workbook indicators import "
                            "DIR', or set WORKBOOK_DFE_DIR")
    area = ind.area_for(args.target, args.year, data, args.params_dir)
    table = ind.indicator_table(data, area, args.year)
    if args.format == "csv":
        write_csv(table, sys.stdout)
    else:
        print(f"{area.label} ({', '.join(area.codes)}), {args.year}: "
              f"DfE figures from {data.origin}")
        print(ind.printable(table).to_string(index=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="workbook",
        description="Thematic Review Workbook: a safeguarding partnership's annual report sections "
                    "from its data.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     parser_class=_Parser)

    listing = commands.add_parser("list", help="partnerships and years that can be rendered")
    _folder_options(listing)
    listing.set_defaults(func=_cmd_list)

    validate = commands.add_parser("validate", help="check a partnership-year against the contract")
    validate.add_argument("partnership")
    validate.add_argument("year", help="reporting year, e.g. 2019-20")
    _folder_options(validate)
    validate.set_defaults(func=_cmd_validate)

    run = commands.add_parser(
        "run", help="render a partnership-year's sections and board pack (HTML and PDF)")
    run.add_argument("partnership", nargs="?", help="partnership id (a file in params/)")
    run.add_argument("year", nargs="?", help="reporting year, e.g. 2019-20")
    run.add_argument("--all", action="store_true",
                     help="every partnership and year with data, in parallel")
    run.add_argument("--partnership", dest="partnership_filter", metavar="ID",
                     help="with --all: only this partnership")
    run.add_argument("--year", dest="year_filter", metavar="YEAR",
                     help="with --all: only this year")
    run.add_argument("--workers", type=int, help="parallel runs (default: the machine's cores)")
    run.add_argument("--force", action="store_true",
                     help="re-render even when nothing changed since the last success")
    run.add_argument("--dask-scheduler", metavar="ADDRESS",
                     help="run each partnership-year as a task on this Dask cluster")
    run.add_argument("--cell-timeout", type=int, default=600,
                     help="seconds a notebook cell may run (default 600)")
    run.add_argument("--run-timeout", type=int, default=1800,
                     help="seconds one partnership-year may take in a batch (default 1800)")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    _folder_options(run, outputs=True)
    run.set_defaults(func=_cmd_run)

    code = commands.add_parser("code",
                               help="code a findings CSV (id,text) into themes with evidence")
    code.add_argument("file", type=Path, help="CSV with columns id (or finding_id) and text")
    code.add_argument("--out", type=Path, required=True, help="where to write the coded CSV")
    code.add_argument("--codebook", type=Path,
                      help="codebook YAML (default: data/codebook/themes.yaml)")
    code.set_defaults(func=_cmd_code)

    contract = commands.add_parser("contract", help="print the data contract as Markdown")
    contract.set_defaults(func=_cmd_contract)
    indicators = commands.add_parser(
        "indicators", help="national indicators for a partnership or LA code, or import DfE files",
        description="workbook indicators PARTNERSHIP_OR_LA YEAR prints the indicator table; "
                    "workbook indicators import DIR loads a folder of DfE files into the store.")
    indicators.add_argument("target", help="partnership id, LA code (841 or E06000005), or import")
    indicators.add_argument("year", help="reporting year, e.g. 2019-20 (with import: the folder)")
    indicators.add_argument("--dfe-dir", type=Path,
                            help="folder of DfE files (default: the imported store)")
    indicators.add_argument("--format", choices=("table", "csv"), default="table")
    indicators.add_argument("--params-dir", type=Path,
                            help="parameters folder (default: the project's params/)")
    indicators.set_defaults(func=_cmd_indicators)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit code (see `workbook.core.errors.ExitCode`)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a wrong command line (already explained)
        return exc.code if isinstance(exc.code, int) else ExitCode.PARAMETERS
    if args.command == "run":  # --partnership/--year filter what --all finds
        args.partnership = args.partnership or args.partnership_filter
        args.year = args.year or args.year_filter
    try:
        return int(args.func(args))
    except WorkbookError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("interrupted: earlier outputs are untouched", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except Exception as exc:  # a defect: users get one line, maintainers set WORKBOOK_DEBUG=1
        if settings.debug():
            raise
        print(f"error: unexpected {type(exc).__name__}: {exc}\n  this is a defect in the "
              "workbook, not in your data; run again with WORKBOOK_DEBUG=1 for the details "
              "and report them", file=sys.stderr)
        return ExitCode.DEFECT


def _stopped(signum, frame) -> NoReturn:
    """SIGTERM (systemd stopping a service, a scheduler's time limit) ends a command the way
    Ctrl-C does: the run's clean-up (staging folder, kernel and its folder) still happens."""
    raise KeyboardInterrupt


def console_main() -> NoReturn:
    """The `workbook` command as installed: `main`, then an immediate exit.

    Everything a command writes is closed by then (files by their context managers, the kernel
    stopped, log lines flushed as they are written). Tearing the interpreter down would only
    free, object by object, the pandas, WeasyPrint and laid-out documents the operating system
    reclaims anyway: 0.45 s of a 6.7 s run, measured.
    """
    signal.signal(signal.SIGTERM, _stopped)
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    console_main()
