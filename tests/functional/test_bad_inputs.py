"""A catalogue of bad inputs, faults and attacks, each through the real `workbook` command.

Every case sets up a small project (one valid Testshire year and an earlier good output), breaks
one thing, runs one command in this process and checks three things: the exit code (one meaning
each, `ExitCode`), the message (which file, row, cell or folder, and what to do; never a
traceback), and that nothing that was there before changed: data, parameters and earlier outputs
are byte for byte the same, and nothing was written outside the outputs folder (a run's log in
outputs/<partnership>/logs/ is the one thing a failed run may add). A few cases that need a
real run or a killed process are at the end (`SLOW_CASES`).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import (
    DFE_FILE,
    DFE_HEADER,
    DFE_ROWS,
    TINY_PARAMS,
    TINY_TABLES,
    dfe_folder,
    folders,
    write_year,
)
from workbook.core.errors import ExitCode
from workbook.run import staging
from workbook.run.cli import main
from workbook.run.execution import KERNEL_FOLDER_PREFIX, remove_stale_kernel_folders

YEAR = Path("data") / "testshire" / "2019-20"
EARLIER = Path("outputs") / "testshire" / "2019-20"


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it (returns the command line), what the command must end
    with and say, and anything more to check afterwards."""

    name: str
    code: ExitCode
    says: tuple[str, ...]
    make: object
    check: object = None
    may_change: tuple[str, ...] = field(default=())


CASES: list[Case] = []


def case(name: str, code: ExitCode, *says: str, check=None, may_change=()):
    def register(make):
        CASES.append(Case(name, code, says, make, check, may_change))
        return make

    return register


def validate(project: Path, partnership: str = "testshire", year: str = "2019-20") -> list[str]:
    return ["validate", partnership, year, *folders(project)]


def run(project: Path, partnership: str = "testshire", year: str = "2019-20") -> list[str]:
    return ["run", partnership, year, *folders(project, outputs=True)]


def table(project: Path, name: str, text: str | bytes) -> None:
    path = project / YEAR / f"{name}.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def replaced(name: str, old: str, new: str) -> str:
    assert old in TINY_TABLES[name]
    return TINY_TABLES[name].replace(old, new)


def params(project: Path, text: str, partnership: str = "testshire") -> None:
    (project / "params" / f"{partnership}.yaml").write_text(text, encoding="utf-8")


# --- CSV structure -------------------------------------------------------------------------------


@case(
    "a required table is missing",
    ExitCode.DATA,
    "findings.csv",
    "the required table 'findings' is missing",
)
def _(project):
    (project / YEAR / "findings.csv").unlink()
    return validate(project)


@case("an empty file", ExitCode.DATA, "audits.csv", "the file is empty (it needs a header row)")
def _(project):
    table(project, "audits", "")
    return validate(project)


@case(
    "a file saved in Windows-1252, not UTF-8",
    ExitCode.DATA,
    "findings.csv",
    "not UTF-8 text",
    "save the sheet as 'CSV UTF-8'",
)
def _(project):
    table(
        project,
        "findings",
        TINY_TABLES["findings"].replace("children's", "children’s").encode("cp1252"),
    )
    return validate(project)


@case(
    "a misspelt column",
    ExitCode.DATA,
    "reviews.csv",
    "column 'review_tpye'",
    "did you mean 'review_type'",
)
def _(project):
    table(project, "reviews", replaced("reviews", "review_type", "review_tpye"))
    return validate(project)


@case(
    "a required column is missing",
    ExitCode.DATA,
    "audits.csv",
    "column 'audit_type'",
    "required column is missing",
)
def _(project):
    lines = [
        ",".join(line.split(",")[:2] + line.split(",")[3:])
        for line in TINY_TABLES["audits"].splitlines()
    ]
    table(project, "audits", "\n".join(lines) + "\n")
    return validate(project)


@case(
    "a CSV that is not a table of the contract",
    ExitCode.DATA,
    "notes.csv",
    "'notes' is not a table of the data contract",
)
def _(project):
    table(project, "notes", "a,b\n1,2\n")
    return validate(project)


@case(
    "a row with an extra comma",
    ExitCode.DATA,
    "findings.csv, line 3",
    "8 values where the header has 7",
    "double quotes",
)
def _(project):
    table(
        project,
        "findings",
        replaced(
            "findings",
            "The voice of the child was clearly recorded.",
            "The voice of the child was clearly, recorded.",
        ),
    )
    return validate(project)


@case(
    "a quote that never closes",
    ExitCode.DATA,
    "findings.csv, line 3",
    "a double quote opens a value that never closes",
)
def _(project):
    table(
        project,
        "findings",
        replaced("findings", "The voice of the child", '"The voice of the child'),
    )
    return validate(project)


@case(
    "row numbers count blank lines",
    ExitCode.DATA,
    "audits.csv, row 4, column 'audit_date'",
    "'15th November' is not a date",
)
def _(project):
    header, row = TINY_TABLES["audits"].splitlines()
    table(project, "audits", f"{header}\n\n\n{row.replace('2019-11-15', '15th November')}\n")
    return validate(project)


@case(
    "row numbers count blank lines in references too",
    ExitCode.DATA,
    "actions.csv, row 6, column 'finding_id'",
    "'F9' is not the finding_id of any finding",
)
def _(project):
    lines = TINY_TABLES["actions"].splitlines()
    table(
        project,
        "actions",
        "\n".join(
            [lines[0], lines[1], "", ",,,,,,,,", lines[2], lines[3].replace("X3,,A1", "X3,F9,")]
        )
        + "\n",
    )
    return validate(project)


@case("the same id twice", ExitCode.DATA, "findings.csv", "'F2' appears more than once")
def _(project):
    table(project, "findings", replaced("findings", "F3,audit", "F2,audit"))
    return validate(project)


@case(
    "a required cell holding only spaces",
    ExitCode.DATA,
    "reviews.csv, row 2",
    "column 'review_type'",
    "a value is required here",
)
def _(project):
    table(project, "reviews", replaced("reviews", "R1,cspr", "R1,   "))
    return validate(project)


@case(
    "an Excel workbook beside CSV files",
    ExitCode.DATA,
    "2019-20",
    "holds both an Excel workbook and CSV files",
    "keep one form of the data",
)
def _(project):
    (project / YEAR / "year.xlsx").write_bytes(b"PK")
    return validate(project)


@case("two Excel workbooks", ExitCode.DATA, "more than one Excel workbook", "keep one")
def _(project):
    for name in TINY_TABLES:
        (project / YEAR / f"{name}.csv").unlink()
    (project / YEAR / "a.xlsx").write_bytes(b"PK")
    (project / YEAR / "b.xlsx").write_bytes(b"PK")
    return validate(project)


@case("a damaged Excel workbook", ExitCode.DATA, "year.xlsx", "not a readable Excel workbook")
def _(project):
    for name in TINY_TABLES:
        (project / YEAR / f"{name}.csv").unlink()
    (project / YEAR / "year.xlsx").write_bytes(b"this is not a workbook")
    return validate(project)


@case(
    "no data folder for the year",
    ExitCode.DATA,
    "2020-21",
    "no data folder for testshire",
    "make it",
)
def _(project):
    return validate(project, year="2020-21")


@case("the year's data folder is a file", ExitCode.DATA, "no data folder")
def _(project):
    (project / "data" / "testshire" / "2020-21").write_text("not a folder")
    return validate(project, year="2020-21")


@case("a duplicated column name", ExitCode.DATA, "audits.csv", "unknown column")
def _(project):
    header, row = TINY_TABLES["audits"].splitlines()
    table(project, "audits", f"{header},title\n{row},Again\n")
    return validate(project)


@case("a header-only file for a required table is valid", ExitCode.OK, "data valid")
def _(project):
    table(project, "actions", TINY_TABLES["actions"].splitlines()[0] + "\n")
    return validate(project)


@case("a byte-order mark and Windows line endings are read", ExitCode.OK, "data valid")
def _(project):
    table(project, "audits", b"\xef\xbb\xbf" + TINY_TABLES["audits"].replace("\n", "\r\n").encode())
    return validate(project)


# --- values --------------------------------------------------------------------------------------


@case(
    "a date written in words",
    ExitCode.DATA,
    "audits.csv, row 2, column 'audit_date'",
    "'15th November' is not a date: write a day (12/05/2019",
)
def _(project):
    table(project, "audits", replaced("audits", "2019-11-15", "15th November"))
    return validate(project)


@case(
    "a date outside the reporting year",
    ExitCode.DATA,
    "audits.csv, row 2",
    "is outside the reporting year 2019-20",
)
def _(project):
    table(project, "audits", replaced("audits", "2019-11-15", "2021-01-15"))
    return validate(project)


@case("dates in the wrong order", ExitCode.DATA, "reviews.csv, row 2", "is before started_date")
def _(project):
    table(project, "reviews", replaced("reviews", "2020-02-01", "2019-05-25"))
    return validate(project)


@case(
    "a count in words",
    ExitCode.DATA,
    "audits.csv, row 2, column 'cases_audited'",
    "'twelve' is not a whole number",
)
def _(project):
    table(project, "audits", replaced("audits", ",12,", ",twelve,"))
    return validate(project)


@case(
    "a fraction where a count belongs",
    ExitCode.DATA,
    "column 'cases_audited'",
    "'12.5' is not a whole number",
)
def _(project):
    table(project, "audits", replaced("audits", ",12,", ",12.5,"))
    return validate(project)


@case(
    "a negative count",
    ExitCode.DATA,
    "audits.csv, row 2, column 'cases_audited'",
    "cannot be negative",
)
def _(project):
    table(project, "audits", replaced("audits", ",12,", ",-12,"))
    return validate(project)


@case(
    "a category the contract does not know",
    ExitCode.DATA,
    "reviews.csv, row 2",
    "column 'status'",
    "is not one of",
)
def _(project):
    table(project, "reviews", replaced("reviews", ",completed", ",finished"))
    return validate(project)


@case(
    "a theme id the codebook does not know",
    ExitCode.DATA,
    "findings.csv, row 2",
    "column 'themes'",
    "is not a known theme id of data/codebook/themes.yaml",
)
def _(project):
    table(
        project,
        "findings",
        replaced("findings", "communication_information_sharing", "communication_info_sharing"),
    )
    return validate(project)


@case(
    "a finding pointing at no review",
    ExitCode.DATA,
    "findings.csv, row 2",
    "column 'source_id'",
    "'R9'",
)
def _(project):
    table(project, "findings", replaced("findings", "review,R1", "review,R9"))
    return validate(project)


@case(
    "an action pointing at no finding",
    ExitCode.DATA,
    "actions.csv, row 2",
    "'F9' is not the finding_id of any finding",
)
def _(project):
    table(project, "actions", replaced("actions", "X1,F1", "X1,F9"))
    return validate(project)


@case(
    "an id with a space", ExitCode.DATA, "reviews.csv, row 2", "column 'review_id'", "is not an id"
)
def _(project):
    table(project, "reviews", replaced("reviews", "R1,cspr", "R 1,cspr"))
    table(project, "findings", replaced("findings", "review,R1", "review,R 1"))
    return validate(project)


@case("an id that is a formula", ExitCode.DATA, "reviews.csv, row 3", "is not an id")
def _(project):
    table(project, "reviews", replaced("reviews", "R2,rapid_review", "=1+1,rapid_review"))
    return validate(project)


@case(
    "a required value left blank",
    ExitCode.DATA,
    "actions.csv, row 2",
    "column 'action'",
    "a value is required here",
)
def _(project):
    table(
        project,
        "actions",
        replaced("actions", "Issue a 7-minute briefing on information sharing", ""),
    )
    return validate(project)


@case(
    "every problem of a file is listed at once",
    ExitCode.DATA,
    "3 problem(s) in the data",
    "'audit_date'",
    "'cases_audited'",
    "'graded_good'",
)
def _(project):
    table(project, "audits", replaced("audits", "2019-11-15,12,1,6", "someday,twelve,1,six"))
    return validate(project)


# --- parameters ----------------------------------------------------------------------------------


@case(
    "an unknown partnership",
    ExitCode.PARAMETERS,
    "no parameters for partnership 'nowhere'",
    "known: testshire",
)
def _(project):
    return validate(project, partnership="nowhere")


for bad_year in ("2019/20", "2019-21", "19-20", "2019", "2019-20; rm -rf /"):
    case(
        f"a year written {bad_year!r}",
        ExitCode.PARAMETERS,
        "is not a reporting year",
        "write it as 2019-20",
    )(lambda project, y=bad_year: validate(project, year=y))

for hostile in (
    "../../x/y",
    "..",
    "testshire/../../x",
    "/etc/passwd",
    "Testshire",
    "test shire",
    "testshire\n",
    "~root",
    ".hidden",
    "x" * 80,
):
    case(
        f"a partnership id {hostile!r}",
        ExitCode.PARAMETERS,
        "is not a partnership id",
        "lower-case letters, digits",
    )(lambda project, p=hostile: run(project, partnership=p))


@case(
    "the path-traversal run of issue 14 writes nothing anywhere",
    ExitCode.PARAMETERS,
    "is not a partnership id",
)
def _(project):
    outside = project.parent / "x"
    (outside / "2019-20").mkdir(parents=True)
    for name, text in TINY_TABLES.items():
        (outside / "2019-20" / f"{name}.csv").write_text(text, encoding="utf-8")
    (project.parent / "x.yaml").write_text(TINY_PARAMS, encoding="utf-8")
    return run(project, partnership="../../x")  # params/../../x.yaml exists


@case("parameters that are not YAML", ExitCode.PARAMETERS, "testshire.yaml", "not valid YAML")
def _(project):
    params(project, "name: [unclosed\n")
    return validate(project)


@case(
    "parameters that are a list",
    ExitCode.PARAMETERS,
    "testshire.yaml",
    "expected a mapping of keys to values",
)
def _(project):
    params(project, "- name\n- region\n")
    return validate(project)


@case(
    "an empty parameters file",
    ExitCode.PARAMETERS,
    "testshire.yaml",
    "expected a mapping of keys to values",
)
def _(project):
    params(project, "")
    return validate(project)


@case("a misspelt parameter", ExitCode.PARAMETERS, "testshire.yaml", "key 'regoin'")
def _(project):
    params(project, TINY_PARAMS.replace("region:", "regoin:"))
    return validate(project)


@case("a threshold of 0", ExitCode.PARAMETERS, "key 'small_number_threshold'")
def _(project):
    params(project, TINY_PARAMS.replace("small_number_threshold: 5", "small_number_threshold: 0"))
    return validate(project)


@case("a lookback of 11 years", ExitCode.PARAMETERS, "key 'lookback_years'")
def _(project):
    params(project, TINY_PARAMS.replace("lookback_years: 2", "lookback_years: 11"))
    return validate(project)


@case("an LA code that is not one", ExitCode.PARAMETERS, "key 'councils.0'")
def _(project):
    params(project, TINY_PARAMS.replace('["841"]', '["84"]'))
    return validate(project)


@case(
    "a year override for a year written badly", ExitCode.PARAMETERS, "testshire.yaml", "key 'years'"
)
def _(project):
    params(project, TINY_PARAMS + "years:\n  2019/20: {lookback_years: 3}\n")
    return validate(project)


@case(
    "a section that does not exist",
    ExitCode.PARAMETERS,
    "testshire.yaml",
    "no section called 'summary'",
)
def _(project):
    params(project, TINY_PARAMS + "sections: [summary]\n")
    return run(project)


@case(
    "a parameters file linking outside the parameters folder",
    ExitCode.PARAMETERS,
    "testshire.yaml",
    "leads outside",
)
def _(project):
    outside = project.parent / "elsewhere.yaml"
    outside.write_text(TINY_PARAMS, encoding="utf-8")
    (project / "params" / "testshire.yaml").unlink()
    (project / "params" / "testshire.yaml").symlink_to(outside)
    return validate(project)


@case("no parameters folder", ExitCode.PARAMETERS, "no such parameters folder", "--params-dir")
def _(project):
    return ["list", "--params-dir", str(project / "nowhere"), "--data-dir", str(project / "data")]


@case(
    "run with neither a partnership nor --all",
    ExitCode.PARAMETERS,
    "give PARTNERSHIP YEAR, or --all",
)
def _(project):
    return ["run", *folders(project, outputs=True)]


@case(
    "an option that does not exist",
    ExitCode.PARAMETERS,
    "unrecognized arguments: --fast",
    "workbook --help",
)
def _(project):
    return ["run", "testshire", "2019-20", "--fast"]


@case(
    "a number of workers that is not a number",
    ExitCode.PARAMETERS,
    "--workers",
    "invalid int value",
)
def _(project):
    return ["run", "--all", "--workers", "two"]


@case("a command that does not exist", ExitCode.PARAMETERS, "invalid choice: 'render'")
def _(project):
    return ["render", "testshire"]


@case(
    "--all filters that match nothing",
    ExitCode.PARAMETERS,
    "no partnership-year matches",
    "workbook list",
)
def _(project):
    return ["run", "--all", "--year", "2030-31", "--quiet", *folders(project, outputs=True)]


# --- text attacks --------------------------------------------------------------------------------


def _coded(project: Path) -> list[str]:
    import csv

    with (project / "coded.csv").open(encoding="utf-8") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


for attack in (
    '=HYPERLINK("http://evil.example","Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
):

    def _make(project, attack=attack):
        import pandas as pd

        pd.DataFrame(
            {
                "id": [attack, "F2"],
                "text": [attack + " neglect was not recognised", "Chronologies missing"],
            }
        ).to_csv(project / "in.csv", index=False)
        return ["code", str(project / "in.csv"), "--out", str(project / "coded.csv")]

    def _quoted(project, attack=attack):
        cells = _coded(project)
        assert "'" + attack.strip() in cells  # the reader trims a leading tab or return
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)

    case(
        f"workbook code with a cell starting {attack[:2]!r}",
        ExitCode.OK,
        "coded",
        check=_quoted,
        may_change=("project/coded.csv",),
    )(_make)


@case("markup and a script in a finding are only text", ExitCode.OK, "data valid")
def _(project):
    table(
        project,
        "findings",
        replaced(
            "findings",
            "Chronologies were missing in most cases.",
            '"<script>alert(1)</script><img src=x onerror=alert(1)>"',
        ),
    )
    return validate(project)


@case("a very long finding", ExitCode.OK, "data valid")
def _(project):
    table(
        project,
        "findings",
        replaced(
            "findings",
            "Chronologies were missing in most cases.",
            "Chronologies were missing. " * 4000,
        ),
    )
    return validate(project)


@case("right-to-left characters in text", ExitCode.OK, "data valid")
def _(project):
    table(
        project,
        "findings",
        replaced("findings", "Chronologies were missing", "Chronologies\u202e were missing"),
    )
    return validate(project)


@case(
    "a bell character in text",
    ExitCode.DATA,
    "column 'text': holds an invisible control character (U+0007)",
)
def _(project):
    table(
        project,
        "findings",
        replaced("findings", "Chronologies were missing", "Chronologies were\u0007 missing"),
    )
    return validate(project)


@case(
    "a NUL byte in text",
    ExitCode.DATA,
    "findings.csv, row 4, column 'text': holds an invisible control character (U+0000)",
)
def _(project):
    table(project, "findings", replaced("findings", "Chronologies", "Chrono\x00logies"))
    return validate(project)


@case(
    "an escape character in a narrative block",
    ExitCode.DATA,
    "foreword.md: holds an invisible control character (U+001B)",
)
def _(project):
    folder = project / "data" / "testshire" / "2019-20" / "narrative"
    folder.mkdir(exist_ok=True)
    (folder / "foreword.md").write_text("Our year\x1b[0m.", encoding="utf-8")
    return validate(project)


@case("a codebook that is not valid", ExitCode.CODEBOOK, "broken.yaml")
def _(project):
    (project / "broken.yaml").write_text("themes: [unclosed\n", encoding="utf-8")
    (project / "in.csv").write_text("id,text\nF1,neglect\n", encoding="utf-8")
    return [
        "code",
        str(project / "in.csv"),
        "--out",
        str(project / "coded.csv"),
        "--codebook",
        str(project / "broken.yaml"),
    ]


# --- personal identifiers ------------------------------------------------------------------------

for words, kind in (
    ("Aleksandra Nowak, the grandmother, said", "name beside relation"),
    ("Chantelle Robinson said", "full name"),
    ("Mrs Okafor said", "titled name"),
    ("K Patel, the school nurse, said", "initial and surname"),
    ("the child (DOB 12/03/2015) said", "date of birth"),
    ("the family at DL1 5QT said", "postcode"),
    ("the mother on 07700 900123 said", "phone number"),
    ("the mother (kerry@example.org) said", "email address"),
    ("the child, NHS 943 476 5919, said", "nhs number"),
    ("nobody asked Nathaniel, who said", "given name"),
):
    case(
        f"{kind} in a finding is a warning naming the cell",
        ExitCode.OK,
        "findings.csv, row 4, column text",
        f"possible {kind}",
        "check them before the board sees the report",
    )(
        lambda project, w=words: (
            table(
                project,
                "findings",
                replaced(
                    "findings",
                    "Chronologies were missing in most cases.",
                    f'"{w} chronologies were missing in most cases."',
                ),
            ),
            validate(project),
        )[1]
    )


@case(
    "a chair's name in the narrative is a warning",
    ExitCode.OK,
    "narrative/foreword.md, column markdown",
    "Margaret Holloway",
)
def _(project):
    (project / YEAR / "narrative").mkdir()
    (project / YEAR / "narrative" / "foreword.md").write_text(
        "# Foreword\n\nOur chair, Margaret Holloway, thanks every partner.\n", encoding="utf-8"
    )
    return validate(project)


@case("pseudonyms, agencies and places raise no warning", ExitCode.OK, "data valid")
def _(project):
    table(
        project,
        "findings",
        replaced(
            "findings",
            "Chronologies were missing in most cases.",
            "Child J's mother moved from Darlington to Stockton; Barnardo's and Durham "
            "Constabulary were not told.",
        ),
    )
    return validate(project)


# --- DfE files -----------------------------------------------------------------------------------


def indicators(project: Path) -> list[str]:
    return ["indicators", "841", "2019-20", "--dfe-dir", str(project.parent / "dfe")]


@case(
    "a DfE file cut short mid-row",
    ExitCode.NATIONAL,
    DFE_FILE,
    "line 4",
    "field(s) where the header has 12",
    "download it again",
)
def _(project):
    dfe_folder(project.parent, rows=[*DFE_ROWS[:2], "2020,Reporting year,Local authority,E9"])
    return indicators(project)


@case(
    "a DfE file with a row of too many fields",
    ExitCode.NATIONAL,
    DFE_FILE,
    "line 3",
    "13 field(s) where the header has 12",
)
def _(project):
    dfe_folder(project.parent, rows=[DFE_ROWS[0], DFE_ROWS[1] + ",extra"])
    return indicators(project)


@case(
    "a DfE figure that is not a number",
    ExitCode.NATIONAL,
    DFE_FILE,
    "row 4",
    "column 'At31_episodes'",
    "'about 1000' is neither a number nor a known symbol",
)
def _(project):
    dfe_folder(
        project.parent,
        rows=[
            *DFE_ROWS[:2],
            DFE_ROWS[2].replace(",1016", ",about 1000").format(la_name="Darlington"),
        ],
    )
    return indicators(project)


@case(
    "a DfE time period that is not a year",
    ExitCode.NATIONAL,
    "row 2",
    "column 'time_period'",
    "is not a year",
)
def _(project):
    dfe_folder(project.parent, rows=[DFE_ROWS[0].replace("2020,", "2019/20,", 1)])
    return indicators(project)


@case("an empty DfE file", ExitCode.NATIONAL, DFE_FILE, "the file is empty")
def _(project):
    dfe_folder(project.parent, text="")
    return indicators(project)


@case("a DfE file that is not UTF-8", ExitCode.NATIONAL, DFE_FILE, "not UTF-8 text")
def _(project):
    folder = dfe_folder(project.parent)
    (folder / DFE_FILE).write_bytes("\n".join([DFE_HEADER, DFE_ROWS[0] + "£"]).encode("cp1252"))
    return indicators(project)


@case(
    "a DfE file without the column the catalogue reads",
    ExitCode.NATIONAL,
    DFE_FILE,
    "no column 'At31_episodes'",
)
def _(project):
    dfe_folder(
        project.parent, text=DFE_HEADER.replace("At31_episodes", "At31") + "\n" + DFE_ROWS[0] + "\n"
    )
    return indicators(project)


@case(
    "two editions of one DfE file",
    ExitCode.NATIONAL,
    "more than one file matches",
    "keep one edition",
)
def _(project):
    folder = dfe_folder(project.parent)
    (folder / "b1_children_in_need_2013_to_2024.csv").write_text(
        (folder / DFE_FILE).read_text(encoding="utf-8"), encoding="utf-8"
    )
    return indicators(project)


@case("a DfE folder that does not exist", ExitCode.NATIONAL, "no such folder of DfE files")
def _(project):
    return indicators(project)


@case(
    "a DfE folder of files the catalogue does not know",
    ExitCode.NATIONAL,
    "none of its files is a DfE file the catalogue knows",
)
def _(project):
    (project.parent / "dfe").mkdir()
    (project.parent / "dfe" / "something_else.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return indicators(project)


# --- faults: folders and links -------------------------------------------------------------------


@case(
    "outputs inside the data folder",
    ExitCode.OUTPUTS,
    "overlaps the data folder",
    "give --outputs-dir a separate folder",
)
def _(project):
    return [
        "run",
        "testshire",
        "2019-20",
        *folders(project),
        "--outputs-dir",
        str(project / "data"),
    ]


@case("outputs holding the data folder", ExitCode.OUTPUTS, "overlaps the data folder")
def _(project):
    return ["run", "testshire", "2019-20", *folders(project), "--outputs-dir", str(project)]


@case(
    "a partnership's outputs linked to its data",
    ExitCode.OUTPUTS,
    "leads outside",
    "remove the link",
)
def _(project):
    import shutil

    shutil.rmtree(project / "outputs" / "testshire")
    (project / "outputs" / "testshire").symlink_to(project / "data" / "testshire")
    return run(project)


@case("a partnership's data linked outside the data folder", ExitCode.DATA, "leads outside")
def _(project):
    import shutil

    outside = project.parent / "shared-drive"
    shutil.move(project / "data" / "testshire", outside)
    (project / "data" / "testshire").symlink_to(outside)
    return validate(project)


@case(
    "outputs that cannot be written",
    ExitCode.OUTPUTS,
    "cannot write",
    "read-only file system",
    "Earlier outputs are untouched",
)
def _(project):
    return run(project)


@case("a disk that is full", ExitCode.OUTPUTS, "cannot write", "the disk is full")
def _(project):
    return run(project)


@case(
    "something at the outputs' place that the workbook did not write",
    ExitCode.OUTPUTS,
    "does not hold outputs of the workbook",
    "nothing was changed",
)
def _(project):
    (project / EARLIER / "manifest.json").unlink()
    return run(project)


@case(
    "Ctrl-C during a run",
    ExitCode.INTERRUPTED,
    "stopped by Ctrl-C (SIGINT): earlier outputs are untouched",
)
def _(project):
    return run(project)


@case(
    "a defect in the workbook",
    ExitCode.DEFECT,
    "unexpected RuntimeError",
    "a defect in the workbook, not in your data",
    "WORKBOOK_DEBUG=1",
)
def _(project):
    return validate(project)


@case(
    "the project folder is not a project",
    ExitCode.OTHER,
    "is not a workbook project",
    "set WORKBOOK_ROOT",
)
def _(project):
    return ["list"]


# --- batch ---------------------------------------------------------------------------------------


@case(
    "workbook list with one broken parameters file",
    ExitCode.PARAMETERS,
    "testshire",
    "2019-20",
    "broken",
    "(cannot be used)",
    "not valid YAML",
    "1 parameters file(s) cannot be used",
)
def _(project):
    params(project, "name: [unclosed\n", partnership="broken")
    return ["list", *folders(project)]


@case(
    "workbook list with a parameters file whose name is not an id",
    ExitCode.PARAMETERS,
    "Bad Name",
    "is not a partnership id",
    "testshire",
)
def _(project):
    params(project, TINY_PARAMS, partnership="Bad Name")
    return ["list", *folders(project)]


def _hooks(request, monkeypatch, project):
    """Faults that cannot be made with files alone, injected where they would happen."""
    import errno

    from workbook.run import checks, runner

    name = request.node.callspec.params["case"].name
    if name == "outputs that cannot be written":

        def read_only(*args, **kwargs):
            raise OSError(errno.EROFS, "Read-only file system", str(project / "outputs"))

        monkeypatch.setattr(staging.tempfile, "mkdtemp", read_only)
    elif name == "a disk that is full":

        def full(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device", str(project / "outputs"))

        monkeypatch.setattr(staging.tempfile, "mkdtemp", full)
    elif name == "Ctrl-C during a run":

        def interrupted(*args, **kwargs):
            raise KeyboardInterrupt

        monkeypatch.setattr(checks, "check_year", interrupted)
    elif name == "a defect in the workbook":

        def broken(*args, **kwargs):
            raise RuntimeError("a defect")

        monkeypatch.setattr(checks, "check_year", broken)
        monkeypatch.delenv("WORKBOOK_DEBUG", raising=False)
    elif name == "the project folder is not a project":
        monkeypatch.setenv("WORKBOOK_ROOT", str(project / "data"))
    elif name == "something at the outputs' place that the workbook did not write":
        # the render is not what is tested: go straight to the swap with an empty staging
        def no_render(params, years, settings, staging_folder, *args, **kwargs):
            return {}, 0

        monkeypatch.setattr(runner, "_render", no_render)


def snapshot(root: Path) -> dict[str, tuple]:
    """Every file and link under `root`: content hash and mode (a run's logs left out)."""
    seen = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if "/logs/" in f"/{relative}/":
            continue
        if path.is_symlink():
            seen[relative] = ("link", os.readlink(path))
        elif path.is_file():
            seen[relative] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mode)
        else:
            seen[relative] = ("folder", path.stat().st_mode)
    return seen


@pytest.fixture
def project(tmp_path) -> Path:
    """One valid Testshire year and an earlier good output of it."""
    root = tmp_path / "project"
    write_year(root)
    (root / EARLIER).mkdir(parents=True)
    (root / EARLIER / "manifest.json").write_text(json.dumps({"fingerprint": "earlier"}))
    (root / EARLIER / "board_pack.html").write_text("<p>the last good board pack</p>")
    return root


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case, project, capsys, monkeypatch, request):
    monkeypatch.setenv("COLUMNS", "200")  # argparse's messages on one line
    argv = case.make(project)
    _hooks(request, monkeypatch, project)
    capsys.readouterr()
    before = snapshot(project.parent)
    code = main(argv)
    out = capsys.readouterr()
    said = out.out + out.err
    assert code == case.code, said
    for words in case.says:
        assert words in said, said
    assert "Traceback" not in said
    after = snapshot(project.parent)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert changed <= set(case.may_change), changed
    if case.check:
        case.check(project)


def test_the_catalogue_is_large_enough():
    assert len(CASES) + len(SLOW_CASES) >= 80


# --- cases that need a real run or a killed process ----------------------------------------------

SLOW_CASES = [
    ("a section notebook that fails", ExitCode.SECTION_FAILED),
    ("a batch with a failed run", ExitCode.BATCH),
    ("a run killed with SIGKILL", ExitCode.OK),
]


@pytest.mark.render
def test_a_failing_section_exits_4_keeps_earlier_outputs_and_its_notebook(
    project, tmp_path, monkeypatch, capsys
):
    import shutil

    from workbook.core import paths

    shutil.copytree(paths.notebooks_dir(), project / "notebooks")
    broken = project / "notebooks" / "03_reviews_audits.ipynb"
    broken.write_text(broken.read_text().replace("ra.review_sentences(", "ra.no_such_function("))
    (project / "data" / "codebook").mkdir()
    shutil.copy(paths.codebook_path(), project / "data" / "codebook" / "themes.yaml")
    monkeypatch.setenv("WORKBOOK_ROOT", str(project))
    before = snapshot(project / "outputs")
    assert main(["run", "testshire", "2019-20"]) == ExitCode.SECTION_FAILED
    err = capsys.readouterr().err
    assert "03_reviews_audits.ipynb failed: AttributeError" in err
    assert "earlier outputs are untouched" in err and "Traceback" not in err
    assert snapshot(project / "outputs") == before
    assert (
        project / "outputs" / "testshire" / "logs" / "2019-20.03_reviews_audits.failed.ipynb"
    ).exists()
    assert not list((project / "outputs" / "testshire").glob(".2019-20.*"))


@pytest.mark.render
def test_a_failed_run_in_a_batch_is_summarised_with_its_first_problem_and_log(project, capsys):
    write_year(
        project, "otherton", tables={"audits": replaced("audits", "2019-11-15", "15th November")}
    )
    params(project, "name: [unclosed\n", partnership="broken")
    (project / "data" / "broken" / "2019-20").mkdir(parents=True)
    before = snapshot(project / "data")
    code = main(
        [
            "run",
            "--all",
            "--partnership",
            "otherton",
            "--quiet",
            "--workers",
            "1",
            *folders(project, outputs=True),
        ]
    )
    out = capsys.readouterr().out
    assert code == ExitCode.BATCH
    assert (
        "1 problem(s) in the data: "
        + str(project / "data" / "otherton" / "2019-20" / "audits.csv")
        + ", row 2, column 'audit_date': '15th November' is not a date"
    ) in out
    assert f"log: {project / 'outputs' / 'otherton' / 'logs' / '2019-20.log'}" in out
    assert snapshot(project / "data") == before


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_what_a_killed_run_left_is_cleaned_by_the_next_and_nothing_else(tmp_path):
    target = tmp_path / "outputs" / "p" / "2019-20"
    target.parent.mkdir(parents=True)
    host, dead, alive = staging._host(), _dead_pid(), os.getpid()
    stale = target.parent / f".2019-20.{host}.{dead}.abc.partial"
    live = target.parent / f".2019-20.{host}.{alive}.def.partial"
    other_host = target.parent / f".2019-20.elsewhere.{dead}.ghi.partial"
    not_ours = target.parent / ".2019-20.notes"
    retired = target.parent / f".2019-20.{host}.{dead}.old"
    for folder in (stale, live, other_host, not_ours, retired):
        folder.mkdir()
    (retired / "manifest.json").write_text("{}")  # killed between the swap's two renames
    staging.clean_stale(target)
    assert not stale.exists() and not retired.exists()
    assert (target / "manifest.json").exists()  # the last good outputs put back
    assert live.exists() and other_host.exists() and not_ours.exists()

    kernels = tmp_path / "tmp"
    kernels.mkdir()
    dead_kernel = kernels / f"{KERNEL_FOLDER_PREFIX}{host}.{dead}.xyz"
    live_kernel = kernels / f"{KERNEL_FOLDER_PREFIX}{host}.{alive}.xyz"
    dead_kernel.mkdir()
    live_kernel.mkdir()
    assert remove_stale_kernel_folders(kernels) == [dead_kernel]
    assert live_kernel.exists()


@pytest.mark.render
def test_a_run_killed_with_sigkill_is_cleaned_up_by_the_next_run(project, tmp_path):
    """The issue's fault: SIGKILL of `workbook run` mid-run left staging and a kernel folder
    behind for good. The next run removes both, and renders."""
    import tempfile

    command = Path(sys.executable).with_name("workbook")
    process = subprocess.Popen(
        [command, *run(project)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    partial = project / "outputs" / "testshire"
    deadline = time.monotonic() + 120
    while not list(partial.glob(".2019-20.*.partial")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # the kernel starting
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    left = list(partial.glob(f".2019-20.*.{process.pid}.*.partial"))
    kernels = list(Path(tempfile.gettempdir()).glob(f"{KERNEL_FOLDER_PREFIX}*.{process.pid}.*"))
    assert left and kernels
    assert main(run(project) + ["--force"]) == 0
    assert not any(folder.exists() for folder in left + kernels)
    assert (project / EARLIER / "board_pack.pdf").exists()
    mode = (project / EARLIER).stat().st_mode & 0o777
    assert mode == 0o777 & ~staging.umask()  # the folder follows the umask


@pytest.mark.render
def test_a_run_stopped_with_sigterm_cleans_up_after_itself(project):
    """systemd stopping the service, or a scheduler's time limit: the run ends as Ctrl-C ends
    it, with exit code 130, its staging and kernel folders removed, earlier outputs as they were."""
    import tempfile

    before = snapshot(project / "outputs")
    command = Path(sys.executable).with_name("workbook")
    process = subprocess.Popen(
        [command, *run(project)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    partial = project / "outputs" / "testshire"
    deadline = time.monotonic() + 120
    while not list(partial.glob(".2019-20.*.partial")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == ExitCode.INTERRUPTED, err
    assert "stopped by SIGTERM: earlier outputs are untouched" in err and "Traceback" not in err
    assert not list(partial.glob(".2019-20.*"))
    assert not list(Path(tempfile.gettempdir()).glob(f"{KERNEL_FOLDER_PREFIX}*.{process.pid}.*"))
    assert snapshot(project / "outputs") == before


def test_every_exit_code_is_the_outcome_of_a_case_in_the_catalogue():
    """A test per code: each code is what at least one real command of the catalogue ends
    with (the codes' table: workbook.core.errors, tests/unit/core/test_exit_codes.py)."""
    reached = {case.code for case in CASES} | {code for _, code in SLOW_CASES}
    assert reached == set(ExitCode)
