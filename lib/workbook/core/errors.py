"""Errors that users see as a message, never as a stack trace.

The CLI catches ``WorkbookError`` and prints its text; anything else is a bug.
"""

from __future__ import annotations


class WorkbookError(Exception):
    """A problem the user can fix (bad parameters, bad data, missing files)."""

    exit_code = 1


class ParamsError(WorkbookError):
    """A parameters file is missing, malformed or holds impossible values."""

    exit_code = 2


class DataValidationError(WorkbookError):
    """The year's data break the data contract; ``problems`` lists every one found."""

    exit_code = 3

    def __init__(self, problems):
        self.problems = list(problems)
        lines = [f"{len(self.problems)} problem(s) in the data:"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))
