"""One table of exit codes: each code has one meaning, and the README's table is that table
(tests/functional/test_bad_inputs.py checks that its catalogue ends a command with every one)."""

from __future__ import annotations

import re

from workbook.core import paths
from workbook.core.errors import EXIT_CODES, ExitCode


def test_each_code_has_one_meaning_and_every_code_is_described():
    values = [code.value for code in ExitCode]
    assert len(values) == len(set(values))
    assert set(EXIT_CODES) == set(ExitCode)


def test_the_readme_table_is_the_code_table():
    readme = (paths.project_root() / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| (.+?) \|$", readme, re.MULTILINE)
    assert {int(code): meaning for code, meaning in rows} == {
        code.value: meaning for code, meaning in EXIT_CODES.items()
    }
