"""The `workbook` command: list, validate, run, code, codebook, indicators, new and template.

Its arguments are built in `workbook.run.parser`; the commands live in `commands`,
`coding_commands` and `onboarding_commands` beside it.

Users see one line per problem, never a stack trace: every `WorkbookError` becomes its text on
stderr and its exit code (the table is `workbook.core.errors.ExitCode`, the README's is checked
against it), a stop by SIGTERM or Ctrl-C is one line and exit code 130 wherever it comes (see
`workbook.run.stopping`), and anything else is a defect, said in one line (WORKBOOK_DEBUG=1 shows
the full error). Heavy imports (papermill, nbconvert, WeasyPrint) happen inside the commands that
need them.
"""

from __future__ import annotations

import sys
from typing import NoReturn

from workbook.core import settings
from workbook.core.errors import ExitCode, WorkbookError
from workbook.run import speed, stopping
from workbook.run.parser import build_parser

__all__ = ["build_parser", "console_main", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit code (see `workbook.core.errors.ExitCode`)."""
    try:
        try:
            return _command(argv)
        finally:
            stopping.ignore_more()  # the outcome is decided: a late signal changes nothing
    except KeyboardInterrupt as exc:  # anywhere, even while another problem was being reported
        print(
            f"stopped by {stopping.describe(exc)}: earlier outputs are untouched",
            file=sys.stderr,
        )
        return ExitCode.INTERRUPTED


def _command(argv: list[str] | None) -> int:
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
        stopping.check()  # a failure met while stopping is the stop
        print(f"error: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except Exception as exc:  # a defect: users get one line, maintainers set WORKBOOK_DEBUG=1
        stopping.check()
        if settings.debug():
            raise
        said = next(iter(str(exc).strip().splitlines()), "")[:300]
        print(
            f"error: unexpected {type(exc).__name__}{': ' + said if said else ''}; this is a "
            "defect in the workbook, not in your data: run again with WORKBOOK_DEBUG=1 for the "
            "details and report them",
            file=sys.stderr,
        )
        return ExitCode.DEFECT


def console_main() -> NoReturn:
    """The `workbook` command as installed: SIGTERM and SIGINT handled as a stop, `main`, then
    an immediate exit (see `workbook.run.speed.exit_at_once`)."""
    stopping.install()
    speed.exit_at_once(main())


if __name__ == "__main__":
    console_main()
