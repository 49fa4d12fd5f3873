"""Reading the Department for Education's published statistics as they are published.

Explore Education Statistics (EES) CSV files are read exactly as downloaded: some start with a
byte-order mark, `time_period` 2020 means the year ending 31 March 2020 (report year 2019-20),
rows are National, Regional or Local authority, councils carry an old three-digit code and a new
E06/E08/E09/E10 code (the new code changed for some councils that were reorganised), and a cell
may hold a symbol instead of a number (`c` suppressed, `x` not available, `z` not applicable,
`u` low reliability, `low`/`k` rounds to zero).  A symbol becomes a missing value with the symbol
kept beside it, so a table can say *why* a figure is missing.

Which file and column feed which indicator is not in this module: it is the `dfe` block of each
indicator in specs/indicators.yaml.  The files are turned into one tidy table of counts (and
DfE's own published rates, kept for checking), the ONS 0-17 population, and the statistical
neighbour lists; `workbook.national.store` keeps them in the project's store under data/ (ignored
by git, so DfE's figures are never committed).
"""

from __future__ import annotations

import csv
import fnmatch
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import pandas as pd

from workbook.core import paths, yamlfile
from workbook.core.errors import NationalDataError
from workbook.core.la_codes import OLD_CODE
from workbook.core.yamlfile import YAMLError
from workbook.core.years import ReportYear

SYMBOLS = {
    "c": "suppressed to protect confidentiality",
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability",
    "low": "rounds to zero, but is not zero",
    "k": "rounds to zero, but is not zero",
    ":": "not available",
    "..": "not available",
}
"""EES and older DfE symbols for a figure that is not shown, and what each means."""

LEVELS = {"National": "national", "Regional": "regional", "Local authority": "la"}
"""Geographic levels read (others, such as local authority district, are not needed)."""

ENGLAND = "E92000001"
POPULATION = "population_0_17"
FIGURE_COLUMNS = [
    "indicator",
    "kind",
    "time_period",
    "year",
    "level",
    "code",
    "new_code",
    "name",
    "region",
    "value",
    "symbol",
    "source",
]
NEIGHBOUR_COLUMNS = ["model", "code", "rank", "neighbour"]
_NUMBER = re.compile(r"^-?\d[\d,]*(\.\d+)?$|^-?\.\d+$")


@cache
def load_spec() -> dict:
    """specs/indicators.yaml, parsed once: the catalogue and how DfE files feed it."""
    try:
        return yamlfile.load_spec("indicators")
    except YAMLError as exc:
        path = paths.SPECS_DIR / "indicators.yaml"
        raise NationalDataError(f"{path}: not valid YAML: {exc}") from exc


def parse_cell(text, source: str, row: int, column: str) -> tuple[float, str]:
    """One published cell as (number, symbol): a symbol gives (NaN, symbol), blank gives NaN.

    Anything else that is not a number is an error naming the file, row and column: silently
    reading it as missing would hide a file that is not what the catalogue expects.
    """
    value = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    value = value.strip()
    if not value:
        return float("nan"), ""
    if value.lower() in SYMBOLS:
        return float("nan"), value.lower()
    if _NUMBER.match(value):
        return float(value.replace(",", "")), ""
    raise NationalDataError(
        f"{source}, row {row}, column '{column}': {value!r} is neither a "
        f"number nor a known symbol ({', '.join(SYMBOLS)})"
    )


def read_ees_csv(path: Path) -> pd.DataFrame:
    """An EES CSV as text, header trimmed, with or without a byte-order mark.

    Every record must have as many fields as the header: a row with fewer is what a file cut
    short mid-download looks like, and reading its missing fields as blank would hide it. The
    frame's index is the record's line in the file less 2 (the header is line 1), so messages
    name the line a text editor shows, blank lines included.
    """
    rows, index = [], []
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header:
                raise NationalDataError(f"{path}: the file is empty; download it again")
            start = reader.line_num + 1
            for record in reader:
                if len(record) != len(header) and any(field.strip() for field in record):
                    raise NationalDataError(
                        f"{path}, line {start}: {len(record)} field(s) where the header has "
                        f"{len(header)}; the file looks cut short or damaged: download it "
                        "again from Explore Education Statistics"
                    )
                if len(record) == len(header):
                    rows.append(record)
                    index.append(start - 2)
                start = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise NationalDataError(f"{path}: not UTF-8 text ({exc}); download it again") from exc
    except csv.Error as exc:
        raise NationalDataError(
            f"{path}, line {start}: not a readable CSV file ({exc}); download it again"
        ) from exc
    frame = pd.DataFrame(rows, columns=[str(c).strip() for c in header], index=index, dtype=object)
    return frame.apply(lambda col: col.str.strip())


def _require(frame: pd.DataFrame, path: Path, columns, why: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise NationalDataError(f"{path}: no column {', '.join(repr(c) for c in missing)} ({why})")


def _rows(frame: pd.DataFrame, path: Path, filters: dict, why: str) -> pd.DataFrame:
    """The National, Regional and council rows of a file that match an indicator's filter."""
    _require(frame, path, ["time_period", "geographic_level", *filters], why)
    keep = frame["geographic_level"].isin(LEVELS)
    for column, value in filters.items():
        keep &= frame[column] == str(value)
    return frame[keep]


def _time_period(text: str, path: Path, row: int) -> int:
    """EES time_period for a financial/reporting year: 2020, or 202021 in some files."""
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    if re.fullmatch(r"\d{6}", text) and (int(text[:4]) + 1) % 100 == int(text[4:]):
        return int(text[:4]) + 1
    raise NationalDataError(f"{path}, row {row}, column 'time_period': {text!r} is not a year")


def _text(rows: pd.DataFrame, column: str, default: str = "") -> pd.Series:
    """A column of the file, or `default` on every row where the file has no such column."""
    if column in rows.columns:
        return rows[column]
    return pd.Series(default, index=rows.index, dtype=object)


def _tidy(
    rows: pd.DataFrame, path: Path, column: str, indicator: str, kind: str, offset: int = 0
) -> pd.DataFrame:
    """One indicator's figures from the selected rows of a file, in the store's layout: column
    by column, as a Series for each of some 40,000 published rows took seconds of every run."""
    _require(rows, path, [column], f"read for '{indicator}' by specs/indicators.yaml")
    lines = [int(index) + 2 for index in rows.index]  # header is line 1
    texts = rows[column].tolist()
    cells = [parse_cell(texts[i], str(path), line, column) for i, line in enumerate(lines)]
    periods: dict[str, int] = {}
    for text, line in zip(rows["time_period"], lines, strict=True):
        if text not in periods:
            periods[text] = _time_period(text, path, line) + offset
    level = rows["geographic_level"].map(LEVELS)
    national, regional = level == "national", level == "regional"
    council_code = _text(rows, "old_la_code")
    missing = (level == "la") & (council_code == "")
    if missing.any():
        line = lines[list(missing).index(True)]
        raise NationalDataError(
            f"{path}, row {line}, column 'old_la_code': a council row has no LA code"
        )
    country = _text(rows, "country_code", ENGLAND).replace("", ENGLAND)
    code = country.where(national, _text(rows, "region_code").where(regional, council_code))
    time_period = rows["time_period"].map(periods).astype(int)
    name = _text(rows, "country_name", "England").where(
        national, _text(rows, "region_name").where(regional, _text(rows, "la_name"))
    )
    # Plain lists, so each column takes the type pandas gives text (as the row-built frame did).
    return pd.DataFrame(
        {
            "indicator": [indicator] * len(rows),
            "kind": [kind] * len(rows),
            "time_period": time_period.tolist(),
            "year": [ReportYear(period - 1).label for period in time_period],
            "level": level.tolist(),
            "code": code.tolist(),
            "new_code": code.where(level != "la", _text(rows, "new_la_code")).tolist(),
            "name": name.tolist(),
            "region": _text(rows, "region_name").where(~national, "").tolist(),
            "value": [float(value) for value, _ in cells],
            "symbol": [symbol for _, symbol in cells],
            "source": [f"{path.name}:{column}"] * len(rows),
        },
        columns=FIGURE_COLUMNS,
    )


def _match(files: list[Path], pattern: str) -> Path | None:
    found = [p for p in files if fnmatch.fnmatch(p.name, pattern)]
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise NationalDataError(
            f"{found[0].parent}: more than one file matches {pattern!r} ({names}); keep one edition"
        )
    return found[0] if found else None


def _neighbours(files: list[Path]) -> pd.DataFrame:
    """Each statistical neighbour model as (model year, council, rank 1-10, neighbour)."""
    out = []
    for model in load_spec()["neighbour_models"]:
        path = _match(files, model["file"])
        if path is None:
            continue
        frame = read_ees_csv(path)
        # Some model files repeat the closeness column name (SNP, SNP.1 ...): only SN columns used.
        _require(
            frame,
            path,
            [model["code_column"], *model["neighbour_columns"]],
            "a statistical neighbour model",
        )
        for _, row in frame.iterrows():
            code = row[model["code_column"]]
            if not OLD_CODE.match(code):
                continue  # blank separator rows and the "Old SNs" footer
            for rank, column in enumerate(model["neighbour_columns"], start=1):
                if OLD_CODE.match(row[column]):
                    out.append(
                        {
                            "model": int(model["from_time_period"]),
                            "code": code,
                            "rank": rank,
                            "neighbour": row[column],
                        }
                    )
    return pd.DataFrame(out, columns=NEIGHBOUR_COLUMNS)


@dataclass(frozen=True, eq=False)
class NationalData:
    """DfE figures in tidy form: counts, DfE's published rates, population and neighbours.

    Compared and hashed by identity, so computations on one loaded copy can be cached.
    """

    figures: pd.DataFrame
    neighbours: pd.DataFrame
    origin: str

    @cached_property
    def _by_indicator(self) -> dict[tuple[str, str], pd.DataFrame]:
        return {key: rows for key, rows in self.figures.groupby(["indicator", "kind"])}

    def series(self, indicator: str, kind: str = "count") -> pd.DataFrame:
        """Every row of one indicator (all levels and years)."""
        return self._by_indicator.get((indicator, kind), self.figures.iloc[0:0])

    @cached_property
    def time_periods(self) -> list[int]:
        """The years with counts (asked once per indicator and year of every trend)."""
        return sorted(self.figures.loc[self.figures["kind"] == "count", "time_period"].unique())


def read_folder(folder: str | Path) -> NationalData:
    """Read every file of a DfE folder that the catalogue knows into tidy form."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise NationalDataError(f"{folder}: no such folder of DfE files")
    files = sorted(folder.glob("*.csv"))
    spec = load_spec()
    frames, cache_files = [], {}

    def file_rows(pattern, filters, why):
        path = _match(files, pattern)
        if path is None:
            return None, None
        if path not in cache_files:
            cache_files[path] = read_ees_csv(path)
        return path, _rows(cache_files[path], path, filters or {}, why)

    population = spec["populations"][POPULATION]
    path, rows = file_rows(population["file"], population.get("filter"), "ONS population")
    if path is not None:
        frames.append(
            _tidy(
                rows,
                path,
                population["column"],
                POPULATION,
                "population",
                offset=int(population.get("time_period_offset", 0)),
            )
        )
    by_id = {item["id"]: item.get("dfe") or {} for item in spec["indicators"]}
    for item in spec["indicators"]:
        dfe = dict(item.get("dfe") or {})
        if "file" not in dfe and "published" in dfe:
            # A published percentage sits in the same file as the counts it is built on.
            base = by_id[dfe.get("numerator") or dfe.get("rate_of")]
            dfe.update(file=base["file"], filter=base.get("filter"))
        if "file" not in dfe:
            continue
        why = f"read for '{item['id']}' by specs/indicators.yaml"
        path, rows = file_rows(dfe["file"], dfe.get("filter"), why)
        if path is None:
            continue
        if "column" in dfe:
            frames.append(_tidy(rows, path, dfe["column"], item["id"], "count"))
        if "published" in dfe:
            frames.append(_tidy(rows, path, dfe["published"], item["id"], "published"))
    counts = [f for f in frames if not f.empty and (f["kind"] == "count").any()]
    if not counts:
        raise NationalDataError(
            f"{folder}: none of its files is a DfE file the catalogue knows "
            "(specs/indicators.yaml); expected e.g. b1_children_in_need_*.csv"
        )
    figures = pd.concat(frames, ignore_index=True)
    duplicated = figures.duplicated(["indicator", "kind", "time_period", "level", "code"])
    if duplicated.any():
        first = figures[duplicated].iloc[0]
        raise NationalDataError(
            f"{folder}: {first['source']} gives {first['indicator']} for "
            f"{first['name']} {first['year']} more than once"
        )
    return NationalData(figures, _neighbours(files), str(folder))
