"""DfE's figures for a partnership's area and year, worked out once a run on the runner's spare
core.

The indicator table (the area's figures beside England, the region and its statistical
neighbours, rank and trend, for every national indicator) rests on DfE's files alone, the
partnership's parameters and the year: not on the year's own tables. Worked out in the kernel it
was the longest step of a section, on the run's critical path. So a run's runner works it out
beside the kernel while the kernel executes the first section, and hands it over in the run's
private folder, as it hands over the validated tables (`workbook.inputs.validation.hand_over`);
the kernel takes it if it is there and works it out itself if it is not (yet), so a slow
runner costs time, never a different result. Outside a run (JupyterLab, a test) nothing is
handed over and the facts work it out as before.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbook import __version__
from workbook.core import settings
from workbook.core.errors import WorkbookError
from workbook.national import dfe, store
from workbook.national import indicators as ind


@dataclass(frozen=True)
class AreaFigures:
    """DfE's data (None: none to use), the area with its councils' DfE codes, the indicator
    table for the area and year (empty without DfE's figures), and why it is empty."""

    national: dfe.NationalData | None
    area: ind.Area
    table: pd.DataFrame
    note: str


KEPT = 8
"""Areas and years whose figures a process keeps: an analyst re-running a section in
JupyterLab, or a test of several sections, asks for the same ones again."""
_kept: dict[tuple, tuple[dfe.NationalData | None, AreaFigures]] = {}


def area_figures(partnership, year: str, dfe_dir: str = "") -> AreaFigures:
    """DfE's figures for the partnership's area and year, or why there are none; worked out
    once a process for the same parameters, year and reading of DfE's files."""
    national = store.national_data(dfe_dir)
    key = (partnership.model_dump_json(), year, id(national))
    if key not in _kept:
        # the reading is kept beside its figures, so its id is not reused while the key is
        _kept[key] = (national, _worked_out(partnership, year, national))
        while len(_kept) > KEPT:
            del _kept[next(iter(_kept))]
    return _kept[key][1]


def _worked_out(partnership, year: str, national: dfe.NationalData | None) -> AreaFigures:
    area = ind.Area(
        partnership.short_name,
        tuple(partnership.councils),
        partnership.region,
        dict(partnership.targets),
    )
    if national is None:
        return _without_dfe(area, "DfE's published statistics were not supplied")
    try:
        codes = tuple(ind.old_code(code, national) for code in area.codes)
    except WorkbookError:
        return _without_dfe(
            area, "The partnership's councils are not in DfE's published statistics"
        )
    area = ind.Area(area.label, codes, area.region, area.targets)
    try:
        table = ind.indicator_table(national, area, year)
    except WorkbookError:
        return _without_dfe(area, f"DfE's published statistics do not cover {year}")
    return AreaFigures(national, area, table.set_index("indicator"), "")


def _without_dfe(area: ind.Area, why: str) -> AreaFigures:
    """No DfE figures to use, and why, in the words of the pack's note: the figures shown are
    then the partnership's own."""
    return AreaFigures(
        None, area, pd.DataFrame(), f"{why}: figures are those the partnership reported."
    )


def _handover_file(folder: Path, partnership, year: str, dfe_dir: str) -> Path:
    # Everything the figures rest on but DfE's files, which the run reads as the kernel would.
    key = repr((__version__, partnership.model_dump_json(), year, dfe_dir))
    return Path(folder) / f"area-{hashlib.sha256(key.encode()).hexdigest()}.pickle"


def hand_over_area_figures(folder: Path, partnership, year: str, dfe_dir: str = "") -> None:
    """Work the figures out and leave them for the run's kernel (written whole, then renamed,
    so the kernel never reads half a file). A problem with DfE's files is left for the kernel
    to meet and report, as a run always has: nothing is handed over."""
    target = _handover_file(folder, partnership, year, dfe_dir)
    working = target.with_suffix(".working")
    working.touch()  # the kernel waits for what is under way rather than work it out twice
    try:
        figures = area_figures(partnership, year, dfe_dir)
        partial = target.with_suffix(".partial")
        with partial.open("wb") as out:
            pickle.dump(figures, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, target)
    except WorkbookError:
        return
    finally:
        working.unlink(missing_ok=True)


WAIT_AT_MOST = 60.0
"""Seconds the kernel waits for figures the runner is working out before it works them out
itself: far more than they take (about 2 s), for a runner that has stalled."""


def handed_over_or_worked_out(partnership, year: str, dfe_dir: str = "") -> AreaFigures:
    """The figures the runner handed over for this run, or, where there are none, worked out.

    Where the runner is still working them out, the kernel waits for them: it started first,
    and working them out here too would only take the runner's core from it."""
    folder = settings.validated_dir()
    if folder is not None:
        handed = _handover_file(folder, partnership, year, dfe_dir)
        working = handed.with_suffix(".working")
        waited_until = time.monotonic() + WAIT_AT_MOST
        while not handed.exists() and working.exists() and time.monotonic() < waited_until:
            time.sleep(0.02)
        if handed.exists():
            with handed.open("rb") as stored:
                return pickle.load(stored)  # noqa: S301 - written by this run's own runner
    return area_figures(partnership, year, dfe_dir)
