"""Every valid partnership-year renders every section, and reads right.

Hypothesis writes partnership-years across the contract's corners, the shapes real
partnerships have: no indicators, counts only, rates only; no reviews, reviews whose findings
are not recorded, actions tied to no theme, one finding, a year with every table empty; dates
blank or before the year, given as a day, a month, a year or a reporting year; findings of two
sources, actions answering nothing, inspections, satisfactory findings, blank statuses and
owners, local indicators; one year or two of data; with and without DfE's files. Each is
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
AUDIT_TYPES = [
    "multi_agency_thematic",
    "single_agency",
    "self_assessment",
    "jtai_style",
    "deep_dive",
    "observation",
    "ofsted_ilacs",
    "jtai",
    "send_area_inspection",
    "lga_peer_review",
    "section_11",
    "section_175",
]
KINDS = ["strength", "area_for_development", "learning", "recommendation", "satisfactory"]
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
COUNTS = [
    "cin_count",
    "cpp_count",
    "cla_count",
    "missing_children",
    "child_deaths",
    "training_attendance",
    "early_help_assessments",
]
RATES = ["cin_rate", "cpp_rate", "cla_rate", "rereferral_pct", "care_leavers_neet_pct"]


def _csv(header: list[str], rows: list[list]) -> str:
    def cell(value) -> str:
        text = "" if value is None else str(value)
        return f'"{text}"' if "," in text else text

    return "\n".join([",".join(header), *(",".join(cell(v) for v in row) for row in rows)]) + "\n"


def _date(draw, year: str, allow_before: bool = True) -> str | None:
    """A day, a month, a calendar year or a reporting year, in the year or before it."""
    start = int(year[:4])
    choice = draw(st.sampled_from(["blank", "in", "before"] if allow_before else ["blank", "in"]))
    if choice == "blank":
        return None
    form = draw(st.sampled_from(["day", "month", "year", "reporting_year"]))
    first = start - 1 if choice == "before" else start
    month = draw(st.integers(4, 12))
    return {
        "day": f"{first}-{month:02d}-15",
        "month": f"{MONTHS[month]} {first}",
        "year": str(first) if choice == "before" else str(start + 1),
        "reporting_year": f"{first}-{(first + 1) % 100:02d}",
    }[form]


MONTHS = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@st.composite
def year_tables(draw, year: str) -> dict[str, str]:
    """One year's CSV files, valid against the contract."""
    end = f"{int(year[:4]) + 1}-03-31"
    n_reviews = draw(st.integers(0, 3))
    reviews = [
        [
            f"R{i}",
            draw(st.sampled_from(REVIEW_TYPES)),
            draw(st.sampled_from([None, f"Child {chr(65 + i)}"])),
            None,
            _date(draw, year),
            None,
            None,
            None,
            None,
            draw(st.sampled_from([None, "notified", "in_progress", "completed"])),
        ]
        for i in range(n_reviews)
    ]
    n_audits = draw(st.integers(0, 3))
    audits = []
    for i in range(n_audits):
        graded = draw(st.booleans())
        grades = [draw(st.integers(0, 6)) for _ in range(4)] if graded else [None] * 4
        cases = sum(grades) if graded else draw(st.sampled_from([None, 2, 12]))
        audits.append(
            [
                f"A{i}",
                f"Audit {i}",
                draw(st.sampled_from(AUDIT_TYPES)),
                _date(draw, year, allow_before=False),
                cases,
                *grades,
            ]
        )
    sources = [("review", r[0]) for r in reviews] + [("audit", a[0]) for a in audits]
    findings = []
    if sources:
        # Some sources have no findings recorded: a real partnership's commonest gap.
        with_findings = draw(st.lists(st.sampled_from(sources), max_size=6))
        for i, (kind, source) in enumerate(with_findings):
            # A finding of a joint summary names a second source of the same kind.
            also = [s for k, s in sources if k == kind and s != source][:1]
            if also and draw(st.booleans()):
                source = f"{source}; {also[0]}"
            findings.append(
                [
                    f"F{i}",
                    kind,
                    source,
                    draw(st.sampled_from(FINDING_TEXTS)),
                    draw(st.sampled_from(KINDS)),
                    None,
                    None,
                ]
            )
    actions = []
    for i in range(draw(st.integers(0, 4))):
        links = ["finding", "source", "none"] if findings else ["source", "none"]
        link = draw(st.sampled_from(links if sources else ["none"]))
        finding = draw(st.sampled_from(findings))[0] if link == "finding" else None
        source = draw(st.sampled_from(sources))[1] if link == "source" else None
        status = draw(st.sampled_from(STATUSES))
        completed = year[:4] + "-10-01" if status == "completed" else None
        actions.append(
            [
                f"X{i}",
                finding,
                source,
                draw(st.sampled_from([None, "Neglect"])),
                f"Action {i}",
                draw(st.sampled_from([None, "Partnership"])),
                draw(
                    st.sampled_from(
                        [None, f"{year[:4]}-06-30", "2030-01-01", f"September {year[:4]}", year]
                    )
                ),
                status,
                completed,
                draw(st.sampled_from([None, "It helped."])),
            ]
        )
    indicators = []
    shape = draw(st.sampled_from(["none", "counts", "rates", "both"]))
    if shape in ("counts", "both"):
        for indicator in draw(st.lists(st.sampled_from(COUNTS), unique=True, max_size=4)):
            indicators.append(
                [
                    indicator,
                    None,
                    "local",
                    end,
                    draw(st.sampled_from([0, 3, 754, 1200])),
                    "count",
                    None,
                    "Report",
                    None,
                ]
            )
    if shape in ("rates", "both"):
        for indicator in draw(st.lists(st.sampled_from(RATES), unique=True, max_size=3)):
            unit = "percent" if indicator.endswith("pct") else "rate_per_10k"
            indicators.append([indicator, None, "local", end, 37.8, unit, None, "Report", None])
    local = []
    if draw(st.booleans()):  # the partnership's own figures, defined beside the catalogue's
        local = [
            [
                "lado_allegations",
                "Allegations managed by the LADO",
                "count",
                "allegations",
                None,
                "year",
                "Allegations against people who work with children.",
                None,
            ],
            [
                "contacts_pct",
                "Contacts that became referrals",
                "percent",
                None,
                "yes",
                "year",
                "Share of contacts that became a referral.",
                None,
            ],
        ]
        indicators.append(
            [
                "lado_allegations",
                None,
                "local",
                end,
                draw(st.sampled_from([0, 3, 41])),
                "count",
                None,
                "LADO",
                None,
            ]
        )
        indicators.append(["contacts_pct", None, "local", end, 28.4, "percent", 30, "LA", None])
    budget = [["Council", 120000], ["Police", 4]] if draw(st.booleans()) else []
    return {
        **draw(statutory_tables(year, COUNTS + RATES)),
        "reviews": _csv(
            [
                "review_id",
                "review_type",
                "subject_pseudonym",
                "age_group",
                "notified_date",
                "decided_date",
                "started_date",
                "completed_date",
                "published_date",
                "status",
            ],
            reviews,
        ),
        "audits": _csv(
            [
                "audit_id",
                "title",
                "audit_type",
                "audit_date",
                "cases_audited",
                "graded_outstanding",
                "graded_good",
                "graded_requires_improvement",
                "graded_inadequate",
            ],
            audits,
        ),
        "findings": _csv(
            ["finding_id", "source_type", "source_id", "text", "kind", "agency", "themes"], findings
        ),
        "actions": _csv(
            [
                "action_id",
                "finding_id",
                "source_id",
                "priority",
                "action",
                "owner_agency",
                "due_date",
                "status",
                "completed_date",
                "impact",
            ],
            actions,
        ),
        "local_indicators": _csv(
            [
                "id",
                "label",
                "unit",
                "counts",
                "higher_is_better",
                "period",
                "definition",
                "part_of",
            ],
            local,
        ),
        "indicators": _csv(
            [
                "indicator",
                "breakdown",
                "area",
                "period_end",
                "value",
                "unit",
                "target",
                "source",
                "note",
            ],
            indicators,
        ),
        "budget": _csv(["contributor", "amount_gbp"], budget),
    }


THEMES = ["neglect", "domestic_abuse", "voice_of_child", "substance_misuse"]


@st.composite
def statutory_tables(draw, year: str, indicators: list[str]) -> dict[str, str]:
    """The yearly report's optional tables: each absent, with a header only, or with rows
    (blank ratings, unknown participants, small counts of people, courses without scores)."""
    start = int(year[:4])
    rows = {}

    def some(name: str, header: list[str], make, most: int = 3) -> None:
        shape = draw(st.sampled_from(["absent", "header", "rows"]))
        if shape == "absent":
            return
        count = draw(st.integers(1, most)) if shape == "rows" else 0
        rows[name] = _csv(header, [make(i) for i in range(count)])

    some(
        "priorities",
        ["priority_id", "priority", "indicators", "rag_status", "evidence", "barriers"],
        lambda i: [
            f"P{i}",
            f"Priority {i}",
            draw(st.sampled_from([None, *indicators])),
            draw(st.sampled_from([None, "green", "amber", "red"])),
            draw(st.sampled_from([None, "It moved on."])),
            draw(st.sampled_from([None, "Staff left."])),
        ],
    )
    some(
        "feedback",
        [
            "feedback_id",
            "activity",
            "method",
            "from_whom",
            "participants",
            "said",
            "changed",
            "themes",
        ],
        lambda i: [
            f"V{i}",
            f"Activity {i}",
            draw(st.sampled_from([None, "survey"])),
            draw(st.sampled_from(["children", "young_people", "parents_carers", "mixed"])),
            draw(st.sampled_from([None, 0, 3, 40])),
            draw(st.sampled_from(FINDING_TEXTS)),
            draw(st.sampled_from([None, "We changed it."])),
            draw(st.sampled_from([None, *THEMES])),
        ],
    )
    courses = draw(st.integers(0, 2))
    if courses or draw(st.booleans()):
        rows["training"] = _csv(
            [
                "course_id",
                "title",
                "themes",
                "sessions",
                "attendances",
                "evaluations",
                "score_before",
                "score_after",
                "score_out_of",
                "followup_pct",
            ],
            [
                [
                    f"T{i}",
                    f"Course {i}",
                    draw(st.sampled_from([None, *THEMES])),
                    draw(st.sampled_from([None, 1, 12])),
                    draw(st.sampled_from([None, 0, 4, 250])),
                    *draw(st.sampled_from([[None] * 4, [30, 4.5, 7.5, 10]])),
                    draw(st.sampled_from([None, 80])),
                ]
                for i in range(courses)
            ],
        )
        if courses and draw(st.booleans()):
            rows["training_attendance"] = _csv(
                ["course_id", "agency", "attendances"],
                [
                    ["T0", agency, draw(st.sampled_from([0, 3, 60]))]
                    for agency in draw(
                        st.lists(
                            st.sampled_from(["Health", "Police", "Schools"]),
                            unique=True,
                            min_size=1,
                        )
                    )
                ],
            )
    some(
        "scrutiny_recommendations",
        ["recommendation_id", "made_by", "recommendation", "due_date", "status"],
        lambda i: [
            f"S{i}",
            draw(st.sampled_from(["independent_scrutineer", "national_review"])),
            f"Recommendation {i}",
            draw(st.sampled_from([None, f"{start}-06-30", "2030-01-01"])),
            draw(st.sampled_from(STATUSES)),
        ],
    )
    some(
        "arrangements_changes",
        ["change_id", "change_date", "change"],
        lambda i: [f"C{i}", _date(draw, year), f"Change {i}"],
    )
    some(
        "relevant_agencies",
        ["agency", "sector"],
        lambda i: [f"Agency {i}", draw(st.sampled_from(["education", "health", "other"]))],
    )
    some(
        "publication",
        ["document", "kind", "published_date", "url"],
        lambda i: [
            f"Report {i}",
            "annual_report" if i == 0 else "summary",
            draw(st.sampled_from([None, f"{start + 1}-09-30"])),
            draw(st.sampled_from([None, "https://example.org/report"])),
        ],
        most=2,
    )
    return rows


@st.composite
def partnerships(draw) -> dict:
    years = {YEAR: draw(year_tables(YEAR))}
    if draw(st.booleans()):
        years[EARLIER] = draw(year_tables(EARLIER))
    return {
        "years": years,
        "covers_adults": draw(st.booleans()),
        "threshold": draw(st.sampled_from([5, 10])),
    }


def _write(root: Path, case: dict) -> None:
    params = TINY_PARAMS.replace(
        "covers_adults: false", f"covers_adults: {str(case['covers_adults']).lower()}"
    )
    params = params.replace(
        "small_number_threshold: 5", f"small_number_threshold: {case['threshold']}"
    )
    (root / "params").mkdir(parents=True, exist_ok=True)
    (root / "params" / "anyshire.yaml").write_text(params, encoding="utf-8")
    for year, tables in case["years"].items():
        folder = root / "data" / "anyshire" / year
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in tables.items():
            (folder / f"{name}.csv").write_text(text, encoding="utf-8")


PEOPLE = (
    r"(children|child|young people|adults|adult|families|people|babies|deaths|referrals"
    r"|early help)\b"
)
"""What "5 or fewer" may be said of: people, and what happened to them ("early help
assessments")."""


def reader_problems(page: str) -> list[str]:
    """What a board member would trip over in a section's HTML (as the team's pack check)."""
    problems = []
    for table in re.findall(r"<table\b.*?</table>", page, flags=re.S | re.I):
        if not re.search(r"<td\b", table, flags=re.I):
            problems.append("a table with headers only")
    skeleton = re.sub(r"<(?!/?h[1-4]\b)[^>]+>", "", page)
    for match in re.finditer(
        r"<h([1-4])\b[^>]*>([^<]*)</h\1>\s*(<h([1-4])\b|$)", skeleton, flags=re.S | re.I
    ):
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
def test_every_valid_year_renders_every_section_and_reads_right(
    tmp_path_factory, monkeypatch, label, dfe
):
    if dfe:
        monkeypatch.setenv("WORKBOOK_DFE_DIR", dfe)
    else:
        monkeypatch.delenv("WORKBOOK_DFE_DIR", raising=False)
    sections = registry()
    with KernelSession(cell_timeout=120) as kernel:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(partnerships())
        def renders(case):
            root = tmp_path_factory.mktemp("anyshire")
            _write(root, case)
            for year in case["years"]:
                raw = read_year("anyshire", year, root / "data")
                _, problems = validate_tables(raw, year)
                assert not problems, [str(p) for p in problems]
            parameters = {
                "partnership": "anyshire",
                "year": YEAR,
                "data_dir": str(root / "data"),
                "params_dir": str(root / "params"),
            }
            for section in sections:
                executed = kernel.execute(section.notebook, parameters)
                page = str(section_body(executed))
                assert reader_problems(page) == [], (section.id, label, page[:2000])

        renders()


def test_the_reader_checks_catch_what_they_look_for():
    """The checks above must be able to fail."""
    assert reader_problems("<table><tr><th>a</th></tr></table>") == ["a table with headers only"]
    assert reader_problems("<h2>Reviews</h2><h2>Audits</h2><p>x</p>") == [
        "heading 'Reviews' has nothing under it"
    ]
    assert reader_problems("<p>There were 5 or fewer audits.</p>") == [
        "'5 or fewer audits': only counts of people are withheld"
    ]
    assert reader_problems("<p>5 or fewer children.</p><h2>A</h2><p>b</p>") == []
