"""Folders a run makes for itself: building new outputs beside the old, swapping them in, and
clearing what a run that was killed left behind.

A run writes into a staging folder beside its target and swaps it in only when everything
succeeded, so a failure never damages the last good outputs. Every folder a run makes carries
the host and process id of its maker in its name (`.2019-20.<host>.<pid>.<random>.partial`);
a later run on the same host removes those whose maker is gone (a run killed with SIGKILL runs
no clean-up of its own) and nothing else. The swap moves only what the workbook made: a target
without a `manifest.json` is refused, not replaced.

Folders follow the umask, like the files in them: under a service account with umask 022 the
board pack is readable by the analysts and a web server, with 077 by its owner only. A failure
to write under the outputs folder (permissions, a read-only or full disk, a file-size limit) is
said with the folder and what to do (`writing`).
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import os
import re
import shutil
import socket
import tempfile
from pathlib import Path

from workbook.core.errors import OutputsError

MANIFEST = "manifest.json"
"""Written last into every complete output folder: the mark of outputs the workbook made."""


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def owner_tag() -> str:
    """`<host>.<pid>`: who made a folder, in its name."""
    return f"{_host()}.{os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def made_by_dead_process(name: str, prefix: str) -> bool:
    """Whether a folder named `<prefix><host>.<pid>.<...>` was made on this host by a process
    that no longer runs."""
    match = re.match(re.escape(prefix) + r"(?P<host>[A-Za-z0-9-]+)\.(?P<pid>\d+)\.", name)
    return match is not None and match["host"] == _host() and not _alive(int(match["pid"]))


def umask() -> int:
    """This process's umask, read without changing it (Linux), else set and restored."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def shared_folder(parent: Path, prefix: str, suffix: str) -> Path:
    """A new folder of this process's own under `parent`, with the permissions the umask gives
    (tempfile makes its folders 0700 whatever the umask)."""
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}{owner_tag()}.", suffix=suffix, dir=parent))
    folder.chmod(0o777 & ~umask())
    return folder


def staging_folder(target: Path) -> Path:
    """A fresh folder beside `target` for a run to build its outputs in."""
    return shared_folder(target.parent, f".{target.name}.", ".partial")


def _is_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def stale(target: Path) -> list[Path]:
    """The staging and retired folders beside `target` that dead runs on this host left."""
    if not target.parent.is_dir():
        return []
    return [
        entry
        for entry in sorted(target.parent.glob(f".{target.name}.*"))
        if entry.name.endswith((".partial", ".old"))
        and _is_folder(entry)
        and made_by_dead_process(entry.name, f".{target.name}.")
    ]


def clean_stale(target: Path) -> list[Path]:
    """Remove what dead runs of `target` left beside it; return what was removed or restored.

    A dead run's staging folder goes. A dead run's retired outputs (it was killed between the
    two renames of the swap, so `target` is missing) are put back as `target`, or removed if a
    later run has written `target` since.
    """
    cleaned = []
    for entry in stale(target):
        try:
            if entry.name.endswith(".old") and not target.exists() and (entry / MANIFEST).exists():
                entry.rename(target)
            else:
                shutil.rmtree(entry, ignore_errors=True)
        except FileNotFoundError:  # another run cleaned it first
            continue
        if not entry.exists():
            cleaned.append(entry)
    return cleaned


def swap_into_place(staging: Path, target: Path, cancelled=lambda: False) -> bool:
    """Replace `target` by `staging` with two renames, restoring the old outputs on failure;
    return whether the new outputs are in place.

    Only outputs the workbook wrote are replaced: anything else at `target` stays where it is.
    When `cancelled()` says so once the renames are done (a stop came during them), they are
    undone: the earlier outputs are back as they were and `staging` holds the new ones.
    """
    if target.is_symlink() or (target.exists() and not (target / MANIFEST).is_file()):
        raise OutputsError(
            f"{target} exists but does not hold outputs of the workbook (it has no {MANIFEST}); "
            "nothing was changed: move it elsewhere, or give --outputs-dir another folder"
        )
    if not target.exists():
        staging.rename(target)
        if cancelled():
            target.rename(staging)
            return False
        return True
    retired = target.with_name(f".{target.name}.{owner_tag()}.old")
    target.rename(retired)
    try:
        staging.rename(target)
    except BaseException:
        retired.rename(target)
        raise
    if cancelled():
        target.rename(staging)
        retired.rename(target)
        return False
    shutil.rmtree(retired, ignore_errors=True)  # what is left is a dead run's: the next run's
    return True


_CANNOT_WRITE = {
    errno.EACCES: "the user running the workbook ({user}) may not write there: give it write "
    "permission to the folder (chmod u+w, or chown), or give --outputs-dir a "
    "folder it can write",
    errno.EPERM: "the user running the workbook ({user}) may not write there: give it write "
    "permission to the folder (chmod u+w, or chown), or give --outputs-dir a "
    "folder it can write",
    errno.EROFS: "the folder is on a read-only file system: give --outputs-dir a folder on "
    "a writable one",
    errno.ENOSPC: "the disk is full: free some space, or give --outputs-dir a folder on "
    "another disk",
    errno.EDQUOT: "your disk quota is used up: free some space, or give --outputs-dir a "
    "folder on another disk",
    errno.EFBIG: "a file grew past the largest this process may write (its file-size limit: "
    "`ulimit -f`, or LimitFSIZE= in a systemd unit): raise the limit",
}


@contextlib.contextmanager
def writing(outputs: Path):
    """Turn a failure to write under `outputs` (permissions, a read-only or full disk) into an
    OutputsError that says which folder and what to do; earlier outputs are untouched, since a
    run only ever writes into folders of its own until the final swap."""
    try:
        yield
    except OSError as exc:
        advice = _CANNOT_WRITE.get(exc.errno or 0)
        if advice is None:
            raise
        where = exc.filename or outputs
        raise OutputsError(
            f"cannot write {where}: {(exc.strerror or 'refused').lower()}; "
            f"{advice.format(user=getpass.getuser())}. Earlier outputs are "
            "untouched"
        ) from exc
