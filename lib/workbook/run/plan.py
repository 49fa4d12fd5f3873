"""What a run of a partnership-year would render, and the fingerprint of everything that decides
its outputs: the data of every year it reads, the parameters, codebook, notebooks, templates,
DfE files and the library's own code. Equal fingerprints mean equal outputs, so a run (and a
batch, before it spends a worker) skips a partnership-year whose fingerprint has not changed
since its last success (`manifest.json`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from workbook import __version__
from workbook.core import file_cache, paths
from workbook.core.paths import available_years, year_folder
from workbook.core.settings import dfe_dir
from workbook.core.years import window
from workbook.inputs.budgets import MAX_FILE_BYTES, refused
from workbook.inputs.params import load_params
from workbook.inputs.partnership import Partnership
from workbook.run.settings import RunSettings
from workbook.sections import SectionNotebook, select

_LIBRARY = Path(__file__).resolve().parents[1]


def years_read(params: Partnership, data_dir: Path | None) -> list[str]:
    """The report year and the lookback years that have data: everything the sections load."""
    have = set(available_years(params.id, data_dir))
    lookback = [y.label for y in window(params.report_year, params.lookback_years)]
    return sorted({params.year} | {y for y in lookback if y in have})


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def input_files(params: Partnership, years: list[str], settings: RunSettings) -> list[Path]:
    """Every file whose content decides the outputs (for provenance and the skip check)."""
    files = [(settings.params_dir or paths.params_dir()) / f"{params.id}.yaml"]
    for year in years:
        files += _files(year_folder(params.id, year, settings.data_dir))
    files += _files(paths.codebook_path().parent)
    files += _files(paths.data_dir() / "templates")
    files += _files(paths.national_store())
    if (dfe := dfe_dir()) is not None:  # the local picture reads DfE files from here
        files += _files(dfe)
    files += [section.notebook for section in run_sections(params, settings)]
    return files


def run_sections(params: Partnership, settings: RunSettings) -> tuple[SectionNotebook, ...]:
    """The sections a partnership-year renders (its parameters' `sections`, else all)."""
    where = str((settings.params_dir or paths.params_dir()) / f"{params.id}.yaml")
    return select(params.sections, settings.notebooks, where)


def library_digest() -> str:
    """One hash of the library's code, specs and templates: a new version re-renders all."""
    digest = hashlib.sha256(__version__.encode())
    for path in _files(_LIBRARY):
        if path.suffix in {".py", ".yaml", ".j2", ".css"}:
            digest.update(str(path.relative_to(_LIBRARY)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _shown(path: Path, settings: RunSettings) -> str:
    """How the manifest and the pack's provenance name an input: from the folder it was read
    from ("data/darlington/2019-20/reviews.csv", "DfE file b1_children_in_need.csv"), never as
    a path of this machine, which would tell a reader nothing and publish the machine's layout."""
    folders = [
        (paths.project_root(), "{}"),
        (settings.data_dir, "data/{}"),
        (settings.params_dir, "params/{}"),
        (settings.notebooks_dir, "notebooks/{}"),
        (dfe_dir(), "DfE file {}"),
    ]
    for folder, label in folders:
        if folder is not None and path.resolve().is_relative_to(Path(folder).resolve()):
            return label.format(path.resolve().relative_to(Path(folder).resolve()).as_posix())
    return path.name


def fingerprint(params: Partnership, inputs: dict[str, str]) -> str:
    """The run's identity: inputs' hashes, parameters and library; equal means same outputs."""
    blob = json.dumps(
        {
            "inputs": inputs,
            "parameters": params.model_dump(mode="json"),
            "library": library_digest(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def _last_fingerprint(target: Path) -> str | None:
    try:
        return json.loads((target / "manifest.json").read_text(encoding="utf-8"))["fingerprint"]
    except (OSError, ValueError, KeyError):
        return None


@dataclass(frozen=True)
class Plan:
    """What a run would render and the fingerprint of everything that decides it."""

    params: Partnership
    years: list[str]
    target: Path
    inputs: dict[str, str]
    fingerprint: str

    @property
    def unchanged(self) -> bool:
        return _last_fingerprint(self.target) == self.fingerprint


def _within_budget(params: Partnership, years: list[str], settings: RunSettings) -> None:
    """Refuse a data file beyond a year's budget before hashing it (a file of gigabytes would
    take the skip check minutes); validation names every other budget."""
    for year in years:
        for path in _files(year_folder(params.id, year, settings.data_dir)):
            if (size := path.stat().st_size) > MAX_FILE_BYTES:
                raise refused(path, f"{size:,} bytes", f"{MAX_FILE_BYTES:,} bytes a file may take")


def plan_run(partnership: str, year: str, settings: RunSettings) -> Plan:
    params = load_params(partnership, year, settings.params_dir)
    years = years_read(params, settings.data_dir)
    _within_budget(params, years, settings)
    inputs = {
        _shown(p, settings): file_cache.digest(p) for p in input_files(params, years, settings)
    }
    return Plan(
        params,
        years,
        settings.output_folder(params.id, params.year),
        inputs,
        fingerprint(params, inputs),
    )


def up_to_date(partnership: str, year: str, settings: RunSettings) -> bool:
    """Whether a run would be skipped: its outputs exist and nothing that decides them
    changed (a batch asks before it spends a worker on the run)."""
    return not settings.force and plan_run(partnership, year, settings).unchanged
