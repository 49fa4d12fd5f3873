"""Reading the project's YAML (parameters, specs, codebook) with libyaml's C parser, within
budgets that refuse a hostile file at once.

PyYAML's pure-Python parser takes about 0.04 s for the codebook, which validation checks theme
ids against in every table of every year a run reads; the C parser that PyYAML's wheels ship
does the same in a tenth of the time and accepts the same documents. Where PyYAML
was built without libyaml, the pure-Python loader is used: slower, same result.

A YAML file can be small on disk and enormous in memory: nine anchors, each a list of nine
aliases of the one before ("billion laughs"), are a few hundred bytes that expand to 387 million
values, and everything that walks them (validation, an error message quoting them) runs for
minutes. The project's YAML files are small and flat, so each kind has a `Budget` (size on disk,
nesting depth, aliases, values once aliases are expanded), checked on the parsed node graph
before any value is built: a file beyond its budget is refused in milliseconds with a message
naming it and the budget it broke.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from workbook.core import paths

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


@dataclass(frozen=True)
class Budget:
    """What one kind of YAML file may hold; far beyond any real one of its kind."""

    what: str
    """The kind of file, as messages name it ("a parameters file")."""
    size: int
    """Bytes on disk."""
    depth: int
    """Levels of nesting (a top-level mapping of scalars has depth 2)."""
    aliases: int
    """Uses of an anchor (`*name`)."""
    values: int
    """Scalars, lists and mappings once every alias is expanded."""


PARAMETERS = Budget("a parameters file", 256 * 1024, 12, 50, 20_000)
"""A partnership's parameters: about 50 values today; a year's overrides add a few each."""
CODEBOOK = Budget("a codebook", 4 * 1024 * 1024, 16, 1_000, 400_000)
"""The codebook: about 50 kB and 2,400 values today."""
SPECS = Budget("a specification file", 2 * 1024 * 1024, 16, 1_000, 200_000)
"""The library's own specs (contract, indicators, disclosure...): the largest has 1,300 values."""
SUGGESTIONS = Budget("a suggestions file", 4 * 1024 * 1024, 16, 1_000, 400_000)
"""`workbook codebook suggest`'s output, edited by an analyst and read back by `apply`."""


class BudgetExceeded(YAMLError):
    """A YAML file beyond what its kind may hold; the message names the file and the budget."""


def safe_load(text: str, budget: Budget = SPECS, source: str = "<text>"):
    """Parse YAML text like `yaml.safe_load` (plain data only, no Python objects), refusing a
    document beyond `budget` before any value is built."""
    if len(text) > budget.size:
        raise BudgetExceeded(_too_big(source, budget, f"{len(text):,} characters"))
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check(node, budget, source)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def load_file(path: Path, budget: Budget):
    """Read and parse a YAML file within `budget`; its size is checked before it is read.
    Raises OSError and UnicodeDecodeError as reading does, YAMLError (BudgetExceeded
    included) for what is not valid or too much."""
    path = Path(path)
    size = path.stat().st_size
    if size > budget.size:
        raise BudgetExceeded(_too_big(str(path), budget, f"{size:,} bytes"))
    return safe_load(path.read_text(encoding="utf-8"), budget, str(path))


@cache
def load_spec(name: str):
    """One of the library's own specs, `specs/<name>.yaml`, parsed once a process: every module
    reads its spec here, so a spec two modules need (identifiers, plain words, indicators) is
    read one way, within the specs' budget."""
    return load_file(paths.SPECS_DIR / f"{name}.yaml", SPECS)


def _too_big(source: str, budget: Budget, found: str) -> str:
    return (
        f"{source}: refused: {found}, more than the {budget.size:,} that {budget.what} may "
        "hold; is it the right file?"
    )


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check(root, budget: Budget, source: str) -> None:
    """Depth, aliases and expanded size of a composed document, without expanding it: each
    node's expanded size is counted once (an alias is the same node object again)."""
    size: dict[int, int] = {}  # id(node) -> values it stands for, aliases expanded
    depth: dict[int, int] = {}
    seen: set[int] = set()
    aliases = 0
    stack = [(root, False, 1)]
    while stack:
        node, done, level = stack.pop()
        key = id(node)
        if done:
            children = _children(node)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            if size[key] > budget.values:
                raise BudgetExceeded(
                    f"{source}: refused: its aliases (*name) or length make it more than "
                    f"{budget.values:,} values, far more than {budget.what} needs; write the "
                    "values out once, without nested anchors"
                )
            continue
        if key in seen:
            aliases += 1
            if key not in size:
                raise BudgetExceeded(
                    f"{source}: refused: an anchor (&name) is used inside itself, which "
                    f"{budget.what} never needs; write the values out"
                )
            if aliases > budget.aliases:
                raise BudgetExceeded(
                    f"{source}: refused: more than {budget.aliases:,} aliases (*name), far "
                    f"more than {budget.what} needs; write the values out"
                )
            level += depth[key] - 1  # the deepest level the alias reaches once expanded
        if level > budget.depth:
            raise BudgetExceeded(
                f"{source}: refused: nested more than {budget.depth} levels deep, deeper "
                f"than {budget.what} ever is"
            )
        if key in size:
            continue
        seen.add(key)
        stack.append((node, True, level))
        stack.extend((child, False, level + 1) for child in reversed(_children(node)))
