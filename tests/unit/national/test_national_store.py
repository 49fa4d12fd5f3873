"""A folder of DfE's files is read once and kept between runs: the next run reads the same
tables from the cache, and a changed file is read afresh (workbook.national.store)."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import tiny_folder
from workbook.core import errors
from workbook.national import dfe
from workbook.national import store as national_store


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBOOK_CACHE_DIR", str(tmp_path / "cache"))
    return tiny_folder(tmp_path / "dfe")


def _next_run():
    """What a new process starts with: nothing read yet."""
    national_store._read_folder_cached.cache_clear()
    national_store.load_store.cache_clear()


def _same(a, b):
    pd.testing.assert_frame_equal(a.figures, b.figures)
    pd.testing.assert_frame_equal(a.neighbours, b.neighbours)
    assert a.origin == b.origin


def test_the_next_run_reads_the_same_tables_from_the_cache_not_the_files(folder, monkeypatch):
    _next_run()
    first = national_store.national_data(folder)
    _same(first, dfe.read_folder(folder))
    _next_run()

    def not_again(_folder):
        raise AssertionError("the files were read again")

    monkeypatch.setattr(national_store, "read_folder", not_again)
    _same(national_store.national_data(folder), first)  # origin: the folder, not the cache


def test_a_changed_file_is_read_afresh(folder):
    _next_run()
    national_store.national_data(folder)
    population = next(folder.glob("*population*"))
    text = population.read_text(encoding="utf-8")
    population.write_text(text.replace("1000000", "1000001"), encoding="utf-8")
    _next_run()
    again = national_store.national_data(folder)
    _same(again, dfe.read_folder(folder))
    assert (again.figures["value"] == 1_000_001).any()


def test_a_damaged_cache_entry_is_read_past(folder):
    _next_run()
    national_store.national_data(folder)
    (entry,) = [p for p in (folder.parent / "cache").iterdir() if p.is_dir()]
    (entry / "figures.csv").write_bytes(b'"indicator","kind"\n"a",\x00"unterminated\n')
    _next_run()
    _same(national_store.national_data(folder), dfe.read_folder(folder))


def test_a_file_that_is_not_dfes_is_still_an_error_after_a_good_read(folder):
    _next_run()
    national_store.national_data(folder)
    population = next(folder.glob("*population*"))
    population.write_text(population.read_text(encoding="utf-8") + "2019,oops\n", "utf-8")
    _next_run()
    with pytest.raises(errors.WorkbookError):
        national_store.national_data(folder)
