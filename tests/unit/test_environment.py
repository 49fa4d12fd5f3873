"""environment.yml (conda) and pyproject.toml (pip) must ask for the same packages."""

import re
import tomllib

import yaml

from workbook.core import paths


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)$", requirement)
    return match[1].lower().replace("_", "-"), match[2].replace(" ", "")


def test_conda_environment_matches_pyproject():
    root = paths.project_root()
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    wanted = dict(
        map(_name_and_spec, project["dependencies"] + project["optional-dependencies"]["dev"])
    )
    conda = yaml.safe_load((root / "environment.yml").read_text())["dependencies"]
    from_pip = [d for entry in conda if isinstance(entry, dict) for d in entry.get("pip", [])]
    listed = dict(
        _name_and_spec(d)
        for d in conda + from_pip
        if isinstance(d, str) and not d.startswith(("python", "pip", "-e"))
    )
    assert listed == wanted
