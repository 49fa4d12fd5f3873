"""The report's sections: one numbered notebook each in notebooks/, one module each here.

The registry is the notebooks folder itself, so a section is defined in one place: its notebook
`NN_<id>.ipynb` (NN gives the reading order) whose level-1 Markdown heading is the section's
title, shown in JupyterLab and printed by the board pack. `workbook.sections.<id>` holds the
section's logic. Adding a section is adding both (see CONTRIBUTING.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from workbook.core import paths
from workbook.core.errors import ParamsError, WorkbookError

_NOTEBOOK_NAME = re.compile(r"^(\d{2})_([a-z][a-z0-9_]*)\.ipynb$")


@dataclass(frozen=True)
class SectionNotebook:
    """One section of the report, as its notebook defines it."""

    id: str
    """The notebook's name without its number: the parameters' and the pack's name for the
    section, and its module here."""
    title: str
    """The notebook's level-1 heading, the board pack's heading for the section."""
    notebook: Path


def _title(notebook: Path) -> str:
    """The notebook's first level-1 Markdown heading (read as JSON: nbformat is slow to import)."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError) as exc:
        raise WorkbookError(f"{notebook}: not a readable notebook ({exc})") from exc
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell.get("source", ""))
        for line in source.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    raise WorkbookError(
        f"{notebook}: a section notebook needs a title, a Markdown cell with "
        "a level-1 heading ('# Title')"
    )


def registry(notebooks: Path | None = None) -> tuple[SectionNotebook, ...]:
    """Every section of a notebooks folder (default: the project's), in reading order."""
    folder = Path(notebooks) if notebooks else paths.notebooks_dir()
    found = sorted(
        (m[1], m[2], path)
        for path in folder.glob("*.ipynb")
        if (m := _NOTEBOOK_NAME.match(path.name))
    )
    ids = [section_id for _, section_id, _ in found]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise WorkbookError(f"{folder}: more than one notebook for section(s) {', '.join(twice)}")
    return tuple(SectionNotebook(section_id, _title(path), path) for _, section_id, path in found)


def select(
    wanted: tuple[str, ...] | None, notebooks: Path | None = None, where: str = "the parameters"
) -> tuple[SectionNotebook, ...]:
    """The sections a partnership-year renders, in reading order: those `wanted` (None: all)."""
    sections = registry(notebooks)
    if wanted is None:
        return sections
    known = {s.id for s in sections}
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise ParamsError(
            f"{where}: no section called {', '.join(map(repr, unknown))}; the "
            f"sections are {', '.join(s.id for s in sections)}"
        )
    return tuple(s for s in sections if s.id in wanted)
