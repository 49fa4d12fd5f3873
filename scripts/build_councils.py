"""Write lib/workbook/specs/councils.csv: England's children's services councils, from DfE's files.

Council codes, names and regions are public (they head every DfE statistics file); the project
commits this small list, never DfE's files, so that `workbook new` can look a council up by code
or name on a machine without them. One row per council and code: a council whose E-code changed
(Buckinghamshire, North Yorkshire, Somerset became unitary) has a row for each code.

    python scripts/build_councils.py /path/to/dfe      # rewrite the list from a folder of DfE files
    python scripts/build_councils.py /path/to/dfe --check   # exit 1 if the committed list differs
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "lib" / "workbook" / "specs" / "councils.csv"
GEOGRAPHY = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
]
COLUMNS = ["new_code", "old_code", "name", "region", "first_year", "last_year"]


def _year(time_period: int) -> str:
    """DfE's time_period 2020 is the year ending 31 March 2020: report year 2019-20."""
    return f"{time_period - 1}-{time_period % 100:02d}"


def council_rows(folder: Path) -> list[dict]:
    """Every (E-code, old code) pair of the council rows of DfE's files, with the name and region
    of its latest year and the first and last report years it appears in."""
    frames = []
    for path in sorted(folder.glob("*.csv")):
        if path.name.startswith("ons_"):
            continue  # mid-year population estimates: their time_period is not a report year
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame.columns = [str(c).strip() for c in frame.columns]
        if "geographic_level" not in frame or "new_la_code" not in frame:
            continue
        rows = frame[frame["geographic_level"] == "Local authority"]
        # Some files carry a row for every council in every year, with symbols (x, z) where a
        # council did not exist yet or any more: a year counts where a row has a figure.
        figures = rows.drop(columns=[c for c in GEOGRAPHY if c in rows])
        has_figure = figures.apply(lambda col: col.str.fullmatch(r"-?[\d,.]+")).any(axis=1)
        frames.append(
            rows.loc[
                has_figure, ["time_period", "new_la_code", "old_la_code", "la_name", "region_name"]
            ]
        )
    found = pd.concat(frames, ignore_index=True)
    found["time_period"] = found["time_period"].str[:4].astype(int)
    out = []
    for (new, old), rows in found.groupby(["new_la_code", "old_la_code"]):
        latest = rows.sort_values("time_period").iloc[-1]
        out.append(
            {
                "new_code": new,
                "old_code": old,
                "name": latest["la_name"],
                "region": latest["region_name"],
                "first_year": _year(int(rows["time_period"].min())),
                "last_year": _year(int(rows["time_period"].max())),
            }
        )
    return sorted(out, key=lambda r: (r["name"], r["new_code"]))


def render(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dfe_dir", type=Path, help="folder of DfE statistics CSV files")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if the committed list differs from a fresh build",
    )
    args = parser.parse_args(argv)
    text = render(council_rows(args.dfe_dir))
    if args.check:
        same = OUT.read_text(encoding="utf-8") == text
        print("councils.csv is up to date" if same else "councils.csv differs: rebuild it")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} councils)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
