"""What a partnership's parameters may say (`params/<id>.yaml`): the file, a year's overrides,
and the `Partnership` in force for one year, as pydantic models.

Why pydantic: a scheduled run for every partnership must fail at once, naming the file and the key,
when a parameter is mistyped, rather than halfway through rendering a board pack.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    computed_field,
    field_validator,
    model_validator,
)

from workbook.core.errors import ParamsError
from workbook.core.la_codes import LA_CODE
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


def _once_each(value, what: str):
    """A list of the parameters as given, refused where it names something twice."""
    if value is not None and len(set(value)) != len(value):
        raise ValueError(f"{what} is listed twice")
    return value


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
        if value is not None and not value:
            raise ValueError("at least one section must be rendered")
        return _once_each(value, "a section")


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
        if _once_each(value, "a part of the remit") is None:
            return value
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

    # pydantic's documented form, which mypy does not follow through the property
    @computed_field  # type: ignore[prop-decorator]
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
