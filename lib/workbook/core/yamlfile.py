"""Reading the project's YAML (parameters, specs, codebook) with libyaml's C parser.

PyYAML's pure-Python parser takes about 0.04 s for the codebook, which validation checks theme
ids against in every table of every year a run reads; the C parser that PyYAML's wheels ship
does the same in a tenth of the time and accepts the same documents. Where PyYAML
was built without libyaml, the pure-Python loader is used: slower, same result.
"""

from __future__ import annotations

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


def safe_load(text: str):
    """Parse YAML text like `yaml.safe_load` (plain data only, no Python objects)."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader, C or Python
