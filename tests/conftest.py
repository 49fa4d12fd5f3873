"""Shared fixtures: a small valid partnership-year written to a temporary folder."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from workbook.core import settings

hypothesis_settings.register_profile("nightly", max_examples=1000, deadline=None)
"""`make test` draws what each property test asks for (its own `max_examples`, or Hypothesis's
100); a nightly run (`HYPOTHESIS_PROFILE=nightly make test`) draws 1,000 where a test does not
say, and tests that scale with the profile (tests/functional/test_any_valid_year.py) draw ten times more."""


def hypothesis_profile() -> str:
    """The Hypothesis profile of this test run: `default`, or HYPOTHESIS_PROFILE's."""
    name = os.environ.get("HYPOTHESIS_PROFILE", "default")
    if name not in ("default", "nightly"):
        raise pytest.UsageError(f"HYPOTHESIS_PROFILE={name}: the profiles are default, nightly")
    return name


hypothesis_settings.load_profile(hypothesis_profile())

TINY_PARAMS = """\
name: Testshire Safeguarding Partnership
short_name: Testshire
councils: ["841"]
region: North East
covers_adults: false
fictional: true
small_number_threshold: 5
lookback_years: 2
"""

TINY_TABLES = {
    "reviews": """\
review_id,review_type,subject_pseudonym,age_group,notified_date,decided_date,started_date,completed_date,published_date,status
R1,cspr,Child T,under_1,2019-05-01,2019-05-20,2019-06-01,2020-02-01,,completed
R2,rapid_review,,10_to_15,2019-09-01,2019-09-14,,,,decided_not_to_review
""",
    "audits": """\
audit_id,title,audit_type,audit_date,cases_audited,graded_outstanding,graded_good,graded_requires_improvement,graded_inadequate
A1,Neglect,multi_agency_thematic,2019-11-15,12,1,6,4,1
""",
    "findings": """\
finding_id,source_type,source_id,text,kind,agency,themes
F1,review,R1,Information was not shared between the GP and the health visitor.,learning,multi-agency,communication_information_sharing
F2,audit,A1,The voice of the child was clearly recorded.,strength,children's social care,
F3,audit,A1,Chronologies were missing in most cases.,area_for_development,multi-agency,
""",
    "actions": """\
action_id,finding_id,source_id,action,owner_agency,due_date,status,completed_date,impact
X1,F1,,Issue a 7-minute briefing on information sharing,Partnership,2019-12-31,completed,2019-12-01,Briefing read by 400 staff
X2,F3,,Chronology guidance,Police,2020-01-31,in_progress,,
X3,,A1,Re-audit neglect cases,Partnership,2020-09-30,not_started,,
""",
    "indicators": """\
indicator,breakdown,area,period_end,value,unit,target,source,note
cpp_count,,local,2020-03-31,85,count,,DfE,
cpp_rate,,local,2020-03-31,37.8,rate_per_10k,,DfE,
cpp_rate,,england,2020-03-31,43.7,rate_per_10k,,DfE,
child_deaths,,local,2020-03-31,4,count,,CDOP,
""",
}


def write_year(
    root: Path,
    partnership: str = "testshire",
    year: str = "2019-20",
    tables: dict[str, str] | None = None,
    params: str = "",
) -> Path:
    """Write a small valid year (optionally with some tables replaced, and lines of
    parameters added or replaced) under root/data."""
    folder = root / "data" / partnership / year
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**TINY_TABLES, **(tables or {})}.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    params_dir = root / "params"
    params_dir.mkdir(exist_ok=True)
    (params_dir / f"{partnership}.yaml").write_text(_params(params), encoding="utf-8")
    return folder


def _params(extra: str) -> str:
    """TINY_PARAMS with the keys of `extra` (YAML lines) replaced or added."""
    given = {line.split(":", 1)[0] for line in extra.splitlines() if ":" in line}
    kept = [line for line in TINY_PARAMS.splitlines() if line.split(":", 1)[0] not in given]
    return "\n".join([*kept, *extra.strip().splitlines()]) + "\n"


def facts_of(root: Path, tables: dict[str, str] | None = None, params: str = "", year="2019-20"):
    """The year's facts (`workbook.facts.year_facts`) of a Testshire year written under root
    with these tables and parameters, read and validated as a run reads it."""
    from workbook.facts import year_facts
    from workbook.inputs.report import open_report

    write_year(root, year=year, tables=tables, params=params)
    return year_facts(open_report("testshire", year, root / "data", root / "params"))


SMALL_CODEBOOK = """\
# An analyst's comment that must survive.
version: "small-1"
themes:
  - id: planning
    label: Planning
    definition: Plans for children.
    subthemes:
      - id: plans
        label: Plans
        patterns:
          - plan   # the child's plan
  - id: exploitation
    label: Exploitation
    definition: Exploitation.
    subthemes:
      - id: criminal
        label: Criminal exploitation
        patterns: [county lines]
      - id: online
        label: Online
        patterns: [online grooming]
"""
"""A codebook of two themes and three subthemes, with an analyst's comments (which the
codebook commands must keep): the one small codebook of the tests that code, suggest and apply."""


@cache
def demo_generator():
    """scripts/generate_demo.py as a module (it is a script, not part of the package), loaded
    once: the demo data's tests, the bounded pack's and the new column's read it."""
    spec = importlib.util.spec_from_file_location(
        "generate_demo", Path(__file__).resolve().parents[1] / "scripts" / "generate_demo.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def small_codebook(tmp_path) -> Path:
    """SMALL_CODEBOOK written to themes.yaml in a temporary folder."""
    path = tmp_path / "themes.yaml"
    path.write_text(SMALL_CODEBOOK, encoding="utf-8")
    return path


@pytest.fixture(scope="session", autouse=True)
def file_cache_of_the_test_run(tmp_path_factory, worker_id):
    """The test run's own cache folder (WORKBOOK_CACHE_DIR), shared by its workers and by every
    run they start: DfE's files are read into it once a test run, and the developer's own
    cache is neither used nor filled."""
    base = tmp_path_factory.getbasetemp()
    folder = (base if worker_id == "master" else base.parent) / "workbook-cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(settings.CACHE_DIR.name, str(folder))
        yield folder


@pytest.fixture
def tiny_project(tmp_path) -> Path:
    """A folder with params/ and data/ holding one valid Testshire year, 2019-20."""
    write_year(tmp_path)
    return tmp_path


@pytest.fixture
def dfe_dir() -> Path:
    """The real DfE statistics folder (WORKBOOK_DFE_DIR); tests needing it skip without it."""
    value = settings.dfe_dir()
    if not value or not value.is_dir():
        pytest.skip(
            "real DfE files not available: set WORKBOOK_DFE_DIR to a folder of "
            "Explore Education Statistics CSVs (e.g. ../shared/dfe) to run this test"
        )
    return value


def folders(project: Path, outputs: bool = False) -> list[str]:
    """The command line's folder arguments for a project folder (its data/ and params/, and
    its outputs/ where `outputs`), as every test running `workbook` on a project gives them."""
    given = ["--data-dir", str(project / "data"), "--params-dir", str(project / "params")]
    return given + (["--outputs-dir", str(project / "outputs")] if outputs else [])


def run_testshire(project, *extra) -> int:
    """`workbook run testshire 2019-20` on a project folder, through the real CLI."""
    from workbook.run.cli import main

    return main(["run", "testshire", "2019-20", *folders(project, outputs=True), *extra])


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """Testshire 2019-20 rendered once for the session: (project folder, outputs folder).

    Tests that change the project's data must put it back (write_year) before they end.
    """
    project = tmp_path_factory.mktemp("project")
    write_year(project)
    assert run_testshire(project) == 0
    return project, project / "outputs" / "testshire" / "2019-20"


STATUTORY_TABLES = {
    "priorities": """\
priority_id,priority,success,measures,indicators,lead,rag_status,evidence,barriers
P1,Neglect: use the graded care profile,Every neglect case assessed with it,Audit of plans,cpp_rate,Quality sub-group,green,Re-audit found it used in 9 of 12 cases,
P2,Hear the voice of the child,Plans say what children told us,Dip samples,,Learning sub-group,red,No dip sample was carried out,The audit lead post was vacant for six months
""",
    "feedback": """\
feedback_id,activity,method,from_whom,participants,sought_date,said,changed,themes
V1,Young people's conference survey,survey,young_people,42,2019-07-10,They wanted to learn about staying safe online,Online safety sessions added to the programme,
V2,Parents' views in the neglect audit,audit_involvement,parents_carers,3,2019-11-20,Workers changed too often and they had to tell their story again,,workforce_capacity
""",
    "training": """\
course_id,title,delivery,themes,sessions,attendances,evaluations,score_before,score_after,score_out_of,followup_pct,followup_measure,note
T1,Neglect workshops,face_to_face,neglect,12,281,190,5.2,8.1,10,76,Three months after the course,
T2,Safeguarding e-learning,elearning,,,383,,,,,,,
""",
    "training_attendance": """\
course_id,agency,attendances
T1,Children's social care,120
T1,Health,96
T1,Schools,65
""",
    "scrutiny_recommendations": """\
recommendation_id,made_by,made_date,recommendation,response,owner,due_date,status,completed_date,impact
S1,independent_scrutineer,2019-09-12,Hear more from young people,Young people's panel set up,Business manager,2020-03-01,completed,2020-02-20,Panel met twice
S2,national_review,2019-12-01,Act on the national review of exploitation,Review of the exploitation pathway,Exploitation group,2020-01-31,in_progress,,
""",
    "arrangements_changes": """\
change_id,change_date,change,reason,agreed_by
C1,2019-07-01,The partnership replaced the children's board,Working Together 2018,The safeguarding partners
C2,,Sub-groups set up for quality and learning,,
""",
    "relevant_agencies": """\
agency,sector,note
Testshire schools,education,
Early years settings,early_years,
Testshire fire service,fire,
""",
    "publication": """\
document,kind,due_date,published_date,url,sent_to_panel_date,sent_to_what_works_date,note
Annual report 2019-20,annual_report,,2020-09-30,https://example.org/report,2020-10-02,,
""",
}
"""A valid example of each table of the yearly report's other parts, for Testshire 2019-20."""


@pytest.fixture(scope="session")
def demo_outputs(tmp_path_factory, worker_id):
    """The bundled demos' board packs as a run publishes them, rendered once for the session:
    Darlington 2019-20 and Northdale 2022-23 under <outputs>/<partnership>/<year>/. Without DfE
    files (the variable is cleared), so the figures are the partnerships' own.

    Under pytest-xdist the workers share one render (the tests only read it): the first worker
    to ask renders into the run's common temporary folder while holding a file lock, the others
    wait for the lock and find it done, so the demos are rendered once per test run, not once
    per worker."""
    from workbook.core import paths

    if paths.national_store().exists():
        pytest.skip(
            f"{paths.national_store()} holds imported DfE figures, which replace the "
            "partnership's own; these tests check the bundled figures alone"
        )
    if worker_id == "master":  # not under xdist: this process is the only one
        return _render_demos(tmp_path_factory.mktemp("demo_outputs"))
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent  # the run's folder, above every worker's
    folder, done = shared / "demo_outputs", shared / "demo_outputs.done"
    with FileLock(shared / "demo_outputs.lock"):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed part way
            _render_demos(folder)
            done.touch()
    return folder


def _render_demos(folder: Path) -> Path:
    from workbook.run.runner import RunSettings, run_partnership_year

    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("WORKBOOK_DFE_DIR", raising=False)
        for partnership, year in [("darlington", "2019-20"), ("northdale", "2022-23")]:
            run_partnership_year(
                partnership, year, RunSettings(outputs_dir=folder), echo=lambda *_: None
            )
    return folder


SHARED_BY_GROUP = ("rendered",)
"""Session fixtures that tests change and put back (`rendered`: a project tests re-run with
other data): under pytest-xdist (`--dist loadgroup`) every test using one runs on the same
worker, one after another, so none sees another's change half made and the render is paid
once. `demo_outputs`, which tests only read, is shared across workers instead."""


FUNCTIONAL = Path(__file__).parent / "functional"


def pytest_collection_modifyitems(items):
    """A test of tests/unit marked neither `render`, `browser` nor `slow` is a `unit` test, and
    one of tests/functional is a `functional` test unless it says it is a unit test: the markers
    (pyproject.toml) let `make test-fast` run the unit layer alone, beside one end-to-end render.
    A test using a fixture of SHARED_BY_GROUP joins that fixture's xdist group."""
    for item in items:
        if not any(item.get_closest_marker(m) for m in ("unit", "render", "browser", "slow")):
            functional = FUNCTIONAL in item.path.parents
            item.add_marker(pytest.mark.functional if functional else pytest.mark.unit)
        shared = [name for name in SHARED_BY_GROUP if name in getattr(item, "fixturenames", ())]
        if shared:
            item.add_marker(pytest.mark.xdist_group(shared[0]))


# Contract v2's example year: what real partnerships' data needed (tests of contract v2, the
# sections reading it, and onboarding).
REVIEWS_V2 = """\
review_id,review_type,subject_pseudonym,age_group,notified_date,decided_date,started_date,completed_date,published_date,status
R1,cspr,Child T,teenager,May 2019,2019-06,in 2019,2019-20,,
R2,scr,Child S,13_to_17,in 2015,November 2015,2016,2018-19,12/03/2019,published
"""
AUDITS_V2 = """\
audit_id,title,audit_type,audit_date,cases_audited,graded_outstanding,graded_good,graded_requires_improvement,graded_inadequate
A1,Neglect,multi_agency_thematic,2019-11-15,12,1,6,4,1
A2,Neglect follow-up,single_agency,2019-20,,,,,
I1,Ofsted ILACS,ofsted_ilacs,March 2020,,,,,
I2,JTAI: child exploitation,jtai,2019,,,,,
I3,SEND area inspection,send_area_inspection,2019-20,,,,,
P1,LGA peer review,lga_peer_review,October 2019,,,,,
S11,Section 11 audit,section_11,2019-20,,,,,
S175,Section 175 audit,section_175,2019-20,,,,,
"""
FINDINGS_V2 = """\
finding_id,source_type,source_id,text,kind,agency,themes
F1,review,R1,Information was not shared between the GP and the health visitor.,learning,multi-agency,communication_information_sharing
F2,audit,A1; A2,The voice of the child was clearly recorded in both audits.,strength,children's social care,
F3,audit,I1,Management oversight was satisfactory.,satisfactory,children's social care,
F4,review,R1;R2,Both reviews found chronologies missing.,area_for_development,multi-agency,
"""
ACTIONS_V2 = """\
action_id,finding_id,source_id,priority,action,owner_agency,due_date,status,completed_date,impact
X1,F1;F4,,,Issue a briefing on information sharing,Partnership,2019-12-31,completed,December 2019,Read by 400 staff
X2,,I1;P1,Neglect,Relaunch threshold guidance,,2020-21,in_progress,,
X3,,,Exploitation,Set up a contextual safeguarding panel,Police,March 2020,not_started,,
"""
LOCAL_V2 = """\
id,label,unit,counts,higher_is_better,period,definition,part_of
contacts,Contacts received by the front door,count,referrals,,year,Contacts to the front door during the year.,
lado_allegations,Allegations managed by the LADO,count,allegations,,year,Allegations against people who work with children.,
contacts_to_referral_pct,Contacts that became referrals,percent,,yes,year,Share of contacts that became a referral.,contacts
"""
INDICATORS_V2 = (
    TINY_TABLES["indicators"]
    + """\
contacts,,local,2020-03-31,5210,count,,Front door,
lado_allegations,,local,2020-03-31,3,count,,LADO,
contacts_to_referral_pct,,local,2020-03-31,28.4,percent,30,Front door,
"""
)
V2 = {
    "reviews": REVIEWS_V2,
    "audits": AUDITS_V2,
    "findings": FINDINGS_V2,
    "actions": ACTIONS_V2,
    "local_indicators": LOCAL_V2,
    "indicators": INDICATORS_V2,
}


# A small folder of DfE statistics files, as Explore Education Statistics publishes them.
EES_HEAD = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name"
)


PLACES = {
    "E": "National,E92000001,England,,,,,",
    "NE": "Regional,E92000001,England,E12000001,North East,,,",
    "841": "Local authority,E92000001,England,E12000001,North East,841,E06000005,Darlington",
    "805": "Local authority,E92000001,England,E12000001,North East,805,E06000001,Hartlepool",
    "806": "Local authority,E92000001,England,E12000001,North East,806,E06000002,Middlesbrough",
    "807": "Local authority,E92000001,England,E12000001,North East,807,E06000003,Redcar",
}


D5_COLUMNS = (
    "category,CPP_At31,3_months_or_less,3_months_or_less_percent,"
    "2_years_or_more,2_years_or_more_percent"
)


def ees(header: str, rows: list[tuple[int, str, str]]) -> str:
    """An EES-style CSV: rows of (time_period, place key, the figures as CSV text)."""
    lines = [f"{EES_HEAD},{header}"]
    lines += [f"{tp},Reporting year,{PLACES[place]},{rest}" for tp, place, rest in rows]
    return "\n".join(lines) + "\n"


def tiny_folder(folder: Path) -> Path:
    """Four North East councils, two years: populations, CPP counts and a neighbour model."""
    folder.mkdir(parents=True, exist_ok=True)
    population = [
        (tp, p, str(n))
        for tp in (2018, 2019)
        for p, n in {
            "E": 1_000_000,
            "NE": 100_000,
            "841": 20_000,
            "805": 10_000,
            "806": 30_000,
            "807": 40_000,
        }.items()
    ]
    (folder / "ons_mid-year_population_estimates_test.csv").write_text(
        "\ufeff"
        + ees(
            "age_group,population_estimate",
            [(tp, p, f"Children aged 0 to 17 years,{n}") for tp, p, n in population],
        ),
        encoding="utf-8",
    )
    d5 = {
        2020: {
            "E": "5000,1000,20,100,2",
            "NE": "800,200,25,10,1.3",
            "841": "80,20,25,0,0",
            "805": "30,10,33.3,3,10",
            "806": "c,c,c,c,c",
            "807": "200,50,25,low,low",
        },
        2019: {
            "E": "4800,1000,20.8,100,2.1",
            "NE": "790,200,25.3,10,1.3",
            "841": "90,20,22.2,0,0",
            "805": "20,10,50,3,15",
            "806": "60,10,16.7,0,0",
            "807": "180,50,27.8,0,0",
        },
    }
    (folder / "d5_cpps_at31march_test.csv").write_text(
        ees(
            D5_COLUMNS,
            [
                (tp, p, f"Child Protection Plans by length of time,{v}")
                for tp, rows in d5.items()
                for p, v in rows.items()
            ],
        ),
        encoding="utf-8",
    )
    (folder / "sn_model_2025_wide.csv").write_text(
        "\ufeffold_la_code,la_name,region_ind,region_name,"
        + ",".join(f"SN_{i},SN_{i}P" for i in range(1, 11))
        + "\n"
        + "841,Darlington,1,North East,805,Close,806,Close,807,Close"
        + "," * 14
        + "\n"
        + "805,Hartlepool,1,North East,841,Close,806,Close,807,Close"
        + "," * 14
        + "\n",
        encoding="utf-8",
    )
    return folder


# One small DfE children-in-need file, for the commands that read a DfE folder.
DFE_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,"
    "region_code,region_name,old_la_code,new_la_code,la_name,category,At31_episodes"
)
DFE_ROWS = [
    "2020,Reporting year,National,E92000001,England,,,,,,Children in Need,389260",
    "2020,Reporting year,Regional,E92000001,England,E12000001,North East,,,,Children in Need,24470",
    "2020,Reporting year,Local authority,E92000001,England,E12000001,North East,841,E06000005,"
    "{la_name},Children in Need,1016",
]
DFE_FILE = "b1_children_in_need_2013_to_2025.csv"


def dfe_folder(
    root: Path, la_name: str = "Darlington", rows: list[str] | None = None, text: str | None = None
) -> Path:
    """A folder holding one small DfE children-in-need file (or `text` as that file)."""
    folder = root / "dfe"
    folder.mkdir(exist_ok=True)
    lines = rows if rows is not None else [r.format(la_name=la_name) for r in DFE_ROWS]
    content = text if text is not None else "\n".join([DFE_HEADER, *lines]) + "\n"
    (folder / DFE_FILE).write_text(content, encoding="utf-8")
    return folder


def stand_in_notebook(code: str) -> dict:
    """A section notebook (parameters cell, title, one cell of `code`) standing in for the
    real ones where a test needs a section that fails, crashes, hangs or takes its time."""
    parameters = (
        'partnership = "testshire"  # partnership id\nyear = "2019-20"  # year\n'
        'data_dir = ""  # data folder\nparams_dir = ""  # params folder\n'
    )
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "p",
                "metadata": {"tags": ["parameters"]},
                "outputs": [],
                "source": parameters,
            },
            {
                "cell_type": "markdown",
                "id": "t",
                "metadata": {"tags": ["remove"]},
                "source": "# Case reviews and audits",
            },
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "s",
                "metadata": {},
                "outputs": [],
                "source": code,
            },
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


# What a set of published figures gives away: exact linear algebra over the rationals.
def rank(matrix):
    """Exact rank over the rationals (Gaussian elimination on Fractions)."""
    m = [list(r) for r in matrix]
    rank_, cols = 0, len(m[0]) if m else 0
    for col in range(cols):
        pivot = next((i for i in range(rank_, len(m)) if m[i][col] != 0), None)
        if pivot is None:
            continue
        m[rank_], m[pivot] = m[pivot], m[rank_]
        for i in range(len(m)):
            if i != rank_ and m[i][col] != 0:
                factor = m[i][col] / m[rank_][col]
                m[i] = [a - factor * b for a, b in zip(m[i], m[rank_], strict=True)]
        rank_ += 1
    return rank_


def determined_cells(unknowns, rows, targets=None):
    """Cells among `targets` (default: all unknowns) whose value the equations fix: the unit
    vector of the cell lies in the row space of the system."""
    targets = unknowns if targets is None else targets
    if not rows:
        return []
    base = rank(rows)
    found = []
    for i, cell in enumerate(unknowns):
        if cell not in targets:
            continue
        unit = [Fraction(int(j == i)) for j in range(len(unknowns))]
        if rank([*rows, unit]) == base:
            found.append(cell)
    return found
