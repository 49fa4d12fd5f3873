"""Executing section notebooks: one kernel per partnership-year, reused across its sections.

Measured on our machines, a kernel start costs about a second and the imports a section needs
(pandas, seaborn, the workbook library) about another; paying that once per partnership-year
instead of once per section is most of what makes a run fast. Between sections the kernel's
namespace is cleared (`%reset -f`), so a section cannot lean on a variable another one left
behind: each notebook still runs top to bottom on its own, as it does in JupyterLab. Imported
modules stay loaded, which is the point.

Parameters are injected with papermill's own `parameterize_notebook` (the cell tagged
`parameters` is followed by an `injected-parameters` cell), so an executed notebook looks exactly
as papermill would leave it.

jupyter_client, nbclient, nbformat and papermill are imported inside the methods that use them:
a run that is skipped, and every `workbook` command that runs no notebook, never loads them.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from workbook.core import settings
from workbook.core.errors import ExitCode, WorkbookError
from workbook.run import speed, staging, stopping

# Before anything imports nbformat (see the function).
speed.skip_iri_format_checker()

KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]
"""A run's kernel keeps no input history: nobody reads it back, and writing it to IPython's
SQLite file costs every cell a little (and parallel runs would share the one file)."""

KERNEL_FOLDER_PREFIX = "workbook-kernel-"
"""A kernel session's private folder in the system's temporary folder: this prefix, then the
host and process id of the run that made it (see `workbook.run.staging`)."""

DEFAULT_CELL_TIMEOUT = 600
"""Seconds one cell may run before the section is failed (a hung kernel never stalls a batch)."""


class SectionFailed(WorkbookError):
    """A section notebook raised an error, timed out or lost its kernel."""

    exit_code = ExitCode.SECTION_FAILED

    def __init__(self, message: str, notebook=None):
        super().__init__(message)
        self.notebook = notebook


def remove_stale_kernel_folders(parent: Path | None = None) -> list[Path]:
    """Remove the private folders of kernel sessions whose run was killed before it could
    (their process is gone); folders of live runs and of other users are left alone."""
    parent = Path(parent or tempfile.gettempdir())
    removed = []
    for folder in parent.glob(f"{KERNEL_FOLDER_PREFIX}*"):
        try:
            mine = (
                folder.is_dir() and not folder.is_symlink() and folder.stat().st_uid == os.getuid()
            )
        except OSError:
            continue
        if mine and staging.made_by_dead_process(folder.name, KERNEL_FOLDER_PREFIX):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@dataclass
class KernelSession:
    """A kernel kept for the sections of one partnership-year (use as a context manager)."""

    cell_timeout: int = DEFAULT_CELL_TIMEOUT
    kernel_name: str = "python3"

    def __enter__(self) -> KernelSession:
        # IPC sockets in a folder of this session's own: local only, and no two runs on one
        # machine can pick the same socket (the default path is relative to the working folder).
        remove_stale_kernel_folders()
        self._sockets = tempfile.mkdtemp(prefix=f"{KERNEL_FOLDER_PREFIX}{staging.owner_tag()}.")
        self._km = self._new_manager()
        self._client = None
        self._namespace_used = False  # has a section run in this kernel since it started?
        self._env = settings.environment()
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.stop()
        finally:  # the folder goes whatever became of the kernel
            shutil.rmtree(self._sockets, ignore_errors=True)

    def _new_manager(self):
        from jupyter_client.manager import AsyncKernelManager

        return AsyncKernelManager(
            kernel_name=self.kernel_name, transport="ipc", ip=os.path.join(self._sockets, "kernel")
        )

    def stop(self) -> None:
        """Shut the kernel down now; a later section gets a fresh one (a manager's messaging
        context ends with its kernel, so the next kernel gets a new manager)."""
        from jupyter_core.utils import run_sync

        with contextlib.suppress(Exception):  # channels of a kernel that is going anyway
            self._drop_client()
        self._namespace_used = False
        if self._km.has_kernel:
            try:
                run_sync(self._km.shutdown_kernel)(now=True)
            except BaseException:
                # A signal met the shutdown, or the manager's event loop was left broken by an
                # interrupted cell: end the kernel's process directly, then go on stopping.
                self._kill_kernel()
                if not isinstance(sys.exc_info()[1], Exception):
                    raise
            finally:
                self._km = self._new_manager()

    def _kernel_process(self):
        return getattr(getattr(self._km, "provisioner", None), "process", None)

    def _kill_kernel(self) -> None:
        process = self._kernel_process()
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError):
                process.kill()
            with contextlib.suppress(Exception):
                process.wait(timeout=5)

    def ended_by_signal(self) -> int | None:
        """The signal that ended the kernel's process (SIGTERM from systemd stopping the whole
        service, SIGKILL from the kernel running out of memory...), or None."""
        process = self._kernel_process()
        code = process.poll() if process is not None else None
        return -code if code is not None and code < 0 else None

    @property
    def private_dir(self) -> Path:
        """A folder of this session's own (mode 0700), removed with it."""
        return Path(self._sockets)

    def start(self, env: dict[str, str] | None = None) -> None:
        """Start the kernel and its imports now, without waiting: the caller goes on with its
        own work (validation, hashing) while the kernel gets ready in the other core.
        `env` adds variables to the kernel's environment (and to any kernel started later)."""
        from jupyter_core.utils import run_sync

        self._env = settings.environment(**(env or {}))
        run_sync(self._km.start_kernel)(extra_arguments=KERNEL_ARGUMENTS, **self._start_options())
        client = self._new_client()
        # The client's channels are opened here rather than by nbclient, so that the warm-up
        # can be sent at once; nbclient waits for the kernel's first reply when it executes.
        client.kc = self._km.client()
        client.kc.start_channels()
        client.kc.allow_stdin = False
        client.kc.execute(speed.KERNEL_WARM_UP, silent=True, store_history=False)

    def _new_client(self):
        """One nbclient client for every section: a client's set-up (channels, handshake) is
        paid once per kernel, not once per notebook."""
        import nbformat

        self._client = _client_class()(
            nbformat.v4.new_notebook(),
            km=self._km,
            kernel_name=self.kernel_name,
            timeout=self.cell_timeout,
            allow_errors=False,
            record_timing=False,
            startup_timeout=120,
            extra_arguments=KERNEL_ARGUMENTS,
        )
        return self._client

    def _drop_client(self) -> None:
        if self._client is not None and self._client.kc is not None:
            self._client.kc.stop_channels()
        self._client = None

    def _run(self, notebook) -> None:
        client = self._client or self._new_client()
        client.nb = notebook
        client.execute(**self._start_options())  # used if it has to start a kernel

    def _start_options(self) -> dict:
        # The kernel's own chatter (start-up notices, its log) is not for the reader or the
        # terminal; everything a cell shows arrives through the messaging channels anyway.
        return {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": self._env}

    def _reset(self) -> None:
        """Clear the namespace left by the previous section (modules stay imported).

        Sent without waiting for its reply: the kernel handles requests in order, so the reset
        is done before the next section's first cell, and no round trip is spent on it.
        """
        self._client.kc.execute("%reset -f", silent=True, store_history=False)

    def execute(self, source: Path, parameters: dict) -> object:
        """Run one notebook with its parameters; return the executed notebook.

        On failure raises SectionFailed carrying the partly executed notebook, error and all,
        so the analyst can open it and see where it stopped.
        """
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        notebook = parameterize_notebook(load_notebook_node(str(source)), parameters)
        if self._namespace_used and self._client is not None:
            self._reset()
        self._namespace_used = True
        try:
            self._run(notebook)
        except CellExecutionError as exc:
            self._stopping_after(exc)
            raise SectionFailed(
                f"{source.name} failed: {exc.ename}: {exc.evalue}", notebook
            ) from exc
        except CellTimeoutError as exc:
            self._stopping_after(exc)
            self.stop()  # the next section, if any, gets a fresh kernel
            raise SectionFailed(
                f"{source.name} timed out: a cell ran longer than {self.cell_timeout} s", notebook
            ) from exc
        except DeadKernelError as exc:
            self._stopping_after(exc)
            killed = self.ended_by_signal()
            self.stop()  # the next section, if any, gets a fresh kernel
            how = f"it was ended by {signal.Signals(killed).name}" if killed else str(exc)
            if killed == signal.SIGKILL:
                how += " (often the machine running out of memory)"
            raise SectionFailed(f"{source.name} failed: the kernel died ({how})", notebook) from exc
        except BaseException as exc:
            self._stopping_after(exc)
            raise
        return notebook

    def _stopping_after(self, exc: BaseException) -> None:
        """Raise `Stopped` when the failure was a stop: this process was told to stop, or the
        kernel was ended by a stop signal (systemd stops every process of a service at once;
        this process's own signal then follows within moments)."""
        if isinstance(exc, KeyboardInterrupt):
            stopping.check()
            raise exc
        if self.ended_by_signal() in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            deadline = time.monotonic() + 2.0
            while stopping.requested() is None and time.monotonic() < deadline:
                time.sleep(0.05)
        stopping.check()


@functools.cache
def _client_class():
    """The client class, made on first use (nbclient is imported only when a run needs it)."""
    import asyncio
    from contextlib import asynccontextmanager

    from nbclient import NotebookClient

    class Client(NotebookClient):
        """nbclient's client, with two changes.

        It waits for the kernel's first reply (kernel_info) as long as for a kernel to start,
        not a cell's time: the reply comes once the kernel's interpreter has started, which on
        a busy machine takes longer than a short cell timeout, and nbclient meets a timeout
        outside a cell with a bare AssertionError.

        It leaves SIGTERM and SIGINT alone. nbclient puts handlers of its own on them while a
        notebook runs, which shut the kernel down (the run then reported "the kernel died" and
        kept the notebook as failed), and on leaving resets them to the defaults (a later
        SIGTERM killed the run without any clean-up). The run handles both itself
        (`workbook.run.stopping`): nbclient's attempt is refused the way it is refused outside
        the main thread, which it expects.
        """

        def _get_timeout(self, cell):
            if cell is None:
                return self.startup_timeout
            return super()._get_timeout(cell)

        @asynccontextmanager
        async def async_setup_kernel(self, **kwargs):
            loop = asyncio.get_running_loop()

            def refused(*args, **kwargs):
                raise RuntimeError("signals are handled by workbook.run.stopping")

            loop.add_signal_handler = loop.remove_signal_handler = refused
            try:
                async with super().async_setup_kernel(**kwargs):
                    yield
            finally:
                del loop.add_signal_handler, loop.remove_signal_handler

    return Client
