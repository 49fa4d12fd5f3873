"""The library's layers are written once: CONTRIBUTING.md's table and the import contracts that
`make lint` checks (pyproject.toml's [tool.importlinter]) name the same layers in the same
order, and every package and every section is under a contract."""

import re
import tomllib

from workbook.core import paths

ROOT = paths.project_root()
LIBRARY = ROOT / "lib" / "workbook"


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {contract["type"]: contract for contract in config["contracts"]}


def _contract_layers() -> list[list[str]]:
    return [sorted(p.strip() for p in row.split("|")) for row in _contracts()["layers"]["layers"]]


def _contributing_layers() -> list[list[str]]:
    text = (ROOT / "CONTRIBUTING.md").read_text()
    rows = re.findall(r"^\| \d+ \| ([^|]+) \|", text, flags=re.MULTILINE)
    return [sorted(re.findall(r"`(\w+)/`", row)) for row in rows]


def test_contributing_lists_the_layers_the_contracts_check_in_their_order():
    assert _contributing_layers() == _contract_layers()


def test_every_package_of_the_library_is_in_a_layer():
    packages = {p.parent.name for p in LIBRARY.glob("*/__init__.py")}
    layered = {name for row in _contract_layers() for name in row}
    assert packages == layered


def test_every_section_is_held_independent_of_the_others():
    sections = LIBRARY / "sections"
    found = {p.stem for p in sections.glob("*.py") if p.stem != "__init__"} | {
        p.parent.name for p in sections.glob("*/__init__.py")
    }
    listed = {m.removeprefix("workbook.sections.") for m in _contracts()["independence"]["modules"]}
    assert found == listed
