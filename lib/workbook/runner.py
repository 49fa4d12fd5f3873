"""One partnership-year from data to published sections, all or nothing.

Validate every year the sections read, execute each section notebook with papermill, export
HTML and PDF, and only when everything succeeded swap the new outputs into place: a failed run
never leaves half-written outputs over a good earlier one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from workbook import __version__, paths
from workbook.errors import DataValidationError, WorkbookError
from workbook.loading import available_years, year_folder
from workbook.params import Partnership, load_params
from workbook.validation import validate_year
from workbook.years import window


class SectionFailed(WorkbookError):
    """A section notebook raised an error; its executed copy is kept for the analyst."""

    exit_code = 4


@dataclass(frozen=True)
class RunSettings:
    """Where a run reads and writes; None means the project's own folder."""

    data_dir: Path | None = None
    params_dir: Path | None = None
    outputs_dir: Path | None = None
    notebooks_dir: Path | None = None

    @property
    def outputs(self) -> Path:
        return self.outputs_dir or paths.outputs_dir()

    @property
    def notebooks(self) -> Path:
        return self.notebooks_dir or paths.notebooks_dir()


def notebook_for(section: str, notebooks: Path) -> Path:
    """The numbered notebook of a section, e.g. notebooks/01_local_picture.ipynb."""
    matches = sorted(notebooks.glob(f"[0-9][0-9]_{section}.ipynb"))
    if len(matches) != 1:
        raise WorkbookError(f"{notebooks}: expected one notebook for section '{section}', "
                            f"found {len(matches)}")
    return matches[0]


def years_read(params: Partnership, data_dir: Path | None) -> list[str]:
    """The report year and the lookback years that have data: everything the sections load."""
    have = set(available_years(params.id, data_dir))
    lookback = [y.label for y in window(params.report_year, params.lookback_years)]
    return sorted({params.year} | {y for y in lookback if y in have})


def validate_for_run(params: Partnership, data_dir: Path | None) -> list[str]:
    """Validate every year a run reads; raise with all problems of all years at once."""
    years = years_read(params, data_dir)
    problems = [p for year in years for p in validate_year(params.id, year, data_dir)]
    if problems:
        raise DataValidationError(problems)
    return years


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_files(params: Partnership, years: list[str], settings: RunSettings) -> list[Path]:
    """Every file whose content decides the outputs (for the provenance record)."""
    files = [(settings.params_dir or paths.params_dir()) / f"{params.id}.yaml"]
    for year in years:
        folder = year_folder(params.id, year, settings.data_dir)
        files += sorted(p for p in folder.rglob("*") if p.is_file())
    codebook = paths.codebook_path()
    if codebook.exists():
        files.append(codebook)
    files += [notebook_for(s, settings.notebooks) for s in params.sections]
    return files


def _manifest(params: Partnership, years: list[str], settings: RunSettings,
              sections: dict[str, dict[str, str]]) -> dict:
    root = paths.project_root()

    def shown(path: Path) -> str:
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    return {
        "partnership": params.id,
        "year": params.year,
        "workbook_version": __version__,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "parameters": params.model_dump(mode="json"),
        "years_read": years,
        "inputs": {shown(p): _sha256(p) for p in input_files(params, years, settings)},
        "sections": sections,
    }


def _swap_into_place(staging: Path, target: Path) -> None:
    """Replace `target` by `staging` with two renames, restoring the old outputs on failure."""
    if not target.exists():
        staging.rename(target)
        return
    retired = target.with_name(f".{target.name}.old")
    if retired.exists():
        shutil.rmtree(retired)
    target.rename(retired)
    try:
        staging.rename(target)
    except OSError:
        retired.rename(target)
        raise
    shutil.rmtree(retired)


def _execute(notebook: Path, executed: Path, parameters: dict) -> object:
    import papermill

    try:
        return papermill.execute_notebook(
            str(notebook), str(executed), parameters=parameters, kernel_name="python3",
            progress_bar=False, log_output=False,
        )
    except papermill.PapermillExecutionError as exc:
        raise SectionFailed(f"{notebook.name} failed: {exc.ename}: {exc.evalue}") from exc


def run_partnership_year(partnership: str, year: str, settings: RunSettings | None = None,
                         echo=print) -> Path:
    """Render every section of one partnership-year into outputs/<partnership>/<year>/."""
    from workbook.publishing import section_html, write_pdf

    settings = settings or RunSettings()
    params = load_params(partnership, year, settings.params_dir)
    years = validate_for_run(params, settings.data_dir)
    target = settings.outputs / params.id / params.year
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{params.year}.", suffix=".partial",
                                    dir=target.parent))
    parameters = {
        "partnership": params.id,
        "year": params.year,
        "data_dir": str(settings.data_dir or ""),
        "params_dir": str(settings.params_dir or ""),
    }
    sections = {}
    try:
        (staging / "notebooks").mkdir()
        for section in params.sections:
            source = notebook_for(section, settings.notebooks)
            echo(f"  {params.id} {params.year}: {source.stem}")
            executed = _execute(source, staging / "notebooks" / source.name, parameters)
            page = section_html(executed, section, params)
            html_path = staging / f"{source.stem}.html"
            html_path.write_text(page, encoding="utf-8")
            write_pdf(page, staging / f"{source.stem}.pdf")
            sections[section] = {"html": html_path.name, "pdf": f"{source.stem}.pdf",
                                 "notebook": f"notebooks/{source.name}"}
        manifest = _manifest(params, years, settings, sections)
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        _swap_into_place(staging, target)
    except SectionFailed as exc:
        failed = target.parent / f"{params.year}.failed"
        if failed.exists():
            shutil.rmtree(failed)
        staging.rename(failed)
        raise SectionFailed(f"{exc}\n  earlier outputs are untouched; the executed notebooks, "
                            f"with the error, are kept in {failed / 'notebooks'}") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
