"""Errors that users see as a message, never as a stack trace, and the exit code of each kind.

The CLI catches ``WorkbookError`` and prints its text; anything else is a defect. Every exit
code the `workbook` command can end with is in `ExitCode`, each with one meaning, and the
README's table of exit codes is checked against `EXIT_CODES`
(tests/unit/core/test_exit_codes.py), so a scheduler or a script can act on the code alone.
"""

from __future__ import annotations

import traceback
from enum import IntEnum

from workbook.core import settings


class ExitCode(IntEnum):
    """What the `workbook` command's exit code means; each number has one meaning."""

    OK = 0
    OTHER = 1
    PARAMETERS = 2
    DATA = 3
    SECTION_FAILED = 4
    CODEBOOK = 5
    NATIONAL = 6
    OUTPUTS = 7
    BATCH = 8
    DEFECT = 70
    INTERRUPTED = 130


EXIT_CODES: dict[ExitCode, str] = {
    ExitCode.OK: "done: every run rendered, or skipped because nothing changed",
    ExitCode.OTHER: "another problem you can fix, named in the message (the project folder, "
    "the notebooks folder)",
    ExitCode.PARAMETERS: "the command line or a parameters file (`params/<partnership>.yaml`) "
    "is wrong: an unknown partnership, a year not written like 2019-20, "
    "a partnership id that is not a plain name, a bad key or value, a file beyond what "
    "parameters need (nested aliases, depth, size); `workbook list` still lists every "
    "partnership, marking each file that cannot be used with its first problem",
    ExitCode.DATA: "the year's data cannot be read or break the data contract (a missing "
    "data folder, an Excel workbook beside CSV files, a bad cell, a file far beyond any "
    "partnership's size or a zip bomb posing as a workbook), or the CSV given to `workbook "
    "code` cannot be read",
    ExitCode.SECTION_FAILED: "a section notebook failed or timed out; its executed notebook "
    "is kept in `outputs/<partnership>/logs/`",
    ExitCode.CODEBOOK: "the codebook (`data/codebook/themes.yaml`) is missing or breaks its rules",
    ExitCode.NATIONAL: "a DfE statistics file or folder cannot be used (a cell that is not a "
    "number, a row cut short, a file the catalogue does not know)",
    ExitCode.OUTPUTS: "an output cannot be written (a read-only or full outputs folder, a "
    "file-size limit, an outputs folder that overlaps the data, another run of the same "
    "partnership-year that held it too long); earlier outputs are untouched",
    ExitCode.BATCH: "`workbook run --all`: at least one partnership-year failed (the summary "
    "gives each one's first problem and its log; on Dask, a run whose worker died twice)",
    ExitCode.DEFECT: "an unexpected error: a defect in the workbook, not in your data; run "
    "again with WORKBOOK_DEBUG=1 and report what it prints",
    ExitCode.INTERRUPTED: "stopped with Ctrl-C, or by a scheduler's SIGTERM; earlier outputs "
    "are untouched and the run's own folders removed",
}
"""One line per exit code, in the words of the README's table."""


class WorkbookError(Exception):
    """A problem the user can fix; the message says what is wrong and what to do."""

    exit_code = ExitCode.OTHER

    def _render_traceback_(self) -> list[str]:
        """How IPython shows the error in a notebook: its message alone, as the command line
        prints it, not a traceback through the library (IPython's hook for an exception that
        renders itself); the traceback with WORKBOOK_DEBUG=1, as on the command line."""
        if settings.debug():
            return traceback.format_exception(self)
        return [f"error: {self}"]


class ParamsError(WorkbookError):
    """The command line or a parameters file is wrong: a missing or malformed file, an
    impossible value, a year or a partnership id that cannot be read."""

    exit_code = ExitCode.PARAMETERS


class DataError(WorkbookError):
    """A partnership-year's data cannot be read as it stands (no folder, two forms of it)."""

    exit_code = ExitCode.DATA


class DataValidationError(DataError):
    """The year's data break the data contract; ``problems`` lists every one found."""

    def __init__(self, problems):
        self.problems = list(problems)
        lines = [f"{len(self.problems)} problem(s) in the data:"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class CodebookError(WorkbookError):
    """The codebook file is missing, unreadable or breaks the codebook rules."""

    exit_code = ExitCode.CODEBOOK


class NationalDataError(WorkbookError):
    """A DfE statistics file or folder cannot be used as it stands."""

    exit_code = ExitCode.NATIONAL


class OutputsError(WorkbookError):
    """An output cannot be written where it was asked for; nothing earlier was changed."""

    exit_code = ExitCode.OUTPUTS
