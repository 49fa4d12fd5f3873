"""Stopping a command on SIGTERM or SIGINT: at once, cleanly, and said as such.

A scheduler's time limit, systemd stopping the service (SIGTERM) and Ctrl-C (SIGINT) all end a
command the same way: the first signal raises `Stopped` where the command is, every clean-up on
the way out runs (the run's staging folder, its kernel and the kernel's folder), and the command
ends with exit code 130 and one line saying it was stopped. Later signals while that clean-up
runs are noted and ignored, so a second Ctrl-C or a scheduler sending SIGTERM twice cannot cut the
clean-up short and leave folders behind.

A signal can also reach a part of the run that turns it into something else: nbclient meets the
interruption in its event loop and reports the kernel as dead, the forked PDF writer exits with
an error. So a failure met while a stop is under way is the stop, not a defect of the section
(`check`): no failed notebook is kept in `logs/` for a section that was only interrupted.

A few steps must not be cut in half (the swap's two renames): `deferred` holds a signal until
the step is done, then stops.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

from workbook.core import settings

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Stopped(KeyboardInterrupt):
    """The command was stopped by a signal (a KeyboardInterrupt, so that whatever cleans up on
    Ctrl-C cleans up on SIGTERM too)."""

    def __init__(self, name: str = "SIGINT"):
        super().__init__(name)
        self.name = name


_received: str | None = None
_deferring = 0
_ignoring = False


def _handler(signum, frame) -> None:
    global _received
    if _received is not None:  # already stopping: the first signal is the one said
        return
    _received = signal.Signals(signum).name
    if not _deferring and not _ignoring:
        raise Stopped(_received)


def install() -> None:
    """Handle SIGTERM and SIGINT as a stop, in the installed `workbook` command only (a test or
    a scheduler's own Python calling `main` keeps its own handlers).

    SIGXFSZ (a file grew past `ulimit -f`) is ignored, so the write fails with EFBIG and the run
    says which file could not be written instead of the process being killed without a word.
    """
    global _received, _ignoring
    _received, _ignoring = None, False
    for signum in SIGNALS:
        signal.signal(signum, _handler)
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    threading.excepthook = _thread_failed


_default_excepthook = threading.excepthook


def _thread_failed(args) -> None:
    """A background thread that fails while the command stops (the kernel client's heartbeat
    meeting its messaging context closed under it) is part of the stop, not a problem to
    show: the one line says the command was stopped. WORKBOOK_DEBUG=1 shows it all the same."""
    if _received is not None and not settings.debug():
        return
    _default_excepthook(args)


def requested() -> str | None:
    """The name of the signal that asked this process to stop, or None."""
    return _received


def check() -> None:
    """Raise `Stopped` if a signal has asked this process to stop (whatever became of the
    KeyboardInterrupt it raised)."""
    if _received is not None:
        raise Stopped(_received)


def ignore_more() -> None:
    """Stop raising on signals: the command's outcome is decided (its outputs are in place, or
    its message and exit code are set), and a late signal must not say otherwise."""
    global _ignoring
    _ignoring = True


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold a signal until the block is done, then stop: for steps that must not be cut in half
    (the swap's two renames, each a few microseconds)."""
    global _deferring
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
    if not _deferring and not _ignoring:
        check()


def forget() -> None:
    """Forget a signal received (a forked batch worker starts with none)."""
    global _received, _ignoring
    _received, _ignoring = None, False


def describe(exc: BaseException) -> str:
    """How a stop is named in its one line: by the signal, or Ctrl-C for a plain interrupt."""
    name = exc.name if isinstance(exc, Stopped) else (_received or "SIGINT")
    return "Ctrl-C (SIGINT)" if name == "SIGINT" else name
