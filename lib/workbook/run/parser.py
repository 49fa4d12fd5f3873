"""The `workbook` command line: every command's arguments and help, and the command each runs
(in `commands`, `coding_commands` and `onboarding_commands`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from workbook.core.errors import ExitCode
from workbook.run.coding_commands import cmd_code, cmd_codebook
from workbook.run.commands import cmd_contract, cmd_indicators, cmd_list, cmd_run, cmd_validate
from workbook.run.onboarding_commands import cmd_new, cmd_template


class _Parser(argparse.ArgumentParser):
    """argparse's parser, ending a wrong command line with the parameters' exit code and a
    pointer to the help, like every other problem with what was asked for."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(ExitCode.PARAMETERS, f"error: {message} (see `{self.prog} --help`)\n")


def _folder_options(
    parser: argparse.ArgumentParser, data: bool = True, outputs: bool = False
) -> None:
    if data:
        parser.add_argument(
            "--data-dir", type=Path, help="data folder (default: the project's data/)"
        )
    parser.add_argument(
        "--params-dir", type=Path, help="parameters folder (default: the project's params/)"
    )
    if outputs:
        parser.add_argument(
            "--outputs-dir", type=Path, help="outputs folder (default: the project's outputs/)"
        )


def _partnership_year(
    command: argparse.ArgumentParser, optional: bool = False, example: str = "2019-20"
) -> None:
    """The PARTNERSHIP YEAR a command works on, said alike by every command that takes them."""
    nargs = "?" if optional else None
    command.add_argument("partnership", nargs=nargs, help="partnership id (a file in params/)")
    command.add_argument("year", nargs=nargs, help=f"reporting year, e.g. {example}")


def _command(
    commands, func: Callable[[argparse.Namespace], int], name: str, **texts: str
) -> argparse.ArgumentParser:
    """A command of `workbook`, with the function that carries it out (its `help` and any
    `description` as argparse takes them)."""
    command = commands.add_parser(name, **texts)
    command.set_defaults(func=func)
    return command


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="workbook",
        description="Thematic Review Workbook: a safeguarding partnership's annual report sections "
        "from its data.",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    listing = _command(
        commands, cmd_list, "list", help="partnerships and years that can be rendered"
    )
    _folder_options(listing)

    validate = _command(
        commands, cmd_validate, "validate", help="check a partnership-year against the contract"
    )
    _partnership_year(validate)
    _folder_options(validate)

    run = _command(
        commands,
        cmd_run,
        "run",
        help="render a partnership-year's sections and board pack (HTML and PDF)",
    )
    _partnership_year(run, optional=True)
    run.add_argument(
        "--all", action="store_true", help="every partnership and year with data, in parallel"
    )
    run.add_argument(
        "--partnership",
        dest="partnership_filter",
        metavar="ID",
        help="with --all: only this partnership",
    )
    run.add_argument(
        "--year", dest="year_filter", metavar="YEAR", help="with --all: only this year"
    )
    run.add_argument("--workers", type=int, help="parallel runs (default: the machine's cores)")
    run.add_argument(
        "--force",
        action="store_true",
        help="re-render even when nothing changed since the last success",
    )
    run.add_argument(
        "--dask-scheduler",
        metavar="ADDRESS",
        help="run each partnership-year as a task on this Dask cluster",
    )
    run.add_argument(
        "--cell-timeout",
        type=int,
        default=600,
        help="seconds a notebook cell may run (default 600)",
    )
    run.add_argument(
        "--run-timeout",
        type=int,
        default=1800,
        help="seconds one partnership-year may take in a batch (default 1800)",
    )
    run.add_argument(
        "--quiet", action="store_true", help="no progress bar (it is drawn on a terminal only)"
    )
    _folder_options(run, outputs=True)

    code = _command(
        commands, cmd_code, "code", help="code a findings CSV (id,text) into themes with evidence"
    )
    code.add_argument("file", type=Path, help="CSV with columns id (or finding_id) and text")
    code.add_argument("--out", type=Path, required=True, help="where to write the coded CSV")
    code.add_argument(
        "--codebook", type=Path, help="codebook YAML (default: data/codebook/themes.yaml)"
    )
    code.add_argument(
        "--sources",
        type=Path,
        metavar="SOURCES.csv",
        help="the findings' reviews and audits (source_id, kind, title): their "
        "titles and types suggest themes, shown as from_source rows",
    )
    code.add_argument(
        "--count-source-themes",
        action="store_true",
        help="count the themes the sources suggest (default: only show them)",
    )
    code.add_argument(
        "--qdpx",
        type=Path,
        metavar="PROJECT.qdpx",
        help="also write the coded findings as a REFI-QDA project (QualCoder, NVivo, ATLAS.ti)",
    )

    new = _command(
        commands,
        cmd_new,
        "new",
        help="start a partnership: its parameters and an empty, valid year of data",
        description="workbook new PARTNERSHIP --council CODE_OR_NAME writes "
        "params/PARTNERSHIP.yaml (name, region and neighbours looked up from the "
        "council) and "
        "data/PARTNERSHIP/YEAR/ with every table's header row.",
    )
    new.add_argument("partnership", help="the new partnership's id, e.g. kent (lower case)")
    new.add_argument(
        "--council",
        action="append",
        default=[],
        metavar="CODE_OR_NAME",
        help="a council the partnership covers: DfE code (886, E10000016) or name "
        "('County Durham'); repeat for each council",
    )
    new.add_argument(
        "--year", help="reporting year, e.g. 2024-25 (default: the last year that ended)"
    )
    new.add_argument("--name", help="the partnership's full name (default: from the council)")
    new.add_argument(
        "--adults", action="store_true", help="a joint children's and adults' partnership"
    )
    new.add_argument(
        "--remit",
        action="append",
        choices=["children", "adults", "community_safety"],
        help="what the partnership answers for besides children: adults (a joint Safeguarding "
        "Adults Board), community_safety (domestic homicide reviews); repeat for each",
    )
    new.add_argument(
        "--period-start",
        metavar="YYYY-MM-DD",
        help="the first day the year's report covers, where it does not run April to March",
    )
    new.add_argument(
        "--period-end", metavar="YYYY-MM-DD", help="the last day the year's report covers"
    )
    new.add_argument(
        "--dfe-dir",
        type=Path,
        help="folder of DfE files for the neighbours (default: the imported store)",
    )
    _folder_options(new)

    template = _command(
        commands,
        cmd_template,
        "template",
        help="write an Excel workbook for a partnership-year, for agencies to fill",
        description="One sheet per table with headers, drop-down lists, date formats, "
        "instructions and the year's existing data.",
    )
    _partnership_year(template, example="2024-25")
    template.add_argument("--out", type=Path, required=True, help="the workbook to write (.xlsx)")
    _folder_options(template)

    codebook = _command(
        commands,
        cmd_codebook,
        "codebook",
        help="export the codebook, learn from an analyst's coding, exchange with "
        "QualCoder and NVivo",
        description="workbook codebook export --qdc FILE writes the codebook as a REFI-QDA "
        "codebook; suggest proposes codebook changes from the findings an analyst "
        "coded differently; apply writes the accepted ones into the codebook; "
        "import-qdpx reads an analyst's coding back from a REFI-QDA project.",
    )
    actions = codebook.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="write the codebook as a REFI-QDA codebook (.qdc)")
    export.add_argument("--qdc", type=Path, required=True, metavar="CODEBOOK.qdc")
    suggestion = actions.add_parser(
        "suggest", help="propose phrases and exclusions from the findings an analyst coded"
    )
    suggestion.add_argument(
        "findings", type=Path, help="CSV with id (or finding_id), text and the analyst's themes"
    )
    suggestion.add_argument(
        "--out",
        type=Path,
        default=Path("codebook-suggestions.yaml"),
        help="suggestions file to write (default: codebook-suggestions.yaml)",
    )
    suggestion.add_argument(
        "--min-support",
        type=int,
        default=2,
        help="findings a suggestion must put right (default 2)",
    )
    apply = actions.add_parser("apply", help="write the accepted suggestions into the codebook")
    apply.add_argument("suggestions", type=Path, help="the suggestions file, edited")
    importing = actions.add_parser(
        "import-qdpx", help="read an analyst's coding from a REFI-QDA project as themes"
    )
    importing.add_argument("project", type=Path, help="the .qdpx file exported by the QDA tool")
    importing.add_argument(
        "--out",
        type=Path,
        required=True,
        help="CSV to write: the findings with their analyst themes",
    )
    importing.add_argument(
        "--findings",
        type=Path,
        help="findings CSV whose themes column to fill (other columns kept)",
    )
    importing.add_argument(
        "--accept-automatic",
        action="store_true",
        help="count the automatic codings the analyst left in the project",
    )
    for sub in (export, suggestion, apply, importing):
        sub.add_argument(
            "--codebook", type=Path, help="codebook YAML (default: data/codebook/themes.yaml)"
        )

    _command(commands, cmd_contract, "contract", help="print the data contract as Markdown")
    indicators = _command(
        commands,
        cmd_indicators,
        "indicators",
        help="national indicators for a partnership or LA code, or import DfE files",
        description="workbook indicators PARTNERSHIP_OR_LA YEAR prints the indicator table; "
        "workbook indicators import DIR loads a folder of DfE files into the store.",
    )
    indicators.add_argument("target", help="partnership id, LA code (841 or E06000005), or import")
    indicators.add_argument("year", help="reporting year, e.g. 2019-20 (with import: the folder)")
    indicators.add_argument(
        "--dfe-dir", type=Path, help="folder of DfE files (default: the imported store)"
    )
    indicators.add_argument("--format", choices=("table", "csv"), default="table")
    _folder_options(indicators, data=False)
    return parser
