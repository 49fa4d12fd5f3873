"""The `workbook` command: list, validate, run, code and indicators.

Users see messages, never stack traces: every `WorkbookError` becomes its text on stderr and a
non-zero exit code (2 parameters, 3 data, 4 a section failed, 1 anything else the user can fix).
Heavy imports (papermill, nbconvert, WeasyPrint) happen inside the commands that need them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbook.errors import WorkbookError


def _folder_options(parser: argparse.ArgumentParser, outputs: bool = False) -> None:
    parser.add_argument("--data-dir", type=Path, help="data folder (default: the project's data/)")
    parser.add_argument("--params-dir", type=Path,
                        help="parameters folder (default: the project's params/)")
    if outputs:
        parser.add_argument("--outputs-dir", type=Path,
                            help="outputs folder (default: the project's outputs/)")


def _cmd_list(args) -> int:
    from workbook.loading import available_years
    from workbook.params import list_partnerships, load_params

    for partnership in list_partnerships(args.params_dir):
        years = available_years(partnership, args.data_dir)
        name = load_params(partnership, years[-1], args.params_dir).name if years else ""
        print(f"{partnership:<16} {' '.join(years) or '(no data)':<40} {name}")
    return 0


def _cmd_validate(args) -> int:
    from workbook.params import load_params
    from workbook.runner import validate_for_run

    params = load_params(args.partnership, args.year, args.params_dir)
    years = validate_for_run(params, args.data_dir)
    print(f"{params.name} {params.year}: data valid ({', '.join(years)} checked)")
    return 0


def _targets(args) -> list[tuple[str, str]]:
    from workbook.loading import available_years
    from workbook.params import list_partnerships

    if not args.all:
        if not (args.partnership and args.year):
            raise WorkbookError("give PARTNERSHIP YEAR, or --all")
        return [(args.partnership, args.year)]
    return [(p, y) for p in list_partnerships(args.params_dir)
            for y in available_years(p, args.data_dir)]


def _cmd_run(args) -> int:
    from workbook.runner import RunSettings, run_partnership_year

    settings = RunSettings(data_dir=args.data_dir, params_dir=args.params_dir,
                           outputs_dir=args.outputs_dir)
    failures = 0
    for partnership, year in _targets(args):
        print(f"Rendering {partnership} {year}")
        try:
            target = run_partnership_year(partnership, year, settings)
        except WorkbookError as exc:
            if not args.all:
                raise
            failures += 1
            print(f"error: {exc}", file=sys.stderr)
            continue
        print(f"  wrote {target}")
    return 1 if failures else 0


def _cmd_code(args) -> int:
    from workbook.codebook import load_codebook
    from workbook.coding import code_file

    codebook = load_codebook(args.codebook) if args.codebook else None
    coded = code_file(args.file, args.out, codebook)
    id_column = coded.columns[0]
    uncoded = coded.loc[coded["source"] == "uncoded", id_column].nunique()
    print(f"coded {coded[id_column].nunique()} findings into {args.out} ({uncoded} with no theme)")
    return 0


def _cmd_contract(args) -> int:
    from workbook.contract import contract_markdown

    print(contract_markdown(), end="")
    return 0


def _cmd_indicators(args) -> int:
    from workbook import dfe, paths
    from workbook import indicators as ind

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
        table.to_csv(sys.stdout, index=False)
    else:
        print(f"{area.label} ({', '.join(area.codes)}), {args.year}: DfE figures from {data.origin}")
        print(ind.printable(table).to_string(index=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbook",
        description="Thematic Review Workbook: a safeguarding partnership's annual report sections "
                    "from its data.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="partnerships and years that can be rendered")
    _folder_options(listing)
    listing.set_defaults(func=_cmd_list)

    validate = commands.add_parser("validate", help="check a partnership-year against the contract")
    validate.add_argument("partnership")
    validate.add_argument("year", help="reporting year, e.g. 2019-20")
    _folder_options(validate)
    validate.set_defaults(func=_cmd_validate)

    run = commands.add_parser("run", help="render a partnership-year's sections (HTML and PDF)")
    run.add_argument("partnership", nargs="?")
    run.add_argument("year", nargs="?", help="reporting year, e.g. 2019-20")
    run.add_argument("--all", action="store_true", help="every partnership and year with data")
    _folder_options(run, outputs=True)
    run.set_defaults(func=_cmd_run)

    code = commands.add_parser("code", help="code a findings CSV (id,text) into themes with evidence")
    code.add_argument("file", type=Path, help="CSV with columns id (or finding_id) and text")
    code.add_argument("--out", type=Path, required=True, help="where to write the coded CSV")
    code.add_argument("--codebook", type=Path, help="codebook YAML (default: data/codebook/themes.yaml)")
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
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except WorkbookError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
