"""Every valid partnership-year renders every section, and reads right.

Hypothesis writes partnership-years across the contract's corners, the shapes real
partnerships have: no indicators, counts only, rates only; no reviews, reviews whose findings
are not recorded, actions tied to no theme, one finding, a year with every table empty; dates
blank or before the year, given as a day, a month, a year or a reporting year; findings of two
sources, actions answering nothing, inspections, satisfactory findings, blank statuses and
owners, local indicators; one year or two of data; with and without DfE's files. Files of
contract v2 and of v3 (inspections with judgements, other sources of learning, stated counts,
due dates in the year's words, figures by council, next year's priorities, effectiveness,
partners...), a remit with or without adults and community safety, one council or two, and a
report year of April to March, of 15 months from January or of 18 months. Every table's columns
and codes are read from the contract. Each is
validated, then every section notebook runs (in one kernel, as `workbook run` runs them) and
its HTML, and the board pack made of them, are read as a board member would: no error, no table
of headers only, no heading with nothing under it, and no "5 or fewer" said of anything but
people. Every PDF_EVERY-th year's pack is laid out and written as a PDF too (WeasyPrint's
layout is most of the cost of an example, and a year that lays out badly lays out badly in
every section).

How many years are drawn is the Hypothesis profile's (tests/conftest.py): a few in `make test`,
many more under HYPOTHESIS_PROFILE=nightly.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import TINY_PARAMS, hypothesis_profile
from workbook.core import paths
from workbook.inputs.contract import load_contract
from workbook.inputs.loading import read_year
from workbook.inputs.params import load_params
from workbook.inputs.validation import validate_tables
from workbook.render.appendix import APPENDIX_VARIABLE
from workbook.render.pdf import lay_out, write_pdfs
from workbook.render.publishing import board_pack_html, rendered_section, section_body
from workbook.run.execution import KernelSession
from workbook.sections import registry

pytestmark = pytest.mark.render

YEAR, EARLIER = "2022-23", "2021-22"
EXAMPLES = {"default": 6, "nightly": 60}[hypothesis_profile()]
"""Years drawn per session (with DfE files, without): each runs every section notebook."""
SHARDS = 3
"""The years are drawn in this many tests (each its own seed and kernel), so that the test
workers share them rather than one worker running them all while the other waits."""
PDF_EVERY = {"default": 3, "nightly": 1}[hypothesis_profile()]
"""One drawn year in PDF_EVERY has its pack laid out and written as a PDF."""

CONTRACT = load_contract()
REVIEW_TYPES = list(CONTRACT["reviews"].columns["review_type"].values)
AUDIT_TYPES = list(CONTRACT["audits"].columns["audit_type"].values)
KINDS = list(CONTRACT["findings"].columns["kind"].values)
STATUSES = list(CONTRACT["actions"].columns["status"].values)
LEARNING_KINDS = list(CONTRACT["learning_sources"].columns["kind"].values)
INSPECTION_KINDS = list(CONTRACT["inspections"].columns["kind"].values)
JUDGEMENTS = list(CONTRACT["inspections"].columns["overall_judgement"].values)
"""The codes are the contract's: a value the contract adds is drawn without a change here."""
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
    "adult_s42_enquiries",
    "domestic_abuse_incidents",
]
RATES = ["cin_rate", "cpp_rate", "cla_rate", "rereferral_pct", "care_leavers_neet_pct"]
COUNCILS = {"E06000998": "Westmarch", "E06000997": "Eastmere"}
PERIODS = {
    "April to March": None,
    "15 months from January": ("2022-01-01", "2023-03-31"),
    "18 months from April": ("2022-04-01", "2023-09-30"),
}
"""The report year's periods drawn: each holds every date the strategies draw "in" the year."""


def _csv(table: str, rows: list[dict], v2: bool = False) -> str:
    """A table as a partnership writes it: the contract's columns in its order (a file of
    contract v2, without the columns v3 added, where `v2`); each row a dict of its cells."""
    header = [
        name
        for name, column in CONTRACT[table].columns.items()
        if not (v2 and column.since >= 3) or any(row.get(name) is not None for row in rows)
    ]

    def cell(value) -> str:
        text = "" if value is None else str(value)
        return f'"{text}"' if "," in text else text

    lines = [",".join(header), *(",".join(cell(row.get(c)) for c in header) for row in rows)]
    return "\n".join(lines) + "\n"


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
def year_tables(draw, year: str, councils: list[str], one_march: bool) -> dict[str, str]:
    """One year's CSV files, valid against the contract: a file of contract v2 or of v3."""
    end = f"{int(year[:4]) + 1}-03-31"
    v2 = draw(st.booleans())
    reviews = []
    for i in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(REVIEW_TYPES))
        review = {
            "review_id": f"R{i}",
            "review_type": kind,
            "subject_pseudonym": draw(st.sampled_from([None, f"Child {chr(65 + i)}"])),
            "notified_date": _date(draw, year),
            "status": draw(
                st.sampled_from([None, "notified", "in_progress", "completed", "published"])
            ),
        }
        if not v2 and draw(st.booleans()):  # what contract v3 adds
            review |= {
                "title": "A thematic review" if kind == "thematic_review" else None,
                "recommendations": draw(st.sampled_from([None, 0, 11])),
                "joint_with": draw(st.sampled_from([None, "Southshire partnership"])),
                "remit": draw(st.sampled_from([None, "children", "adults", "community_safety"])),
                "status": draw(st.sampled_from(["completed_publication_delayed", "published"])),
                "published_date": draw(st.sampled_from([None, f"{int(year[:4]) + 1}-06-30"])),
            }
        reviews.append(review)
    audits = []
    for i in range(draw(st.integers(0, 3))):
        graded = draw(st.booleans())
        grades = [draw(st.integers(0, 6)) for _ in range(4)] if graded else [None] * 4
        cases = sum(grades) if graded else draw(st.sampled_from([None, 2, 12]))
        audits.append(
            {
                "audit_id": f"A{i}",
                "title": f"Audit {i}",
                "audit_type": draw(st.sampled_from(AUDIT_TYPES)),
                "audit_date": _date(draw, year, allow_before=False),
                "cases_audited": cases,
                "graded_outstanding": grades[0],
                "graded_good": grades[1],
                "graded_requires_improvement": grades[2],
                "graded_inadequate": grades[3],
                "council": None if v2 or len(councils) < 2 else draw(st.sampled_from(councils)),
            }
        )
    extra = {} if v2 else draw(v3_sources(year, councils))
    sources = [("review", r["review_id"]) for r in reviews] + [
        ("audit", a["audit_id"]) for a in audits
    ]
    sources += extra.pop("sources", [])
    findings = []
    if sources:
        # Some sources have no findings recorded: a real partnership's commonest gap.
        with_findings = draw(st.lists(st.sampled_from(sources), max_size=6))
        for i, (kind, source) in enumerate(with_findings):
            # A finding of a joint summary names a second source of the same kind.
            also = [s for k, s in sources if k == kind and s != source][:1]
            if also and draw(st.booleans()):
                source = f"{source}; {also[0]}"
            finding = {
                "finding_id": f"F{i}",
                "source_type": kind,
                "source_id": source,
                "text": draw(st.sampled_from(FINDING_TEXTS)),
                "kind": draw(st.sampled_from(KINDS)),
            }
            if not v2 and finding["kind"] == "recommendation" and draw(st.booleans()):
                finding["response"] = "not_accepted"
                finding["response_reason"] = "A national review of the same question is due."
            findings.append(finding)
    actions = []
    dues = [None, f"{year[:4]}-06-30", "2030-01-01", f"September {year[:4]}", year]
    if not v2:
        dues += ["by the end of the year"] + (["by March"] if one_march else [])
    ids_of = [s for k, s in sources if k in ("review", "audit", "inspection")]
    for i in range(draw(st.integers(0, 4))):
        links = ["finding", "source", "none"] if findings else ["source", "none"]
        link = draw(st.sampled_from(links if ids_of else ["none"]))
        status = draw(st.sampled_from(STATUSES))
        actions.append(
            {
                "action_id": f"X{i}",
                "finding_id": draw(st.sampled_from(findings))["finding_id"]
                if link == "finding"
                else None,
                "source_id": draw(st.sampled_from(ids_of)) if link == "source" else None,
                "priority": draw(st.sampled_from([None, "Neglect"])),
                "action": f"Action {i}",
                "owner_agency": draw(st.sampled_from([None, "Partnership"])),
                "due_date": draw(st.sampled_from(dues)),
                "status": status,
                "completed_date": year[:4] + "-10-01" if status == "completed" else None,
                "impact": draw(st.sampled_from([None, "It helped."])),
                "council": None if v2 or len(councils) < 2 else draw(st.sampled_from(councils)),
            }
        )
    indicators = []
    shape = draw(st.sampled_from(["none", "counts", "rates", "both"]))
    by_council = not v2 and len(councils) > 1 and draw(st.booleans())
    if shape in ("counts", "both"):
        for indicator in draw(st.lists(st.sampled_from(COUNTS), unique=True, max_size=4)):
            for council in councils if by_council else [None]:
                figure = {"indicator": indicator, "area": "local", "period_end": end}
                indicators.append(
                    figure
                    | {
                        "value": draw(st.sampled_from([0, 3, 754, 1200])),
                        "unit": "count",
                        "source": "Report",
                        "council": council,
                    }
                )
    if shape in ("rates", "both"):
        for indicator in draw(st.lists(st.sampled_from(RATES), unique=True, max_size=3)):
            unit = "percent" if indicator.endswith("pct") else "rate_per_10k"
            indicators.append(
                {
                    "indicator": indicator,
                    "area": "local",
                    "period_end": end,
                    "value": 37.8,
                    "unit": unit,
                    "source": "Report",
                }
            )
    local = []
    if draw(st.booleans()):  # the partnership's own figures, defined beside the catalogue's
        local = [
            {
                "id": "lado_allegations",
                "label": "Allegations managed by the LADO",
                "unit": "count",
                "counts": "allegations",
                "period": "year",
                "definition": "Allegations against people who work with children.",
            },
            {
                "id": "contacts_pct",
                "label": "Contacts that became referrals",
                "unit": "percent",
                "higher_is_better": "yes",
                "period": "year",
                "definition": "Share of contacts that became a referral.",
            },
        ]
        indicators.append(
            {
                "indicator": "lado_allegations",
                "area": "local",
                "period_end": end,
                "value": draw(st.sampled_from([0, 3, 41])),
                "unit": "count",
                "source": "LADO",
            }
        )
        indicators.append(
            {
                "indicator": "contacts_pct",
                "area": "local",
                "period_end": end,
                "value": 28.4,
                "unit": "percent",
                "target": 30,
                "source": "LA",
            }
        )
    budget = (
        [
            {"contributor": "Council", "amount_gbp": 120000},
            {"contributor": "Police", "amount_gbp": 4},
        ]
        if draw(st.booleans())
        else []
    )
    action_ids = [a["action_id"] for a in actions]
    tables = {
        **draw(statutory_tables(year, COUNTS + RATES, action_ids, v2)),
        "reviews": (reviews, "reviews"),
        "audits": (audits, "audits"),
        "findings": (findings, "findings"),
        "actions": (actions, "actions"),
        "local_indicators": (local, "local_indicators"),
        "indicators": (indicators, "indicators"),
        "budget": (budget, "budget"),
        **{name: (rows, name) for name, rows in extra.items()},
    }
    return {name: _csv(table, rows, v2) for name, (rows, table) in tables.items()}


@st.composite
def v3_sources(draw, year: str, councils: list[str]) -> dict:
    """What contract v3 adds beside reviews and audits: inspections (with judgements), other
    sources of learning, stated counts of reviews (zeros too); `sources` lists the ids
    findings may name."""
    start = int(year[:4])
    made: dict = {"sources": []}
    inspections = [
        {
            "inspection_id": f"I{i}",
            "kind": draw(st.sampled_from(INSPECTION_KINDS)),
            "inspected_by": "Ofsted",
            "council": draw(st.sampled_from([None, *councils])) if len(councils) > 1 else None,
            "date": draw(st.sampled_from([None, f"{start}-11-01", f"May {start}"])),
            "published_date": draw(st.sampled_from([None, f"{start + 1}-05-01"])),
            "overall_judgement": draw(st.sampled_from([None, *JUDGEMENTS])),
        }
        for i in range(draw(st.integers(0, 2)))
    ]
    if inspections:
        made["inspections"] = inspections
        made["sources"] += [("inspection", i["inspection_id"]) for i in inspections]
        if draw(st.booleans()):
            made["inspection_judgements"] = [
                {
                    "inspection_id": "I0",
                    "area": area,
                    "judgement": draw(st.sampled_from(JUDGEMENTS)),
                }
                for area in ("Help and protection", "Children in care")
            ]
    learning = [
        {
            "source_id": f"L{i}",
            "kind": draw(st.sampled_from(LEARNING_KINDS)),
            "title": f"Source {i}",
            "date": draw(st.sampled_from([None, f"{start}-12-01"])),
        }
        for i in range(draw(st.integers(0, 2)))
    ]
    if learning:
        made["learning_sources"] = learning
        made["sources"] += [(row["kind"], row["source_id"]) for row in learning]
    if draw(st.booleans()):
        made["review_counts"] = [
            {"review_type": "dhr", "stage": "referred", "count": 0, "note": "None received"},
            {"review_type": "sar", "stage": "referred", "count": draw(st.sampled_from([1, 14]))},
        ]
    return made


THEMES = ["neglect", "domestic_abuse", "voice_of_child", "substance_misuse"]


@st.composite
def statutory_tables(
    draw, year: str, indicators: list[str], action_ids: list[str], v2: bool
) -> dict[str, tuple[list[dict], str]]:
    """The yearly report's optional tables: each absent, with a header only, or with rows
    (blank ratings, unknown participants, small counts of people, courses without scores);
    in a file of contract v3, its tables and columns too."""
    start = int(year[:4])
    rows: dict[str, tuple[list[dict], str]] = {}

    def some(name: str, make, most: int = 3) -> None:
        shape = draw(st.sampled_from(["absent", "header", "rows"]))
        if shape == "absent":
            return
        count = draw(st.integers(1, most)) if shape == "rows" else 0
        rows[name] = ([make(i) for i in range(count)], name)

    some(
        "priorities",
        lambda i: {
            "priority_id": f"P{i}",
            "priority": f"Priority {i}",
            "indicators": draw(st.sampled_from([None, *indicators])),
            "rag_status": draw(st.sampled_from([None, "green", "amber", "red"])),
            "evidence": draw(st.sampled_from([None, "It moved on."])),
            "barriers": draw(st.sampled_from([None, "Staff left."])),
            "themes": None if v2 else draw(st.sampled_from([None, *THEMES])),
        },
    )
    some(
        "feedback",
        lambda i: {
            "feedback_id": f"V{i}",
            "activity": f"Activity {i}",
            "method": draw(st.sampled_from([None, "survey"])),
            "from_whom": draw(
                st.sampled_from(["children", "young_people", "parents_carers", "mixed"])
            ),
            "participants": draw(st.sampled_from([None, 0, 3, 40])),
            # Contract v3: views sought but not reported.
            "said": draw(st.sampled_from(FINDING_TEXTS + ([] if v2 else [None]))),
            "changed": draw(st.sampled_from([None, "We changed it."])),
            "themes": draw(st.sampled_from([None, *THEMES])),
            "led_to": None if v2 or not action_ids else draw(st.sampled_from([None, *action_ids])),
        },
    )
    courses = draw(st.integers(0, 2))
    if courses or draw(st.booleans()):
        programme = not v2 and draw(st.booleans())
        rows["training"] = (
            [
                {
                    "course_id": f"T{i}",
                    "title": f"Course {i}",
                    "themes": draw(st.sampled_from([None, *THEMES])),
                    "sessions": draw(st.sampled_from([None, 1, 12])),
                    "attendances": draw(st.sampled_from([None, 0, 4, 250])),
                    **dict(
                        zip(
                            ["evaluations", "score_before", "score_after", "score_out_of"],
                            draw(st.sampled_from([[None] * 4, [30, 4.5, 7.5, 10]])),
                            strict=True,
                        )
                    ),
                    "followup_pct": draw(st.sampled_from([None, 80])),
                }
                | (
                    {"kind": "programme", "topics": 27, "attendances": None}
                    if programme and i == 0
                    else {}
                )
                | ({} if v2 else {"reaction_pct": draw(st.sampled_from([None, 92]))})
                for i in range(courses)
            ],
            "training",
        )
        if courses and draw(st.booleans()):
            rows["training_attendance"] = (
                [
                    {
                        "course_id": "T0",
                        "agency": agency,
                        "attendances": draw(st.sampled_from([0, 3, 60])),
                    }
                    for agency in draw(
                        st.lists(
                            st.sampled_from(["Health", "Police", "Schools"]),
                            unique=True,
                            min_size=1,
                        )
                    )
                ],
                "training_attendance",
            )
    some(
        "scrutiny_recommendations",
        lambda i: {
            "recommendation_id": f"S{i}",
            "made_by": draw(st.sampled_from(["independent_scrutineer", "national_review"])),
            "recommendation": f"Recommendation {i}",
            "due_date": draw(st.sampled_from([None, f"{start}-06-30", "2030-01-01"])),
            "status": draw(st.sampled_from(STATUSES)),
        },
    )
    some(
        "arrangements_changes",
        lambda i: {"change_id": f"C{i}", "change_date": _date(draw, year), "change": f"Change {i}"},
    )
    some(
        "relevant_agencies",
        lambda i: {
            "agency": f"Agency {i}",
            "sector": draw(st.sampled_from(["education", "health", "other"])),
            "participation": None if v2 else draw(st.sampled_from([None, "On the executive"])),
        },
    )
    some(
        "publication",
        lambda i: {
            "document": f"Report {i}",
            "kind": "annual_report" if i == 0 else "summary",
            "published_date": draw(st.sampled_from([None, f"{start + 1}-09-30"])),
            "url": draw(st.sampled_from([None, "https://example.org/report"])),
        },
        most=2,
    )
    if v2:
        return rows
    some(
        "next_priorities",
        lambda i: {
            "priority_id": f"N{i}",
            "priority": f"Next priority {i}",
            "themes": draw(st.sampled_from([None, *THEMES])),
        },
    )
    some(
        "effectiveness",
        lambda i: {
            "judged_by": ["safeguarding_partners", "independent_scrutineer", "other"][i],
            "judgement": draw(st.sampled_from(["effective", "partly_effective", "not_rated"])),
            "summary": f"Judgement {i}",
        },
    )
    some(
        "partners",
        lambda i: {
            "agency": f"Partner {i}",
            "role": "lead_safeguarding_partner",
            "role_title": "Chief Executive",
            "signed_off_report": draw(st.sampled_from([None, "yes", "no"])),
        },
    )
    some(
        "child_protection_teams",
        lambda i: {
            "agency": f"Agency {i}",
            "role": "social worker",
            "in_place_date": draw(st.sampled_from([None, f"{start}-09-01"])),
        },
    )
    some(
        "data_set",
        lambda i: {
            "indicator": indicators[i],
            "agreed": draw(st.sampled_from([None, "yes", "no"])),
        },
    )
    return rows


@st.composite
def partnerships(draw) -> dict:
    period = draw(st.sampled_from(list(PERIODS)))
    councils = draw(st.sampled_from([["841"], list(COUNCILS)]))
    one_march = period != "15 months from January"
    years = {YEAR: draw(year_tables(YEAR, councils, one_march))}
    if draw(st.booleans()):
        years[EARLIER] = draw(year_tables(EARLIER, councils, True))
    return {
        "years": years,
        "remit": draw(
            st.sampled_from(
                [
                    "covers_adults: false",
                    "covers_adults: true",
                    "remit: [children, adults, community_safety]",
                ]
            )
        ),
        "councils": councils,
        "period": PERIODS[period],
        "threshold": draw(st.sampled_from([5, 10])),
    }


def _params(case: dict) -> str:
    """Testshire's parameters for a drawn case: its remit, councils and the report year's
    period."""
    params = TINY_PARAMS.replace("covers_adults: false", case["remit"])
    params = params.replace(
        "small_number_threshold: 5", f"small_number_threshold: {case['threshold']}"
    )
    if len(case["councils"]) > 1:
        names = ", ".join(f'"{code}": "{COUNCILS[code]}"' for code in case["councils"])
        codes = ", ".join(f'"{code}"' for code in case["councils"])
        params = params.replace(
            'councils: ["841"]', f"councils: [{codes}]\ncouncil_names: {{{names}}}"
        )
    if case["period"]:
        first, last = case["period"]
        params += f'years:\n  "{YEAR}": {{period_start: {first}, period_end: {last}}}\n'
    return params


def _write(root: Path, case: dict) -> None:
    (root / "params").mkdir(parents=True, exist_ok=True)
    (root / "params" / "anyshire.yaml").write_text(_params(case), encoding="utf-8")
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


@pytest.mark.parametrize("shard", range(SHARDS))
@pytest.mark.parametrize(("label", "dfe"), list(_sessions()))
def test_every_valid_year_renders_every_section_and_reads_right(
    tmp_path_factory, monkeypatch, label, dfe, shard
):
    if dfe:
        monkeypatch.setenv("WORKBOOK_DFE_DIR", dfe)
    else:
        monkeypatch.delenv("WORKBOOK_DFE_DIR", raising=False)
    sections = registry()
    examples = EXAMPLES // SHARDS
    drawn = iter(range(shard * examples, 10**6))  # the PDF sample counts across the shards
    # Hypothesis draws its simplest year first whatever the seed: the first shard renders it,
    # the others draw one more and pass over their first.
    pass_over = [shard > 0]
    with KernelSession(cell_timeout=120) as kernel:
        # The kernel's environment as `workbook run` gives it: the sections publish as in a
        # run (listings handed to the appendix, the analyst's tables to the companion), not
        # as in JupyterLab, where they are widgets to sort and filter that no pack holds.
        kernel.start(
            env={
                paths.HANDOVER_VARIABLE: str(kernel.private_dir),
                APPENDIX_VARIABLE: str(kernel.private_dir / "appendix"),
            }
        )

        @seed(shard)  # each shard draws its own years, the same ones every run
        @settings(
            max_examples=examples + (shard > 0),
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(partnerships())
        def renders(case):
            if pass_over and pass_over.pop():
                return
            root = tmp_path_factory.mktemp("anyshire")
            _write(root, case)
            params = load_params("anyshire", YEAR, root / "params")
            for year in case["years"]:
                raw = read_year("anyshire", year, root / "data")
                _, problems = validate_tables(
                    raw, params.year_of(year), councils=params.council_list()
                )
                assert not problems, [str(p) for p in problems]
            parameters = {
                "partnership": "anyshire",
                "year": YEAR,
                "data_dir": str(root / "data"),
                "params_dir": str(root / "params"),
            }
            rendered = []
            for section in sections:
                executed = kernel.execute(section.notebook, parameters)
                page = str(section_body(executed))
                assert reader_problems(page) == [], (section.id, label, page[:2000])
                rendered.append(rendered_section(section.id, section.title, executed))
            pack = board_pack_html(rendered, params, "1 April 2023")
            assert reader_problems(pack) == [], (label, "board pack")
            assert "<script" not in pack  # a board pack holds no widget or its code
            if next(drawn) % PDF_EVERY == 0:
                write_pdfs([(lay_out(pack), root / "board_pack.pdf")])
                assert len(PdfReader(root / "board_pack.pdf").pages) >= 2  # cover, contents

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
