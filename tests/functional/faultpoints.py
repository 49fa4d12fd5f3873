"""Run the real `workbook` command with one fault armed at a named stage of a run.

    python tests/functional/faultpoints.py STAGE ACTION -- workbook arguments...

The command is the installed one (`workbook.run.cli.console_main`: its own signal handling, its
immediate exit), in a process of its own; only the moment is arranged here, by wrapping the
function that begins the stage, so that a fault meets the run exactly where a test says:

  STAGE    validation, screening, kernel, notebook:NN (the section notebook NN_...), pdf (the
           pack's layout), pdf-writing, appendix, swap (between the swap's two renames)
  ACTION   SIGTERM, SIGINT (to the process group, as Ctrl-C at a terminal sends it), SIGKILL,
           fill (write to the outputs' disk until it is full, then go on), or
           replace:PATH=TEXT (write TEXT over PATH, as another program saving the file would)

A signal is sent by this process to itself; in a notebook, from a timer a moment after the
notebook starts, while the kernel is running its cells. Before acting it writes a line to the
file named by FAULTPOINT_REACHED (if set), so a test knows the stage was reached.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import signal
import sys
import threading
import time

_done = False


def _reached(stage: str) -> None:
    if marker := os.environ.get("FAULTPOINT_REACHED"):
        with open(marker, "a", encoding="utf-8") as out:
            out.write(f"{stage} {os.getpid()}\n")


def _fill(folder: pathlib.Path) -> None:
    """Write to the disk holding `folder` until it is full (the file stays: the disk is full)."""
    chunk = b"\0" * (1 << 20)
    with contextlib.suppress(OSError), open(folder / "filler", "wb") as out:
        while True:
            out.write(chunk)
            out.flush()


def act(stage: str, action: str) -> None:
    global _done
    if _done:
        return
    _done = True
    _reached(stage)
    if action in ("SIGTERM", "SIGKILL"):
        os.kill(os.getpid(), getattr(signal, action))
    elif action == "SIGINT":
        os.killpg(os.getpgid(0), signal.SIGINT)
    elif action == "fill":
        _fill(pathlib.Path(os.environ["FAULTPOINT_DISK"]))
    elif action.startswith("replace:"):
        path, text = action.removeprefix("replace:").split("=", 1)
        fresh = pathlib.Path(path + ".new")
        fresh.write_text(text.replace("\\n", "\n"), encoding="utf-8")
        os.replace(fresh, path)  # as an editor saves: the old file is gone at once
    time.sleep(0.5)  # the signal's moment: the run is still in this stage when it lands


def _wrap(owner, name: str, stage: str, action: str, after: bool = False, when=None) -> None:
    original = getattr(owner, name)

    def wrapped(*args, **kwargs):
        if when is not None and not when(*args, **kwargs):
            return original(*args, **kwargs)
        if after:
            result = original(*args, **kwargs)
            act(stage, action)
            return result
        act(stage, action)
        return original(*args, **kwargs)

    setattr(owner, name, wrapped)


def arm(stage: str, action: str) -> None:
    from workbook.inputs import validation
    from workbook.render import appendix, pdf
    from workbook.run import execution
    from workbook.text import safety

    if stage == "none":
        return
    if stage == "validation":
        _wrap(validation, "validate_tables", stage, action)
    elif stage == "screening":
        _wrap(safety, "screen_year", stage, action)
    elif stage == "kernel":
        _wrap(execution.KernelSession, "start", stage, action, after=True)
    elif stage.startswith("notebook:"):
        number = stage.removeprefix("notebook:")
        original = execution.KernelSession.execute

        def execute(self, source, parameters):
            if source.name.startswith(f"{number}_"):
                timer = threading.Timer(0.3, act, (stage, action))
                timer.daemon = True
                timer.start()
            return original(self, source, parameters)

        execution.KernelSession.execute = execute
    elif stage == "pdf":
        _wrap(pdf, "lay_out", stage, action)
    elif stage == "pdf-writing":
        _wrap(pdf, "write_pdfs", stage, action)
    elif stage == "appendix":
        _wrap(appendix, "write_xlsx", stage, action)
    elif stage == "swap":
        _wrap(
            pathlib.Path,
            "rename",
            stage,
            action,
            after=True,
            when=lambda path, target: str(target).endswith(".old") or not _older(path),
        )
    else:
        raise SystemExit(f"faultpoints: no stage {stage!r}")


def _older(path) -> bool:
    """Whether a rename moves the earlier outputs aside (there are some): the swap's first
    rename; without earlier outputs its only rename is the staging folder's."""
    return not str(path).endswith(".partial")


if __name__ == "__main__":
    stage, action, separator, *argv = sys.argv[1:]
    assert separator == "--", "usage: faultpoints.py STAGE ACTION -- ARGS"
    arm(stage, action)
    sys.argv = ["workbook", *argv]
    from workbook.run.cli import console_main

    console_main()
