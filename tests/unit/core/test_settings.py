"""Every environment variable is read by workbook.core.settings alone, and the README lists
exactly the ones it reads."""

from __future__ import annotations

import re

from workbook.core import paths, settings


def _library_sources():
    return sorted((paths.project_root() / "lib" / "workbook").rglob("*.py"))


def test_no_module_but_settings_reads_the_environment():
    readers = [
        path.name
        for path in _library_sources()
        if re.search(r"os\.environ|os\.getenv|getenv\(", path.read_text(encoding="utf-8"))
    ]
    assert readers == ["settings.py"]


def test_every_variable_the_library_names_is_a_setting():
    named = set()
    for path in _library_sources():
        named |= set(re.findall(r"\bWORKBOOK_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    assert named == {variable.name for variable in settings.VARIABLES}


def test_the_readme_documents_every_setting_as_the_module_does():
    readme = (paths.project_root() / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(WORKBOOK_[A-Z_]+)` \| (.+?) \|$", readme, re.MULTILINE))
    assert rows == {variable.name: variable.meaning for variable in settings.VARIABLES}


def test_settings_are_read_when_asked_for(monkeypatch, tmp_path):
    monkeypatch.delenv("WORKBOOK_DFE_DIR", raising=False)
    monkeypatch.setenv("WORKBOOK_DEBUG", "0")
    assert settings.dfe_dir() is None and not settings.debug()
    monkeypatch.setenv("WORKBOOK_DFE_DIR", str(tmp_path))
    monkeypatch.setenv("WORKBOOK_DEBUG", "1")
    assert settings.dfe_dir() == tmp_path and settings.debug()
    assert settings.environment(EXTRA="x")["EXTRA"] == "x"


def test_the_cache_folder_is_the_setting_else_the_users_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBOOK_CACHE_DIR", str(tmp_path / "given"))
    assert settings.cache_dir() == tmp_path / "given"
    monkeypatch.delenv("WORKBOOK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert settings.cache_dir() == tmp_path / "xdg" / "workbook"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert settings.cache_dir() == tmp_path / "home" / ".cache" / "workbook"
