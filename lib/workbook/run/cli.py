"""The `workbook` command: list, validate, run, code, codebook, indicators, new and template.

Its arguments are built in `workbook.run.parser`; the commands live in `commands`,
`coding_commands` and `onboarding_commands` beside it.

Users see messages, never stack traces: every `WorkbookError` becomes its text on stderr and
its exit code (the table is `workbook.core.errors.ExitCode`, the README's is checked against it).
Heavy imports (papermill, nbconvert, WeasyPrint) happen inside the commands that need them.
"""

from __future__ import annotations

import signal
import sys
from typing import NoReturn

from workbook.core import settings
from workbook.core.errors import ExitCode, WorkbookError
from workbook.run import speed
from workbook.run.parser import build_parser

__all__ = ["build_parser", "console_main", "main"]


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
        print(
            f"error: unexpected {type(exc).__name__}: {exc}\n  this is a defect in the "
            "workbook, not in your data; run again with WORKBOOK_DEBUG=1 for the details "
            "and report them",
            file=sys.stderr,
        )
        return ExitCode.DEFECT


def _stopped(signum, frame) -> NoReturn:
    """SIGTERM (systemd stopping a service, a scheduler's time limit) ends a command the way
    Ctrl-C does: the run's clean-up (staging folder, kernel and its folder) still happens."""
    raise KeyboardInterrupt


def console_main() -> NoReturn:
    """The `workbook` command as installed: `main`, then an immediate exit (see
    `workbook.run.speed.exit_at_once`)."""
    signal.signal(signal.SIGTERM, _stopped)
    speed.exit_at_once(main())


if __name__ == "__main__":
    console_main()
