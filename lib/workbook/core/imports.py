"""Importing a library without an optional dependency it would import as it starts, where
the workbook never uses what that dependency gives and every run would wait for it.

A library that lists a package as optional tries to import it and carries on without it on
ImportError; `import_without` makes that one attempt fail. The turned-away package stays
importable afterwards, for the analyst's own code or a test, and a package already imported
is not turned away (its cost is paid)."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType


def import_without(name: str, optional: str) -> ModuleType:
    """Module `name`, imported with `optional` turned away if it is not imported already."""
    if optional in sys.modules:
        return importlib.import_module(name)
    sys.modules[optional] = None  # type: ignore[assignment]  # an import of it raises ImportError
    try:
        return importlib.import_module(name)
    finally:
        if sys.modules.get(optional, ...) is None:
            del sys.modules[optional]
