"""Readings kept between runs: named by what they were read from, written whole, never in the
way (workbook.core.file_cache)."""

from __future__ import annotations

import os

import pytest

from workbook.core import file_cache


@pytest.fixture
def source(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBOOK_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "source"
    folder.mkdir()
    (folder / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (folder / "b.csv").write_text("y\n2\n", encoding="utf-8")
    return folder


def _entry(folder):
    return file_cache.entry_for("test", folder, folder.glob("*.csv"))


def _write(text):
    def write(private):
        (private / "kept.txt").write_text(text, encoding="utf-8")

    return write


def test_the_same_files_name_the_same_entry_and_a_changed_file_another(source):
    first = _entry(source)
    assert _entry(source) == first
    (source / "a.csv").write_text("x\n10\n", encoding="utf-8")  # edited in place, size changes
    edited = _entry(source)
    assert edited != first
    stamp = (source / "b.csv").stat()
    os.utime(source / "b.csv", ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))
    assert _entry(source) != edited  # same size, newer: read again
    (source / "c.csv").write_text("z\n", encoding="utf-8")
    assert _entry(source) not in (first, edited)


def test_an_entry_is_written_whole_and_replaces_the_older_reading_of_its_folder(source, tmp_path):
    old = _entry(source)
    file_cache.keep(old, source, _write("old"))
    (source / "a.csv").write_text("x\n3\n4\n", encoding="utf-8")
    new = _entry(source)
    file_cache.keep(new, source, _write("new"))
    assert (new / "kept.txt").read_text(encoding="utf-8") == "new"
    assert not old.exists()
    # only what is kept is left: no private folder half written
    assert sorted(p.name for p in new.parent.iterdir()) == [new.name]
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.csv").write_text("x\n", encoding="utf-8")
    file_cache.keep(_entry(other), other, _write("other"))
    assert new.exists()  # another folder's reading stays


def test_a_second_run_keeping_the_same_entry_leaves_the_first(source):
    entry = _entry(source)
    file_cache.keep(entry, source, _write("first"))
    file_cache.keep(entry, source, _write("second"))
    assert (entry / "kept.txt").read_text(encoding="utf-8") == "first"
    assert sorted(p.name for p in entry.parent.iterdir()) == [entry.name]


def test_a_cache_that_cannot_be_written_is_not_an_error(source, tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("WORKBOOK_CACHE_DIR", str(blocked / "cache"))
    file_cache.keep(_entry(source), source, _write("x"))  # nothing raised

    def fails(private):
        raise OSError(28, "No space left on device")

    monkeypatch.setenv("WORKBOOK_CACHE_DIR", str(tmp_path / "cache"))
    entry = _entry(source)
    file_cache.keep(entry, source, fails)
    assert not entry.exists()
    assert list(entry.parent.iterdir()) == []


def test_an_entry_is_intact_only_as_kept(source):
    entry = _entry(source)
    assert not file_cache.intact(entry)  # not there
    file_cache.keep(entry, source, _write("kept"))
    assert file_cache.intact(entry)
    (entry / "kept.txt").write_text("damaged", encoding="utf-8")
    assert not file_cache.intact(entry)
    (entry / "kept.txt").write_text("kept", encoding="utf-8")
    (entry / file_cache.DIGESTS_FILE).write_text("", encoding="utf-8")
    assert not file_cache.intact(entry)
