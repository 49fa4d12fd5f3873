"""Every valid partnership-year renders every section, and reads right.

Hypothesis writes partnership-years across the contract's corners, the shapes real
partnerships have: no indicators, counts only, rates only; no reviews, reviews whose findings
are not recorded, actions tied to no theme, one finding, a year with every table empty; dates
blank or before the year; one year or two of data; with and without DfE's files. Each is
validated, then every section notebook runs (in one kernel, as `workbook run` runs them) and
its HTML is read as a board member would: no error, no table of headers only, no heading with
nothing under it, and no "5 or fewer" said of anything but people.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TINY_PARAMS
from workbook.inputs.loading import read_year
from workbook.inputs.validation import validate_tables
from workbook.render.publishing import section_body
from workbook.run.execution import KernelSession
from workbook.sections import registry

pytestmark = pytest.mark.render

YEAR, EARLIER = "2022-23", "2021-22"
EXAMPLES = int(os.environ.get("ANY_YEAR_EXAMPLES", "12"))

REVIEW_TYPES = ["rapid_review", "cspr", "scr", "local_learning_review", "sar", "dhr", "other"]
AUDIT_TYPES = ["multi_agency_thematic", "single_agency", "self_assessment", "jtai_style",
               "deep_dive", "observation"]
KINDS = ["strength", "area_for_development", "learning", "recommendation"]
STATUSES = ["not_started", "in_progress", "completed", "cancelled"]
FINDING_TEXTS = [
    "Information was not shared between the GP and the health visitor.",
    "The voice of the child was clearly recorded in most cases.",
    "Neglect was not recognised early enough by universal services.",
    "Chronologies were missing or out of date.",
    "Escalation between agencies was used well.",
    "The impact of domestic abuse on the child was not assessed.",
    "Supervision records showed little reflective challenge.",
]
COUNTS = ["cin_count", "cpp_count", "cla_count", "missing_children", "child_deaths",
          "training_attendance", "early_help_assessments"]
RATES = ["cin_rate", "cpp_rate", "cla_rate", "rereferral_pct", "care_leavers_neet_pct"]


def _csv(header: list[str], rows: list[list]) -> str:
    def cell(value) -> str:
        text = "" if value is None else str(value)
        return f'"{text}"' if "," in text else text

    return "\n".join([",".join(header), *(",".join(cell(v) for v in row) for row in rows)]) + "\n"


def _date(draw, year: str, allow_before: bool = True) -> str | None:
    start = int(year[:4])
    choice = draw(st.sampled_from(["blank", "in", "before"] if allow_before else ["blank", "in"]))
    if choice == "blank":
        return None
    if choice == "before":
        return f"{start - 1}-{draw(st.integers(4, 12)):02d}-15"
    return f"{start}-{draw(st.integers(4, 12)):02d}-{draw(st.integers(1, 28)):02d}"


@st.composite
def year_tables(draw, year: str) -> dict[str, str]:
    """One year's CSV files, valid against the contract."""
    end = f"{int(year[:4]) + 1}-03-31"
    n_reviews = draw(st.integers(0, 3))
    reviews = [[f"R{i}", draw(st.sampled_from(REVIEW_TYPES)),
                draw(st.sampled_from([None, f"Child {chr(65 + i)}"])), None,
                _date(draw, year), None, None, None, None,
                draw(st.sampled_from(["notified", "in_progress", "completed"]))]
               for i in range(n_reviews)]
    n_audits = draw(st.integers(0, 3))
    audits = []
    for i in range(n_audits):
        graded = draw(st.booleans())
        grades = [draw(st.integers(0, 6)) for _ in range(4)] if graded else [None] * 4
        cases = sum(grades) if graded else draw(st.sampled_from([None, 2, 12]))
        audits.append([f"A{i}", f"Audit {i}", draw(st.sampled_from(AUDIT_TYPES)),
                       _date(draw, year, allow_before=False), cases, *grades])
    sources = [("review", r[0]) for r in reviews] + [("audit", a[0]) for a in audits]
    findings = []
    if sources:
        # Some sources have no findings recorded: a real partnership's commonest gap.
        with_findings = draw(st.lists(st.sampled_from(sources), max_size=6))
        for i, (kind, source) in enumerate(with_findings):
            findings.append([f"F{i}", kind, source, draw(st.sampled_from(FINDING_TEXTS)),
                             draw(st.sampled_from(KINDS)), None, None])
    actions = []
    for i in range(draw(st.integers(0, 4))):
        link = draw(st.sampled_from(["finding", "source"] if findings else ["source"]))
        if link == "source" and not sources:
            break
        finding = draw(st.sampled_from(findings))[0] if link == "finding" else None
        source = draw(st.sampled_from(sources))[1] if link == "source" else None
        status = draw(st.sampled_from(STATUSES))
        completed = year[:4] + "-10-01" if status == "completed" else None
        actions.append([f"X{i}", finding, source, f"Action {i}", "Partnership",
                        draw(st.sampled_from([None, f"{year[:4]}-06-30", "2030-01-01"])),
                        status, completed, draw(st.sampled_from([None, "It helped."]))])
    indicators = []
    shape = draw(st.sampled_from(["none", "counts", "rates", "both"]))
    if shape in ("counts", "both"):
        for indicator in draw(st.lists(st.sampled_from(COUNTS), unique=True, max_size=4)):
            indicators.append([indicator, None, "local", end,
                               draw(st.sampled_from([0, 3, 754, 1200])), "count", None,
                               "Report", None])
    if shape in ("rates", "both"):
        for indicator in draw(st.lists(st.sampled_from(RATES), unique=True, max_size=3)):
            unit = "percent" if indicator.endswith("pct") else "rate_per_10k"
            indicators.append([indicator, None, "local", end, 37.8, unit, None, "Report", None])
    budget = ([["Council", 120000], ["Police", 4]] if draw(st.booleans()) else [])
    return {
        "reviews": _csv(["review_id", "review_type", "subject_pseudonym", "age_group",
                         "notified_date", "decided_date", "started_date", "completed_date",
                         "published_date", "status"], reviews),
        "audits": _csv(["audit_id", "title", "audit_type", "audit_date", "cases_audited",
                        "graded_outstanding", "graded_good", "graded_requires_improvement",
                        "graded_inadequate"], audits),
        "findings": _csv(["finding_id", "source_type", "source_id", "text", "kind", "agency",
                          "themes"], findings),
        "actions": _csv(["action_id", "finding_id", "source_id", "action", "owner_agency",
                         "due_date", "status", "completed_date", "impact"], actions),
        "indicators": _csv(["indicator", "breakdown", "area", "period_end", "value", "unit",
                            "target", "source", "note"], indicators),
        "budget": _csv(["contributor", "amount_gbp"], budget),
    }


@st.composite
def partnerships(draw) -> dict:
    years = {YEAR: draw(year_tables(YEAR))}
    if draw(st.booleans()):
        years[EARLIER] = draw(year_tables(EARLIER))
    return {"years": years, "covers_adults": draw(st.booleans()),
            "threshold": draw(st.sampled_from([5, 10]))}


def _write(root: Path, case: dict) -> None:
    params = TINY_PARAMS.replace("covers_adults: false",
                                 f"covers_adults: {str(case['covers_adults']).lower()}")
    params = params.replace("small_number_threshold: 5",
                            f"small_number_threshold: {case['threshold']}")
    (root / "params").mkdir(parents=True, exist_ok=True)
    (root / "params" / "anyshire.yaml").write_text(params, encoding="utf-8")
    for year, tables in case["years"].items():
        folder = root / "data" / "anyshire" / year
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in tables.items():
            (folder / f"{name}.csv").write_text(text, encoding="utf-8")


PEOPLE = r"(children|child|young people|adults|adult|families|people|babies|deaths|referrals)\b"


def reader_problems(page: str) -> list[str]:
    """What a board member would trip over in a section's HTML (as the team's pack check)."""
    problems = []
    for table in re.findall(r"<table\b.*?</table>", page, flags=re.S | re.I):
        if not re.search(r"<td\b", table, flags=re.I):
            problems.append("a table with headers only")
    skeleton = re.sub(r"<(?!/?h[1-4]\b)[^>]+>", "", page)
    for match in re.finditer(r"<h([1-4])\b[^>]*>([^<]*)</h\1>\s*(<h([1-4])\b|$)", skeleton,
                             flags=re.S | re.I):
        if not match.group(4) or int(match.group(4)) <= int(match.group(1)):
            problems.append(f"heading {match.group(2).strip()!r} has nothing under it")
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    for match in re.finditer(r"\b\d+ or fewer ([\w-]+(?: [\w-]+)?)", text):
        if not re.match(PEOPLE, match.group(1)):
            problems.append(f"{match.group(0)!r}: only counts of people are withheld")
    return problems


def _sessions():
    """(label, environment) for the runs: always without DfE files, and with them where
    WORKBOOK_DFE_DIR names a folder."""
    dfe = os.environ.get("WORKBOOK_DFE_DIR")
    yield "without DfE files", None
    if dfe and Path(dfe).is_dir():
        yield "with DfE files", dfe


@pytest.mark.parametrize(("label", "dfe"), list(_sessions()))
def test_every_valid_year_renders_every_section_and_reads_right(tmp_path_factory, monkeypatch,
                                                                label, dfe):
    if dfe:
        monkeypatch.setenv("WORKBOOK_DFE_DIR", dfe)
    else:
        monkeypatch.delenv("WORKBOOK_DFE_DIR", raising=False)
    sections = registry()
    with KernelSession(cell_timeout=120) as kernel:

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(partnerships())
        def renders(case):
            root = tmp_path_factory.mktemp("anyshire")
            _write(root, case)
            for year in case["years"]:
                raw = read_year("anyshire", year, root / "data")
                _, problems = validate_tables(raw, year)
                assert not problems, [str(p) for p in problems]
            parameters = {"partnership": "anyshire", "year": YEAR,
                          "data_dir": str(root / "data"), "params_dir": str(root / "params")}
            for section in sections:
                executed = kernel.execute(section.notebook, parameters)
                page = str(section_body(executed))
                assert reader_problems(page) == [], (section.id, label, page[:2000])

        renders()


def test_the_reader_checks_catch_what_they_look_for():
    """The checks above must be able to fail."""
    assert reader_problems("<table><tr><th>a</th></tr></table>") == [
        "a table with headers only"]
    assert reader_problems("<h2>Reviews</h2><h2>Audits</h2><p>x</p>") == [
        "heading 'Reviews' has nothing under it"]
    assert reader_problems("<p>There were 5 or fewer audits.</p>") == [
        "'5 or fewer audits': only counts of people are withheld"]
    assert reader_problems("<p>5 or fewer children.</p><h2>A</h2><p>b</p>") == []
