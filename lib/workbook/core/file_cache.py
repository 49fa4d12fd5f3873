"""What the workbook has read from others' files and can read again, kept between runs.

DfE's statistics files take a second to read into tidy form and change once a year, while a
scheduler runs every partnership against the same folder: each run reading them afresh is the
same second 150 times. Here such a reading is kept in a folder of its own under the cache folder
(WORKBOOK_CACHE_DIR, else the user's cache folder), named by a digest of the workbook's version,
the source folder and the name, size and modification time of each of its files: a file replaced
or edited gives a new name, so a reading is never used for files other than those it was made
from. An entry is written whole in a private folder and then renamed into place, so a reader
never sees half of one, and two runs making the same entry at once both succeed (one rename
wins, the other is dropped). The cache only ever saves time: where it cannot be written or read
(a read-only home, a full disk), the files are read as if it were not there.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from workbook import __version__
from workbook.core import settings

SOURCE_FILE = "SOURCE.txt"
"""In each entry: the folder it was read from (so older readings of that folder can be removed)."""
DIGESTS_FILE = "SHA256SUMS"
"""In each entry: the digest of each file kept, checked before the entry is used."""


def entry_for(kind: str, source: Path, files: Iterable[Path]) -> Path:
    """The entry a reading of `files` (in the folder `source`) is kept in: named by what it
    was read from, so that a changed file means another entry."""
    stamps = []
    for file in sorted(files):
        status = file.stat()
        stamps.append((file.name, status.st_size, status.st_mtime_ns))
    key = repr((__version__, kind, str(source.resolve()), stamps))
    return settings.cache_dir() / f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def keep(entry: Path, source: Path, write: Callable[[Path], None]) -> None:
    """Write an entry: `write` fills a private folder, which is then renamed to `entry`; older
    entries of the same kind read from the same folder are removed. Any failure leaves the cache
    as it was (and is not an error: the reading it would have kept is already in hand)."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        private = Path(tempfile.mkdtemp(prefix=f".{entry.name}-", dir=entry.parent))
    except OSError:
        return
    try:
        write(private)
        digests = [f"{digest(file)}  {file.name}" for file in sorted(private.iterdir())]
        (private / DIGESTS_FILE).write_text("\n".join(digests) + "\n", encoding="utf-8")
        (private / SOURCE_FILE).write_text(str(source.resolve()), encoding="utf-8")
        private.rename(entry)
    except OSError:
        shutil.rmtree(private, ignore_errors=True)  # another run put the entry in place first
        return
    _remove_older(entry, source)


def intact(entry: Path) -> bool:
    """Whether an entry is there and every file in it is as it was kept (a disk or a person may
    have damaged one since; it is then read past, as if it were not there)."""
    try:
        lines = (entry / DIGESTS_FILE).read_text(encoding="utf-8").splitlines()
        kept = [line.split("  ", 1) for line in lines if line]
        return bool(kept) and all(digest(entry / name) == kept_digest for kept_digest, name in kept)
    except (OSError, ValueError):
        return False


def digest(file: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks: what a cache key or a fingerprint says of
    a file's content."""
    with file.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _remove_older(entry: Path, source: Path) -> None:
    """Entries of the same kind read from the same folder before it changed."""
    kind = entry.name.rsplit("-", 1)[0]
    origin = str(source.resolve())
    for other in entry.parent.glob(f"{kind}-*"):
        if other == entry or not other.is_dir():
            continue
        with contextlib.suppress(OSError):
            if (other / SOURCE_FILE).read_text(encoding="utf-8") == origin:
                shutil.rmtree(other)
