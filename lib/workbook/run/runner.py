"""One partnership-year from data to published sections and board pack, all or nothing.

Validate every year the sections read, execute each section notebook in one reused kernel,
export HTML and PDF, build the board pack, and only when everything succeeded swap the new
outputs into place: a failed run never leaves half-written outputs over a good earlier one.

A run is skipped when nothing that decides its outputs changed since its last success: the
fingerprint in `manifest.json` covers the data, parameters, codebook, notebooks, templates and
the library's own code (see `workbook.run.plan`).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from workbook import __version__
from workbook.core import file_cache, paths
from workbook.core.errors import WorkbookError
from workbook.inputs.params import hand_over_params
from workbook.inputs.partnership import Partnership
from workbook.render.appendix import APPENDIX_VARIABLE
from workbook.run import speed, stopping
from workbook.run import staging as stage
from workbook.run.execution import (
    KernelSession,
    SectionFailed,
    remove_stale_kernel_folders,
)
from workbook.run.lock import RunInProgress, exclusive
from workbook.run.plan import Plan, plan_run, run_sections
from workbook.run.settings import RunSettings
from workbook.run.stages import Stopwatch
from workbook.run.staging import writing
from workbook.sections import SectionNotebook

__all__ = ["RunResult", "SectionFailed", "run_partnership_year"]


@dataclass
class RunResult:
    """What happened to one partnership-year: rendered, skipped (unchanged) or failed."""

    partnership: str
    year: str
    status: str
    seconds: float = 0.0
    message: str = ""
    cpu_seconds: float = 0.0
    target: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    log: Path | None = None
    """The run's log, where a batch wrote one."""
    retried: str = ""
    """Where a Dask batch ran it again after the worker running it died, and why."""
    pages: int | None = None
    """The board pack's pages, where the run rendered it."""


def _keep_failed(notebook, source: Path, params: Partnership, settings: RunSettings) -> Path:
    """Write the executed notebook, error and all, beside the run's log for the analyst; like
    every kept notebook, without the outputs that were not made for publication."""
    # nbformat and publishing (nbconvert, WeasyPrint) load only when a run renders: a skipped
    # run, and a batch's parent process, never pay for them.
    import nbformat

    from workbook.render.gate import gate

    notebook, _ = gate(notebook, source.name, keep_errors=True)
    logs = settings.log_dir(params.id)
    kept = logs / f"{params.year}.{source.stem}.failed.ipynb"
    with writing(settings.outputs):
        logs.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, kept)
    return kept


def run_partnership_year(
    partnership: str, year: str, settings: RunSettings | None = None, echo=print
) -> RunResult:
    """Render every section and the board pack of one partnership-year into
    outputs/<partnership>/<year>/, or skip it when nothing changed since its last success."""
    settings = settings or RunSettings()
    started = time.perf_counter()
    plan = plan_run(partnership, year, settings)  # a few milliseconds: files are only hashed
    _clean_leftovers(plan.target)
    if not settings.force and plan.unchanged:
        return _skipped(plan, started)
    settings.check_outputs_apart()
    with writing(settings.outputs), exclusive(plan.target, settings.lock_wait, echo) as waited:
        if waited:  # another run of it has just finished: what it rendered may be what we would
            plan = plan_run(partnership, year, settings)
            if not settings.force and plan.unchanged:
                return _skipped(plan, started)
        timings, left_out = _run_planned(plan, settings, echo)
    manifest = json.loads((plan.target / "manifest.json").read_text(encoding="utf-8"))
    return RunResult(
        plan.params.id,
        plan.params.year,
        "rendered",
        time.perf_counter() - started,
        f"{left_out} cell(s) of the section notebooks showed what was not made for "
        "publication: left out of every published file (see the log)"
        if left_out
        else "",
        target=plan.target,
        timings=timings,
        pages=manifest["board_pack"].get("pages"),
    )


def _clean_leftovers(target: Path) -> None:
    """Remove what killed runs left on this machine (kernel folders in the temporary folder, a
    partnership-year's staging folders), even when this run turns out to be skipped. Staging
    folders are cleaned holding the partnership-year's lock, when no other run holds it (one
    that does cleans them itself)."""
    remove_stale_kernel_folders()
    if not any(stage.stale(target)):
        return
    with contextlib.suppress(RunInProgress, OSError), exclusive(target, 0, lambda _: None):
        stage.clean_stale(target)  # a folder that cannot be removed now waits for a later run


def _skipped(plan: Plan, started: float) -> RunResult:
    return RunResult(
        plan.params.id,
        plan.params.year,
        "skipped",
        time.perf_counter() - started,
        "unchanged since the last successful run",
        target=plan.target,
    )


def _run_planned(plan: Plan, settings: RunSettings, echo) -> tuple[dict[str, float], int]:
    """Validate, render into a staging folder and swap it into place; seconds per stage and
    how many cells the publication gate left out. Runs holding the partnership-year's lock,
    so no other run's staging or swap is under way."""
    params = plan.params
    stage.clean_stale(plan.target)
    staging = stage.staging_folder(plan.target)
    try:
        with (
            KernelSession(cell_timeout=settings.cell_timeout) as kernel,
            speed.cycle_collection_paused(),
        ):
            # The kernel's start-up and imports are the longest wait of a run: they overlap
            # the validation below, which hands the valid years over to the kernel.
            kernel.start(
                env={
                    paths.HANDOVER_VARIABLE: str(kernel.private_dir),
                    APPENDIX_VARIABLE: str(kernel.private_dir / "appendix"),
                }
            )
            hand_over_params(kernel.private_dir, params, settings.params_dir)
            # Imported here, not at the top: a skipped run should not pay for it, and the
            # kernel should not wait for it.
            from workbook.run.checks import check_year

            watch = Stopwatch()
            checked = check_year(
                params, settings.data_dir, hand_over_to=kernel.private_dir, watch=watch
            )
            tables, flags = checked.tables, checked.warnings
            for flag in flags:
                echo(f"  warning: {flag}")
            timings, left_out = _render(
                params,
                plan.years,
                settings,
                staging,
                tables,
                kernel,
                {"inputs": plan.inputs, "fingerprint": plan.fingerprint, "screening": flags},
                echo,
                changed=lambda: _changed_since(plan, settings),
                watch=watch,
            )
            stopping.check()
            # A signal during the swap's two renames is held until they are done, then undoes
            # them (the earlier outputs are back) and stops; once the swap stands, the run is
            # complete and a later signal changes nothing.
            with stopping.deferred():
                if stage.swap_into_place(staging, plan.target, stopping.requested):
                    stopping.ignore_more()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return timings, left_out


def _changed_since(plan: Plan, settings: RunSettings) -> list[str]:
    """The inputs that changed (or came or went) since the run planned: replaced while it ran.
    The run rendered what it read when it validated; the next run renders the new version."""
    try:
        now = plan_run(plan.params.id, plan.params.year, settings)
    except WorkbookError:  # the parameters file itself was replaced by a broken one
        return [next(iter(plan.inputs))]  # the parameters file comes first
    if now.fingerprint == plan.fingerprint:
        return []
    names = sorted(set(now.inputs) ^ set(plan.inputs))
    names += sorted(
        n for n in now.inputs.keys() & plan.inputs.keys() if now.inputs[n] != plan.inputs[n]
    )
    return names or ["the workbook's own code"]  # the fingerprint covers the library too


def _render(
    params: Partnership,
    years: list[str],
    settings: RunSettings,
    staging: Path,
    tables: dict,
    kernel: KernelSession,
    record: dict,
    echo,
    changed=lambda: [],
    watch: Stopwatch | None = None,
) -> tuple[dict[str, float], int]:
    """Execute, export and record everything into `staging`; return seconds per stage and how
    many cells the publication gate left out (each said in a warning and in the manifest).
    `changed` says which inputs were replaced while the run read them (checked at the end);
    `watch` has the stages timed before this one (validation, screening)."""
    # Loaded only when a run renders (see _keep_failed).
    import nbformat

    from workbook.facts.area_figures import hand_over_area_figures
    from workbook.render import appendix
    from workbook.render.companion import companion_html, data_notes
    from workbook.render.gate import gate
    from workbook.render.pdf import lay_out, section_extracts, write_pdfs
    from workbook.render.publishing import (
        Section,
        board_pack_html,
        page_context,
        rendered_section,
        section_html,
        warm_up,
    )

    parameters = {
        "partnership": params.id,
        "year": params.year,
        "data_dir": str(settings.data_dir or ""),
        "params_dir": str(settings.params_dir or ""),
    }
    generated = datetime.now().strftime("%-d %B %Y")
    timings: dict[str, float] = {}
    watch = watch or Stopwatch()
    left_out = 0
    sections: list[Section] = []
    records: dict[str, dict[str, str]] = {}
    (staging / "notebooks").mkdir()
    manifest = {
        "partnership": params.id,
        "year": params.year,
        "workbook_version": __version__,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "fingerprint": record["fingerprint"],
        "parameters": params.model_dump(mode="json"),
        "years_read": years,
        "inputs": record["inputs"],
        "sections": records,
        "screening": record["screening"],
        "board_pack": {"html": "board_pack.html", "pdf": "board_pack.pdf"},
        "companion": {"html": "companion.html"},
        "appendix": {**appendix.FILES, "listings": {}},
    }

    def publish_section(section: SectionNotebook, executed) -> None:
        record = records[section.id]
        with watch.timed("html export"):
            nbformat.write(executed, staging / record["notebook"])
            sections.append(rendered_section(section.id, section.title, executed))
        if not sections[-1].body:  # nothing for the board this year: no page of its own
            del record["html"], record["pdf"]

    def publish_appendix() -> None:
        """Every listing the sections handed over, in full, beside the pack."""
        listings = appendix.collect(kernel.private_dir / "appendix")
        manifest["appendix"]["listings"] = {x.sheet: len(x.rows) for x in listings}
        appendix.write_xlsx(
            listings,
            staging / appendix.FILES["xlsx"],
            f"{params.name}: annual report {params.year}, appendix",
        )
        (staging / appendix.FILES["html"]).write_text(
            appendix.appendix_html(listings, page_context(params, generated)), encoding="utf-8"
        )

    def publish_pack() -> None:
        # Each section's page, now that the pack's sections are known (a link to another
        # section goes to it in the pack, or nowhere where it has nothing this year).
        in_pack = {s.id for s in sections if s.body}
        with watch.timed("html export"):
            for section in sections:
                if section.body:
                    page = section_html(section, params, generated, in_pack)
                    (staging / records[section.id]["html"]).write_text(page, encoding="utf-8")
        with watch.timed("appendix"):
            publish_appendix()
        with watch.timed("html export"):
            notes = data_notes(tables, list(record["inputs"]), params.policy)
            (staging / "companion.html").write_text(
                companion_html(sections, params, notes, manifest, generated), encoding="utf-8"
            )
            html = board_pack_html(sections, params, generated)
            (staging / "board_pack.html").write_text(html, encoding="utf-8")
        with watch.timed("pdf layout"):
            pack = lay_out(html)
            extracts = section_extracts(pack, sections, params)
        manifest["board_pack"]["pages"] = len(pack.pages)
        with watch.timed("pdf writing"):
            write_pdfs(
                [
                    (pack, staging / "board_pack.pdf"),
                    *((extracts[s.id], staging / records[s.id]["pdf"]) for s in sections if s.body),
                ]
            )

    # The kernel is another process: while it executes section k+1, a thread here turns
    # section k into HTML, so the main thread hands the kernel its next notebook at once.
    clock = time.perf_counter()
    publisher = ThreadPoolExecutor(max_workers=1)
    try:
        # First DfE's figures for the area, worked out here beside the kernel's first section
        # and handed over to it (workbook.facts.area_figures says why, and what if it is late),
        # then publishing's first-use costs, before the first section's page.
        published = [
            publisher.submit(hand_over_area_figures, kernel.private_dir, params, params.year),
            publisher.submit(warm_up),
        ]
        for section in run_sections(params, settings):
            source = section.notebook
            echo(f"  {params.id} {params.year}: {source.stem}")
            try:
                with watch.timed(f"execute {source.stem}"):
                    executed = kernel.execute(source, parameters)
            except SectionFailed as exc:
                stopping.check()  # a stop is not a defect of the section: nothing is kept
                kept = _keep_failed(exc.notebook, source, params, settings)
                raise SectionFailed(
                    f"{exc}\n  earlier outputs are untouched; the executed "
                    f"notebook, with the error, is kept in {kept}"
                ) from exc
            executed, dropped = gate(executed, source.name)
            for cell in dropped:
                echo(f"  warning: {cell}")
            left_out += len(dropped)
            records[section.id] = {
                "html": f"{source.stem}.html",
                "pdf": f"{source.stem}.pdf",
                "notebook": f"notebooks/{source.name}",
                # by cell and kind only: the code's first line, which the warning quotes to
                # find the cell, may hold what the analyst was looking at
                "left_out": [{"cell": cell.cell, "shown": list(cell.shown)} for cell in dropped],
            }
            published.append(publisher.submit(publish_section, section, executed))
        timings["execute"] = time.perf_counter() - clock
        published.append(publisher.submit(publish_pack))
        kernel.stop()  # not needed any more: its memory and core go to the PDFs
        for future in published:
            future.result()
    except BaseException:
        # Stopped or failed: what is queued never starts, and the staging folder is removed
        # only once the step under way has let go of it.
        publisher.shutdown(wait=True, cancel_futures=True)
        stopping.check()
        raise
    publisher.shutdown(wait=True)
    timings["publish"] = time.perf_counter() - clock - timings["execute"]
    if replaced := changed():
        record["fingerprint"] = f"changed during the run: {record['fingerprint']}"
        manifest["fingerprint"] = record["fingerprint"]  # never equal: the next run renders
        manifest["changed_during_run"] = replaced
        echo(
            f"  warning: {', '.join(replaced)} changed while this run read it: the outputs "
            "are of the version read when the run started, and the next run renders the new one"
        )
    manifest["appendix"]["sha256"] = {
        name: file_cache.digest(staging / name) for name in appendix.FILES.values()
    }
    timings.update(watch.seconds())
    manifest["timings_seconds"] = {k: round(v, 2) for k, v in timings.items()}
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return timings, left_out
