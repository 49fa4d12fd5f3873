"""The PDFs: the board pack laid out once by WeasyPrint, each section's PDF its pages of the
pack (so a page number means the same page to every reader), tagged for screen readers
(PDF/UA-1), and the files written by two processes at once.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import os
import signal
from pathlib import Path

from workbook.core.errors import WorkbookError
from workbook.inputs.partnership import Partnership
from workbook.render.publishing import Section, flowing_sections


def lay_out(html: str):
    """The laid-out WeasyPrint document of a page (images are embedded: no base URL needed)."""
    # WeasyPrint (about a second to import) loads only when a run lays out its pack
    from weasyprint import HTML

    return HTML(string=html).render()


def section_extracts(pack, sections: list[Section], partnership: Partnership) -> dict[str, object]:
    """Each section's pages of the laid-out pack, as a document titled like its HTML page.

    A section runs from the page holding its anchor (its id) to the page before the next
    section's, the last one to the end of the pack; where the next section flows on below it on
    the same page, that page is in both. A section with nothing for the board is not in the pack
    and has no extract.
    """
    sections = [s for s in sections if s.body]
    chapters = [s.id for s in sections]
    starts: dict[str, int] = {}
    for number, page in enumerate(pack.pages):
        for anchor in page.anchors:
            if anchor in chapters:
                starts.setdefault(anchor, number)
    missing = [c for c in chapters if c not in starts]
    if missing:
        raise WorkbookError(f"board pack: no page holds the start of {', '.join(missing)}")
    extracts = {}
    ends = [
        *(starts[c] + _shares_its_page(pack, starts[c], c) for c in chapters[1:]),
        len(pack.pages),
    ]
    for section, end in zip(sections, ends, strict=True):
        part = pack.copy(pack.pages[starts[section.id] : end])
        part.metadata = copy.copy(pack.metadata)  # shared with the pack until replaced
        part.metadata.title = f"{section.title} | {partnership.name} {partnership.year}"
        extracts[section.id] = part
    return extracts


PAGE_TOP = 100
"""How far down a page (CSS pixels) a section's heading may start and still be the first thing
on it: below this, what is above it on the page is the end of the section before."""


def _shares_its_page(pack, page: int, section_id: str) -> bool:
    """Whether a section flows on below the end of the one before, on the page it starts on."""
    if section_id not in flowing_sections():
        return False
    return pack.pages[page].anchors[section_id][1] > PAGE_TOP


def _end_with_parent(parent: int) -> None:
    """In the forked writer: be killed if the run is (Linux), rather than go on writing into
    a staging folder that the next run removes as a dead run's."""
    # only the forked writer, on Linux, needs it
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the call
            os._exit(1)


WRITE_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM)
"""Why a PDF could not be written that the user can act on (a full disk, a file-size limit, a
read-only or forbidden folder): the forked writer exits with 100 plus that errno, and the parent
raises it as the OSError it was, for the run to say which folder and what to do."""


PDF_OPTIONS = {"pdf_tags": True, "pdf_variant": "pdf/ua-1"}
"""Every PDF is tagged and declares PDF/UA-1 in its XMP metadata (WeasyPrint writes both)."""


def header_scopes(_document, pdf) -> None:
    """Give each table header cell its scope in the PDF's structure tree, a WeasyPrint
    `finisher`: WeasyPrint links data cells to their headers (`/Headers`, `/ID`) but writes no
    `/Scope` on the headers themselves, which PDF/UA checkers look for. Our tables put column
    headers in `thead` and row headers (`th scope="row"`) in `tbody`, so a header's row group
    says which it is."""
    by_reference = {obj.reference: obj for obj in pdf.objects if hasattr(obj, "get")}
    for obj in list(by_reference.values()):
        if obj.get("S") != "/TH":
            continue
        row = by_reference.get(obj.get("P"))
        group = by_reference.get(row.get("P")) if row is not None else None
        scope = "/Column" if group is not None and group.get("S") == "/THead" else "/Row"
        attributes = obj.get("A")
        if attributes is not None:
            attributes["Scope"] = scope


def _write(document, target: Path) -> None:
    document.write_pdf(target, finisher=header_scopes, **PDF_OPTIONS)


def write_pdfs(jobs: list[tuple[object, Path]]) -> None:
    """Write laid-out documents as tagged PDFs, the first in this process and the rest in a
    forked child at the same time (the documents are shared by the fork, not copied over a
    pipe); one after the other where the platform cannot fork."""
    if len(jobs) < 2 or not hasattr(os, "fork"):
        for document, target in jobs:
            _write(document, target)
        return
    parent = os.getpid()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which reports by its exit status
        status = 1
        _end_with_parent(parent)
        try:
            for document, target in jobs[1:]:
                _write(document, target)
            status = 0
        except OSError as exc:
            status = 100 + exc.errno if exc.errno in WRITE_ERRORS else 1
        finally:
            os._exit(status)
    try:
        document, target = jobs[0]
        _write(document, target)
    except BaseException:
        with contextlib.suppress(OSError):  # stopped or failed: the child's work is not wanted
            os.kill(child, signal.SIGKILL)
        raise
    finally:
        _, status = os.waitpid(child, 0)
    code = os.waitstatus_to_exitcode(status)
    if code - 100 in WRITE_ERRORS:
        raise OSError(code - 100, os.strerror(code - 100), str(jobs[1][1].parent))
    if code != 0:
        raise WorkbookError(
            f"writing {', '.join(str(t.name) for _, t in jobs[1:])} failed (exit status {code})"
        )
