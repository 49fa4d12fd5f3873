"""Every environment variable the workbook reads, read here and nowhere else.

A scheduled run, a run's kernel and an analyst's JupyterLab can each set these; the README's
table of them is checked against `VARIABLES` (tests/unit/core/test_settings.py). Values are
read when asked for, not at import, so a test or a kernel that sets one sees it at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Variable:
    """One environment variable: its name and what it does, as the README says it."""

    name: str
    meaning: str


ROOT = Variable(
    "WORKBOOK_ROOT",
    "the project folder (with `params/`, `data/`, `notebooks/`), "
    "for a copy of the library installed outside the project; default: the "
    "checkout the library lives in",
)
DFE_DIR = Variable(
    "WORKBOOK_DFE_DIR",
    "a folder of DfE statistics files (Explore Education "
    "Statistics CSVs), read when nothing has been imported with `workbook "
    "indicators import`; the tests that need real DfE files read them here",
)
DEBUG = Variable(
    "WORKBOOK_DEBUG",
    "set to 1 to see the full error behind an unexpected "
    "error (for reporting a defect) instead of one line",
)
VALIDATED_DIR = Variable(
    "WORKBOOK_VALIDATED_DIR",
    "set by `workbook run` for its kernel "
    "only: the private folder where the runner leaves the years it has "
    "validated; never set it yourself",
)

APPENDIX_DIR = Variable(
    "WORKBOOK_APPENDIX_DIR",
    "set by `workbook run` for its kernel "
    "only: the private folder where the sections leave the listings of "
    "the appendix; never set it yourself",
)

CACHE_DIR = Variable(
    "WORKBOOK_CACHE_DIR",
    "where the workbook keeps what it has read from DfE's files, "
    "for the next run to read in a tenth of the time (it reads them afresh when a file "
    "changes); default: `workbook` in the user's cache folder (XDG_CACHE_HOME or ~/.cache)",
)

VARIABLES: tuple[Variable, ...] = (ROOT, DFE_DIR, DEBUG, VALIDATED_DIR, APPENDIX_DIR, CACHE_DIR)


def _value(variable: Variable) -> str | None:
    value = os.environ.get(variable.name, "").strip()
    return value or None


def project_root() -> Path | None:
    """WORKBOOK_ROOT as an absolute path, or None when unset."""
    value = _value(ROOT)
    return Path(value).expanduser().resolve() if value else None


def dfe_dir() -> Path | None:
    """WORKBOOK_DFE_DIR as a path, or None when unset."""
    value = _value(DFE_DIR)
    return Path(value).expanduser() if value else None


def debug() -> bool:
    """Whether WORKBOOK_DEBUG asks for full tracebacks (any value but 0, no, false)."""
    value = _value(DEBUG)
    return value is not None and value != "" and value.lower() not in {"0", "no", "false"}


def validated_dir() -> Path | None:
    """WORKBOOK_VALIDATED_DIR (in a run's kernel), or None."""
    value = _value(VALIDATED_DIR)
    return Path(value) if value else None


def appendix_dir() -> Path | None:
    """WORKBOOK_APPENDIX_DIR (in a run's kernel), or None."""
    value = _value(APPENDIX_DIR)
    return Path(value) if value else None


def cache_dir() -> Path:
    """WORKBOOK_CACHE_DIR, else `workbook` in the user's cache folder (XDG_CACHE_HOME, as the
    XDG base directory specification names it, else ~/.cache)."""
    value = _value(CACHE_DIR)
    if value:
        return Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base).expanduser() if base else Path.home() / ".cache") / "workbook"


def environment(**extra: str) -> dict[str, str]:
    """A copy of this process's environment with `extra` added: what a kernel is started with."""
    return {**os.environ, **extra}
