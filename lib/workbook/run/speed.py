"""The workbook's speed tricks, in one place: each says what it saves and why it is safe.

Each is a small function (or, for the kernel, a snippet of code) that the place needing it
calls; what the tricks add up to, and how they were measured, is in docs/performance.md. One
trick lives elsewhere: `workbook.render.pdf.write_pdfs` writes a run's PDFs in a forked
child beside the parent. The fork is how those PDFs are written (the child shares the laid-out
documents rather than receiving them over a pipe), and the render layer may not import this
one, so it stays there with its comment. Imports put off until a function needs them (pandera
in `workbook.inputs.checks`, nbformat and WeasyPrint in the runner's steps) say so where they
are.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
from typing import NoReturn


def skip_iri_format_checker() -> None:
    """Spare this process most of the time importing nbformat takes.

    nbformat imports jsonschema, whose optional IRI format checker (`rfc3987_syntax`) builds a
    parser grammar when imported: most of nbformat's import time, in every process. Notebook
    schemas use no IRI formats, so nothing here needs that checker; marking the module absent
    makes jsonschema skip it (it imports it under `suppress(ImportError)`). Has no effect where
    jsonschema is already imported, so it must run before the first import of nbformat.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


KERNEL_WARM_UP = (
    "import contextlib, gc, workbook.render.display, workbook.render.charts, "
    "workbook.inputs.report, workbook.coding.codebook, workbook.facts\n"
    "with contextlib.suppress(Exception):\n"
    "    workbook.coding.codebook.load_codebook()\n"
    "gc.freeze()\ndel contextlib, gc, workbook"
)
"""Code a run's kernel executes as soon as it starts, while the run validates its data: what
every section imports first (the year's facts with the lemmatiser's dictionary, loaded as the
coding's vocabulary is imported), so the first section does not wait for it, and the codebook
compiled (kept for the kernel by `load_codebook`; a codebook that cannot be loaded is left for
the section that codes to report). The imported modules
are then frozen out of cycle collection: they live as long as the kernel, and every `%reset`
between sections would otherwise traverse them all again. Safe: freezing only keeps objects out
of the collector's scans; reference counting still frees them, and nothing frozen is garbage."""


def freeze_loaded_objects() -> None:
    """Move everything this process has loaded so far out of cycle collection.

    Called by a batch's parent once it has imported and warmed up what every run needs, before
    it forks the workers: what was loaded lives as long as the workers, so out of collection it
    is neither traversed again by every worker's collections nor copied into them by the writes
    collections make to each object's header (copy-on-write pages stay shared). This is the use
    the documentation of `gc.freeze` gives; it changes when memory is scanned, never what a
    run computes.
    """
    gc.freeze()


@contextlib.contextmanager
def cycle_collection_paused():
    """Pause cycle collection for the length of a run.

    A run builds objects that live until it ends (imported modules, validated tables, the
    laid-out pack: a few hundred thousand); each batch of them set off a full cycle collection
    that traversed everything and freed almost nothing, a noticeable share of a run's CPU.
    Safe: reference counting still frees what the run lets go (peak memory was measured 2 %
    higher), and collection resumes when the run ends, since a Dask worker runs many.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def exit_at_once(code: int) -> NoReturn:
    """End the `workbook` command with `code` without tearing the interpreter down.

    Tearing down would only free, object by object, the pandas, WeasyPrint and laid-out
    documents the operating system reclaims anyway (a measurable part of a short run). Safe because
    everything a command writes is closed by then (files by their context managers, the kernel
    stopped), and the log and standard streams are flushed here before leaving. Only for the
    installed command's last step: `workbook.run.cli.main` returns normally for callers that
    go on (tests, scripts, a scheduler's own Python).
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
