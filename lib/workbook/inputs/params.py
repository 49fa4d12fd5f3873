"""Partnership parameters: one YAML file per partnership in params/, validated before anything runs.

Why pydantic: a scheduled run for every partnership must fail at once, naming the file and the key,
when a parameter is mistyped, rather than halfway through rendering a board pack.
"""

from __future__ import annotations

import difflib
import hashlib
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    computed_field,
    field_validator,
    model_validator,
)

from workbook.core import paths
from workbook.core.errors import ParamsError
from workbook.core.la_codes import LA_CODE, LA_CODE_WORDS
from workbook.core.settings import validated_dir
from workbook.core.yamlfile import PARAMETERS, BudgetExceeded, YAMLError, load_file
from workbook.core.years import ReportYear
from workbook.disclosure.published import Policy
from workbook.disclosure.units import work_units

Marking = Literal["OFFICIAL", "OFFICIAL-SENSITIVE", "NOT PROTECTIVELY MARKED", "PUBLIC"]
SectionId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
"""A section's id: its notebook's name without the number (see `workbook.sections`)."""
LaCode = Annotated[str, Field(pattern=LA_CODE.pattern)]
Remit = Literal["children", "adults", "community_safety"]
REMITS = ("children", "adults", "community_safety")
"""What a partnership answers for: children's safeguarding always; a Safeguarding Adults
Board's duties (section 42 enquiries, SARs, Making Safeguarding Personal) in a joint partnership;
a Community Safety Partnership's (domestic homicide reviews) in a combined one."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Settings(_Strict):
    """Settings that a year may override."""

    protective_marking: Marking = "OFFICIAL"
    small_number_threshold: int = Field(5, ge=1, le=20)
    lookback_years: int = Field(4, ge=1, le=10)
    sections: tuple[SectionId, ...] | None = None
    """Sections to render (None: every section of the notebooks folder, in reading order)."""
    targets: dict[str, float] = Field(default_factory=dict)
    withhold_counts_of: tuple[str, ...] = ()
    """Units of the partnership's own work (specs/disclosure.yaml, e.g. reviews) to withhold
    when small, like counts of people: stricter than the default, never looser."""
    pack_listing_limit: int = Field(5, ge=1, le=50)
    """How many items a listing of the board pack shows (reviews, audits, a review's findings,
    a theme's findings and actions...) before "and N more": the pack's length then depends on
    its sections and themes, not on the amount of data; every item is in the appendix."""

    @field_validator("withhold_counts_of")
    @classmethod
    def _work_units(cls, value):
        known = work_units()
        unknown = [unit for unit in value if unit not in known]
        if unknown:
            raise ValueError(
                f"{', '.join(unknown)}: not a count of the partnership's work "
                f"(counts of people are always withheld); use some of "
                f"{', '.join(known)}"
            )
        return value

    @field_validator("sections")
    @classmethod
    def _sections_unique_and_present(cls, value):
        if value is None:
            return value
        if not value:
            raise ValueError("at least one section must be rendered")
        if len(set(value)) != len(value):
            raise ValueError("a section is listed twice")
        return value


class YearOverride(_Strict):
    """What one year changes: any setting, and the period the year's report covers where it is
    not 1 April to 31 March (`period_start` and `period_end`, both or neither)."""

    protective_marking: Marking | None = None
    small_number_threshold: int | None = Field(None, ge=1, le=20)
    lookback_years: int | None = Field(None, ge=1, le=10)
    sections: tuple[SectionId, ...] | None = None
    targets: dict[str, float] | None = None
    withhold_counts_of: tuple[str, ...] | None = None
    pack_listing_limit: int | None = Field(None, ge=1, le=50)
    period_start: date | None = None
    period_end: date | None = None


class PartnershipFile(Settings):
    """The whole params/<partnership>.yaml file."""

    name: str = Field(min_length=3)
    short_name: str = Field(min_length=2)
    councils: tuple[LaCode, ...] = Field(min_length=1)
    region: str = Field(min_length=3)
    council_names: dict[LaCode, str] = Field(default_factory=dict)
    """Each council's name as the partnership's data write it, where DfE's list does not give
    it (a fictional council) or the reports use another ("Redcar & Cleveland")."""
    remit: tuple[Remit, ...] | None = None
    covers_adults: bool | None = None
    """Contract v2's way of saying the remit: true is children and adults."""
    fictional: bool = False
    years: dict[str, YearOverride] = Field(default_factory=dict)

    @field_validator("years")
    @classmethod
    def _year_labels(cls, value):
        for label, override in value.items():
            try:
                year = ReportYear.parse(label)
                year.with_period(override.period_start, override.period_end)
            except ParamsError as exc:  # pydantic reports ValueErrors with the key
                raise ValueError(str(exc)) from None
        return value

    @field_validator("remit")
    @classmethod
    def _remit_has_children(cls, value):
        if value is None:
            return value
        if len(set(value)) != len(value):
            raise ValueError("a part of the remit is listed twice")
        if "children" not in value:
            raise ValueError(
                "the workbook reports a children's safeguarding partnership: the remit "
                "includes children, e.g. [children, adults]"
            )
        return tuple(r for r in REMITS if r in value)

    @field_validator("council_names")
    @classmethod
    def _named_councils_only(cls, value, info):
        listed = set(info.data.get("councils") or ())
        stray = [code for code in value if code not in listed]
        if stray:
            raise ValueError(
                f"{', '.join(stray)}: not in councils; council_names names the councils "
                "the councils key lists"
            )
        return value

    @model_validator(mode="after")
    def _remit_given_once(self):
        if self.remit is None and self.covers_adults is None:
            raise ValueError(
                "remit is required: e.g. remit: [children, adults] (covers_adults: true "
                "says the same in files of contract v2)"
            )
        given_both = self.remit is not None and self.covers_adults is not None
        if given_both and self.covers_adults != ("adults" in self.remit):
            raise ValueError(
                f"covers_adults: {str(self.covers_adults).lower()} disagrees with remit "
                f"{list(self.remit)}: keep remit only"
            )
        return self

    @property
    def remit_in_force(self) -> tuple[str, ...]:
        if self.remit is not None:
            return self.remit
        return ("children", "adults") if self.covers_adults else ("children",)


class Partnership(_Strict):
    """The parameters in force for one partnership and year: the file with that year's overrides."""

    id: str
    year: str
    name: str
    short_name: str
    councils: tuple[str, ...]
    council_names: dict[str, str]
    region: str
    remit: tuple[str, ...]
    fictional: bool
    periods: dict[str, tuple[date, date]]
    """The period of every year whose report does not run 1 April to 31 March, by label."""
    protective_marking: str
    small_number_threshold: int
    lookback_years: int
    sections: tuple[str, ...] | None
    targets: dict[str, float]
    withhold_counts_of: tuple[str, ...]
    pack_listing_limit: int

    @computed_field
    @property
    def covers_adults(self) -> bool:
        """A joint children's and adults' partnership (contract v2's `covers_adults`), derived
        from the remit; kept in the parameters a run records."""
        return "adults" in self.remit

    @property
    def covers_community_safety(self) -> bool:
        return "community_safety" in self.remit

    @property
    def report_year(self) -> ReportYear:
        """The year of this report, with its period."""
        return self.year_of(self.year)

    def year_of(self, label: str) -> ReportYear:
        """Any year of the partnership (a lookback year too), with its period."""
        year = ReportYear.parse(label)
        return year.with_period(*self.periods.get(year.label, (None, None)))

    def council_list(self) -> tuple[tuple[str, str], ...]:
        """(code, name) of each council, as the parameters give them (the name blank where
        `council_names` gives none): the ways the data's `council` columns may name it."""
        return tuple((code, self.council_names.get(code, "")) for code in self.councils)

    @property
    def policy(self) -> Policy:
        """The disclosure rules in force: the threshold, and any units of the partnership's
        work it asked to withhold like counts of people."""
        return Policy(self.small_number_threshold, frozenset(self.withhold_counts_of))


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
