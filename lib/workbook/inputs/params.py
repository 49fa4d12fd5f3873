"""Partnership parameters: one YAML file per partnership in params/, read and validated before
anything runs (the models are `workbook.inputs.partnership`), each problem said in the user's
words with the key and what to write instead.
"""

from __future__ import annotations

import difflib
import hashlib
from pathlib import Path

from pydantic import (
    BaseModel,
    ValidationError,
)

from workbook.core import paths
from workbook.core.errors import ParamsError
from workbook.core.la_codes import LA_CODE_WORDS
from workbook.core.settings import validated_dir
from workbook.core.yamlfile import PARAMETERS, BudgetExceeded, YAMLError, load_file
from workbook.core.years import ReportYear
from workbook.inputs.partnership import Partnership, PartnershipFile, Settings, YearOverride


class _Shown:
    """A value as a message quotes it: its repr, cut short (a message is one line)."""

    def __init__(self, value):
        self.value = value

    def __repr__(self) -> str:
        text = repr(self.value)
        return text if len(text) <= 60 else text[:57] + "..."


def _say(item: dict, model: type[BaseModel]) -> str:
    """One pydantic error in the user's words, saying what to write instead."""
    kind, value, ctx = item["type"], _Shown(item.get("input")), item.get("ctx") or {}
    key = str(item["loc"][0]) if item["loc"] else ""
    if kind == "extra_forbidden":
        if key == "years" and len(item["loc"]) == 3:
            model = YearOverride
        close = difflib.get_close_matches(str(item["loc"][-1]), list(model.model_fields), n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else ("the keys are " + ", ".join(model.model_fields))
        )
        return f"not a parameter: {hint}"
    if kind == "missing":
        return "this key is required: add it (workbook new writes every key, with a comment)"
    if kind == "string_pattern_mismatch" and key in ("councils", "council_names"):
        return f"{value!r} is not {LA_CODE_WORDS}"
    if kind == "string_pattern_mismatch":
        return (
            f"{value!r} is not a section id: lower-case letters, digits and '_' "
            "(e.g. thematic_review)"
        )
    if kind == "too_short" and isinstance(value.value, list | tuple):
        return 'the list is empty: give at least one, e.g. ["E10000016"]'
    if kind == "string_too_short":
        return f"{value!r} is too short: write at least {ctx.get('min_length')} characters"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"{value!r} is not a whole number: write digits only, e.g. 5"
    if kind in ("float_parsing", "float_type"):
        return f"{value!r} is not a number: write digits only, e.g. 30"
    if kind in ("bool_parsing", "bool_type"):
        return f"{value!r} is not true or false: write true or false"
    if kind.startswith("date_"):
        return f"{value!r} is not a date: write it as 2022-10-01 (year, month, day)"
    if kind == "greater_than_equal":
        return f"{value!r} is too small: write a number of {ctx.get('ge')} or more"
    if kind == "less_than_equal":
        return f"{value!r} is too large: write a number of {ctx.get('le')} or less"
    if kind == "literal_error":
        return f"{value!r} is not allowed: write one of {ctx.get('expected')}"
    if kind in ("dict_type", "tuple_type", "list_type", "string_type"):
        wanted = {
            "dict_type": "a mapping of keys to values",
            "tuple_type": "a list, e.g. [a, b]",
            "list_type": "a list, e.g. [a, b]",
            "string_type": "text",
        }[kind]
        return f"{value!r} is not {wanted}"
    return str(item["msg"]).removeprefix("Value error, ")


def _format_error(path: Path, error: ValidationError, model: type[BaseModel]) -> str:
    lines = [f"{path}: invalid parameters"]
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(file)"
        lines.append(f"  key '{key}': {_say(item, model)}")
    return "\n".join(lines)


def read_partnership_file(path: Path) -> PartnershipFile:
    """Parse and validate one params file, naming file and key on any problem. A file beyond
    what parameters need (`workbook.core.yamlfile.PARAMETERS`: its size, nesting, aliases) is
    refused before anything walks it."""
    try:
        raw = load_file(path, PARAMETERS)
    except FileNotFoundError as exc:
        raise ParamsError(f"{path}: no such parameters file") from exc
    except BudgetExceeded as exc:
        raise ParamsError(str(exc)) from exc
    except YAMLError as exc:
        said = " ".join(str(exc).split())
        raise ParamsError(f"{path}: not valid YAML: {said}") from exc
    except UnicodeDecodeError as exc:
        raise ParamsError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it again as UTF-8"
        ) from exc
    except OSError as exc:
        raise ParamsError(
            f"{path}: cannot be read ({(exc.strerror or str(exc)).lower()}): check the file's "
            "permissions, or that it is a file"
        ) from exc
    if not isinstance(raw, dict):
        raise ParamsError(f"{path}: expected a mapping of keys to values at the top level")
    try:
        return PartnershipFile.model_validate(raw)
    except ValidationError as exc:
        raise ParamsError(_format_error(path, exc, PartnershipFile)) from exc


def _handover_file(folder: Path, partnership: str, year: str, params_dir) -> Path:
    key = repr(("parameters", partnership, year, str(params_dir or "")))
    return Path(folder) / f"{hashlib.sha256(key.encode()).hexdigest()}.json"


def hand_over_params(folder: Path, params: Partnership, params_dir: Path | None) -> None:
    """Leave the parameters a run read for its kernel: every section then renders with the
    parameters of the run's manifest, even if the file is replaced while the run goes on (the
    runner notices, and the next run renders the new version)."""
    path = _handover_file(folder, params.id, params.year, params_dir)
    # computed fields (covers_adults) are derived again on reading, which refuses extra keys
    derived = set(type(params).model_computed_fields)
    path.write_text(params.model_dump_json(exclude=derived), encoding="utf-8")


def load_params(partnership: str, year: str, params_dir: Path | None = None) -> Partnership:
    """The parameters in force for `partnership` in `year` (e.g. "2019-20"); in a run's
    kernel, those the run read (see `hand_over_params`)."""
    if (shared := validated_dir()) is not None:
        label = ReportYear.parse(year).label
        handed = _handover_file(shared, partnership, label, params_dir)
        if handed.is_file():
            return Partnership.model_validate_json(handed.read_text(encoding="utf-8"))
    folder = Path(params_dir) if params_dir else paths.params_dir()
    known = list_partnerships(folder)
    path = paths.inside(
        folder, folder / f"{paths.check_partnership_id(partnership, known)}.yaml", ParamsError
    )
    if not path.exists():
        meant = paths.did_you_mean(partnership, known)
        raise ParamsError(
            f"{path}: no parameters for partnership '{partnership}'; "
            + (f"did you mean {meant}? " if meant else "")
            + f"known: {', '.join(known) or 'none'}"
        )
    spec = read_partnership_file(path)
    label = ReportYear.parse(year).label
    override = spec.years.get(label)
    settings = spec.model_dump(exclude={"years"})
    if override:
        settings.update(override.model_dump(exclude_none=True))
    try:
        merged = Settings.model_validate({key: settings[key] for key in Settings.model_fields})
    except ValidationError as exc:
        raise ParamsError(_format_error(path, exc, Settings)) from exc
    base = spec.model_dump(
        include={"name", "short_name", "councils", "council_names", "region", "fictional"}
    )
    periods = {
        year: (override.period_start, override.period_end)
        for year, override in spec.years.items()
        if override.period_start is not None
    }
    return Partnership(
        id=partnership,
        year=label,
        remit=spec.remit_in_force,
        periods=periods,
        **base,
        **merged.model_dump(),
    )


def list_partnerships(params_dir: Path | None = None) -> list[str]:
    """Every partnership with a parameters file whose name is a valid id."""
    return [name for name in parameter_files(params_dir) if paths.PARTNERSHIP_ID.fullmatch(name)]


def parameter_files(params_dir: Path | None = None) -> list[str]:
    """The name (without .yaml) of every file in the parameters folder, valid id or not."""
    folder = Path(params_dir) if params_dir else paths.params_dir()
    if not folder.is_dir():
        raise ParamsError(
            f"{folder}: no such parameters folder; give --params-dir the folder "
            "that holds one <partnership>.yaml per partnership"
        )
    return sorted(p.stem for p in folder.glob("*.yaml"))
