"""The checks of a partnership-year before anything renders, shared by `workbook validate` and
`workbook run` so that the two can never disagree on what is valid: every year the sections
read validated (each read once), then the cells worth a look, the personal-identifier screen
and the training figures that disagree, for the report year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbook.core.errors import DataValidationError
from workbook.core.paths import year_folder
from workbook.facts.training import training_disagreements
from workbook.inputs.loading import read_year, table_sources
from workbook.inputs.partnership import Partnership
from workbook.inputs.validation import hand_over, validate_tables
from workbook.run.plan import years_read
from workbook.run.stages import Stopwatch
from workbook.text.safety import screen_year


@dataclass
class CheckedYear:
    """A valid partnership-year: its report year's typed tables and what to warn about."""

    years: list[str]
    """Every year read and validated: the report year and the lookback years with data."""
    tables: dict
    """The report year's typed tables (what the screen and the data notes use)."""
    cells: list = field(default_factory=list)
    """Cells worth a look (an Excel formula with no saved value)."""
    identifiers: list = field(default_factory=list)
    """Possible personal identifiers in text to be published."""
    disagreements: list = field(default_factory=list)
    """Training figures that disagree between the tables that give them."""

    @property
    def warnings(self) -> list[str]:
        """Every warning, one line each, as a run reports them and its manifest keeps them."""
        return [str(w) for w in self.cells + self.identifiers + self.disagreements]


def check_year(
    params: Partnership,
    data_dir: Path | None,
    hand_over_to: Path | None = None,
    watch: Stopwatch | None = None,
) -> CheckedYear:
    """Validate every year a run reads; raise with all problems of all years at once, else
    screen the report year. Valid years are left in `hand_over_to`, if given, for the run's
    kernel; `watch`, if given, times the two stages (validation, screening)."""
    watch = watch or Stopwatch()
    with watch.timed("validation"):
        years, cells, tables = _validated(params, data_dir, hand_over_to)
    with watch.timed("screening"):
        sources = table_sources(params.id, params.year, data_dir)
        return CheckedYear(
            years,
            tables,
            cells,
            list(screen_year(tables, sources)),
            list(training_disagreements(tables, sources)),
        )


def _validated(
    params: Partnership, data_dir: Path | None, hand_over_to: Path | None
) -> tuple[list[str], list, dict]:
    years = years_read(params, data_dir)
    cells: list = []
    problems, tables = [], {}
    for year in years:
        raw = read_year(params.id, year, data_dir)
        folder = year_folder(params.id, year, data_dir)
        typed, found = validate_tables(
            raw, params.year_of(year), folder, cells, params.council_list()
        )
        problems += found
        if hand_over_to is not None and not found:
            hand_over(hand_over_to, params.id, year, data_dir, typed)
        if year == params.year:
            tables = typed
    if problems:
        raise DataValidationError(problems)
    return years, cells, tables
