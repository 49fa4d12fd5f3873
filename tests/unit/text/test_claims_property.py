"""Every generated sentence is a claim its data support, on years shaped like real ones.

Hypothesis writes partnership-years of the shapes real partnerships have (children only, or
with adults; reviews without findings or dates; findings shared by several reviews and audits;
inspections and self-assessments among the audits; actions with and without due dates, some at
a month's or a year's precision; no indicators). Each is validated as a run validates it, its
facts are made, and the sections' sentences are rendered. The oracle below works out the
expected facts from the raw tables itself (it shares no code with `workbook.facts`), and the
test asserts, for every claim the sentences make:

- every value a claim states for a fact is the oracle's value for that fact;
- no forbidden claim for the shape: "overdue" with no open action's due date known, "no new"
  of anything, a review signed off by the safeguarding partners that is not a children's
  review, a partnership audit that is an inspection;
- every row a claim names exists in the year's tables;
- every number a claim prints is among the values it rests on (nothing printed from nowhere).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import facts_of
from workbook.sections import checklist
from workbook.sections import learning_actions as la
from workbook.sections import reviews_audits as ra
from workbook.text.claims import claims_in
from workbook.text.narrative import render_narrative

YEAR_START, YEAR_END = date(2019, 4, 1), date(2020, 3, 31)

CHILDREN_TYPES = ["rapid_review", "cspr", "scr"]
OTHER_TYPES = ["local_learning_review", "other"]
ADULT_TYPES = ["sar", "dhr"]
OWN_AUDITS = ["multi_agency_thematic", "jtai_style", "deep_dive", "observation"]
REPORTED = ["single_agency", "self_assessment", "section_11", "section_175"]
INSPECTIONS = ["ofsted_ilacs", "jtai", "send_area_inspection", "lga_peer_review"]
OPEN = ("in_progress", "not_started")

# A date as real reports give it: (text, first day, last day), or blank.
DATES = [
    ("2019-06-12", date(2019, 6, 12), date(2019, 6, 12)),
    ("May 2019", date(2019, 5, 1), date(2019, 5, 31)),
    ("March 2020", date(2020, 3, 1), date(2020, 3, 31)),
    ("2018-11-20", date(2018, 11, 20), date(2018, 11, 20)),
    ("2019", date(2019, 1, 1), date(2019, 12, 31)),
    ("2019-20", YEAR_START, YEAR_END),
    (None, None, None),
]
COMPLETED_IN_YEAR = ("2020-03-31", date(2020, 3, 31), date(2020, 3, 31))
DUE_DATES = [
    *DATES[:6],
    ("2020-12-31", date(2020, 12, 31), date(2020, 12, 31)),
    ("2021", date(2021, 1, 1), date(2021, 12, 31)),
    (None, None, None),
    (None, None, None),
]


@st.composite
def years(draw):
    """The raw tables of one year (as lists of dicts) and whether it covers adults."""
    adults = draw(st.booleans())
    types = CHILDREN_TYPES + OTHER_TYPES + (ADULT_TYPES if adults else [])
    reviews = [
        {
            "review_id": f"R{n}",
            "review_type": draw(st.sampled_from(types)),
            "notified": draw(st.sampled_from(DATES)),
            # completed no earlier than any notification date above (the contract's date order)
            "completed": draw(st.sampled_from([COMPLETED_IN_YEAR, DATES[2], (None, None, None)])),
        }
        for n in range(draw(st.integers(0, 4)))
    ]
    audits = [
        {
            "audit_id": f"A{n}",
            "audit_type": draw(st.sampled_from(OWN_AUDITS + REPORTED + INSPECTIONS)),
            "cases": draw(st.one_of(st.none(), st.integers(1, 30))),
        }
        for n in range(draw(st.integers(0, 4)))
    ]
    sources = [("review", r["review_id"]) for r in reviews] + [
        ("audit", a["audit_id"]) for a in audits
    ]
    findings = []
    for n in range(draw(st.integers(0, 6)) if sources else 0):
        kind, first = draw(st.sampled_from(sources))
        same = [s for k, s in sources if k == kind]
        ids = draw(st.lists(st.sampled_from(same), min_size=1, max_size=3, unique=True))
        findings.append(
            {
                "finding_id": f"F{n}",
                "source_type": kind,
                "source_id": ";".join(ids),
                "kind": draw(st.sampled_from(["strength", "area_for_development", "learning"])),
            }
        )
    answerable = [f["finding_id"] for f in findings] + [s for _, s in sources]
    actions = [
        {
            "action_id": f"X{n}",
            "answers": draw(st.one_of(st.none(), st.sampled_from(answerable)))
            if answerable
            else None,
            "due": draw(st.sampled_from(DUE_DATES)),
            "status": draw(st.sampled_from(["completed", "in_progress", "not_started"])),
        }
        for n in range(draw(st.integers(0, 6)))
    ]
    return {
        "adults": adults,
        "reviews": reviews,
        "audits": audits,
        "findings": findings,
        "actions": actions,
    }


def _csv(header: str, rows: list[str]) -> str:
    return header + "\n" + "".join(row + "\n" for row in rows)


def tables_of(year: dict) -> dict[str, str]:
    """The year as the CSV files an analyst writes."""
    finding_ids = {f["finding_id"] for f in year["findings"]}
    return {
        "reviews": _csv(
            "review_id,review_type,subject_pseudonym,age_group,notified_date,decided_date,"
            "started_date,completed_date,published_date,status",
            [
                f"{r['review_id']},{r['review_type']},,,{r['notified'][0] or ''},,,"
                f"{r['completed'][0] or ''},,"
                for r in year["reviews"]
            ],
        ),
        "audits": _csv(
            "audit_id,title,audit_type,audit_date,cases_audited,graded_outstanding,graded_good,"
            "graded_requires_improvement,graded_inadequate",
            [
                f"{a['audit_id']},Audit {a['audit_id']},{a['audit_type']},2019-20,"
                f"{a['cases'] if a['cases'] is not None else ''},,,,"
                for a in year["audits"]
            ],
        ),
        "findings": _csv(
            "finding_id,source_type,source_id,text,kind,agency,themes",
            [
                f"{f['finding_id']},{f['source_type']},{f['source_id']},"
                f"Finding {f['finding_id']} about practice.,{f['kind']},multi-agency,"
                for f in year["findings"]
            ],
        ),
        "actions": _csv(
            "action_id,finding_id,source_id,action,owner_agency,due_date,status,completed_date,"
            "impact",
            [
                f"{x['action_id']},"
                f"{x['answers'] if x['answers'] in finding_ids else ''},"
                f"{x['answers'] if x['answers'] and x['answers'] not in finding_ids else ''},"
                f"Action {x['action_id']},Partnership,{x['due'][0] or ''},{x['status']},,"
                for x in year["actions"]
            ],
        ),
        "indicators": "indicator,breakdown,area,period_end,value,unit,target,source,note\n",
    }


def oracle(year: dict) -> dict[str, int | None]:
    """The expected value of each fact, from the raw year alone (None: not recorded)."""
    expected: dict[str, int | None] = {}
    reviews, audits, findings, actions = (
        year[k] for k in ("reviews", "audits", "findings", "actions")
    )
    expected["reviews.total"] = len(reviews) or None
    for kind in {r["review_type"] for r in reviews}:
        expected[f"reviews.type.{kind}"] = sum(r["review_type"] == kind for r in reviews)
    dated = [r for r in reviews if r["notified"][1] is not None]
    new = [r for r in dated if r["notified"][1] >= YEAR_START and r["notified"][2] <= YEAR_END]
    before = [r for r in dated if r["notified"][2] < YEAR_START]
    undated = len(reviews) - len(dated)
    expected["reviews.new"] = None if undated and not new else len(new)
    expected["reviews.carried_forward"] = None if undated and not before else len(before)
    completed = [
        r
        for r in reviews
        if r["completed"][1] is not None
        and r["completed"][1] >= YEAR_START
        and r["completed"][2] <= YEAR_END
    ]
    for kind in {r["review_type"] for r in completed}:
        expected[f"reviews.completed.{kind}"] = sum(r["review_type"] == kind for r in completed)
    kinds = {
        **dict.fromkeys(["multi_agency_thematic", "jtai_style", "deep_dive"], "multi_agency_audit"),
        "observation": "observation",
        "single_agency": "single_agency_audit",
        **dict.fromkeys(["self_assessment", "section_11", "section_175"], "self_assessment"),
        **dict.fromkeys(["ofsted_ilacs", "jtai", "send_area_inspection"], "inspection"),
        "lga_peer_review": "peer_review",
    }
    for kind in {kinds[a["audit_type"]] for a in audits}:
        expected[f"audits.kind.{kind}"] = sum(kinds[a["audit_type"]] == kind for a in audits)
    with_cases = [a for a in audits if a["cases"] is not None]
    expected["audits.with_cases"] = len(with_cases)
    expected["audits.cases_audited"] = sum(a["cases"] for a in with_cases) if with_cases else None
    own_ids = {
        a["audit_id"] for a in audits if kinds[a["audit_type"]] not in ("inspection", "peer_review")
    }
    for kind in ("strength", "area_for_development"):
        expected[f"findings.audits.{kind}"] = sum(
            f["kind"] == kind
            and f["source_type"] == "audit"
            and bool(own_ids & set(f["source_id"].split(";")))
            for f in findings
        )
    expected["actions.total"] = len(actions) or None
    open_ = [x for x in actions if x["status"] in OPEN]
    overdue = [x for x in open_ if x["due"][2] is not None and x["due"][2] <= YEAR_END]
    no_due = [x for x in open_ if x["due"][2] is None]
    expected["actions.overdue"] = None if no_due and not overdue else len(overdue)
    for status in ("completed", "in_progress", "not_started"):
        expected[f"actions.{status}"] = sum(
            x["status"] == status and x not in overdue for x in actions
        )
    expected["actions.from_learning"] = sum(x["answers"] is not None for x in actions)
    return expected


def sentences(facts) -> list[dict]:
    """Every claim of the sections built on the facts, as the pack's HTML carries them."""
    report = facts.report

    def render(template: str, **given) -> str:
        return render_narrative(
            template, report.threshold, partnership=report.partnership, year=report.year, **given
        )

    elements = checklist.year_checklist(facts)
    pages = [
        render("reviews.md.j2", s=ra.review_sentences(facts)),
        render("audits.md.j2", s=ra.audit_sentences(facts)),
        render("actions.md.j2", s=la.action_sentences(facts, la.action_counts(facts))),
        render("checklist.md.j2", c=checklist.board_sentences(facts, elements)),
    ]
    return [claim for page in pages for claim in claims_in(page)]


_DATES_IN_TEXT = re.compile(
    r"\b\d{4}-\d{2}\b|\b(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December) \d{4}\b|\b\d{4}\b"
)


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(year=years())
def test_every_claim_states_the_facts_the_raw_tables_give(tmp_path_factory, year):
    root = tmp_path_factory.mktemp("year")
    facts = facts_of(root, tables_of(year), "covers_adults: true" if year["adults"] else "")
    expected = oracle(year)
    tables = facts.report.tables
    existing = {
        f"{name}/{row_id}"
        for name, key in (
            ("reviews", "review_id"),
            ("audits", "audit_id"),
            ("findings", "finding_id"),
            ("actions", "action_id"),
        )
        for row_id in tables[name][key].astype(str)
    }
    for claim in sentences(facts):
        text = claim["text"]
        for name, value in claim["values"].items():
            if name in expected:
                assert expected[name] is not None, f"{name} is not recorded: {text!r}"
                assert value == str(expected[name]), f"{name}: {value} != {expected[name]}"
        assert set(claim["rows"]) <= existing, text
        printed = {int(n) for n in re.findall(r"\b\d+\b", _DATES_IN_TEXT.sub("", text))}
        stated = {int(v) for v in claim["values"].values() if v.isdigit()}
        assert printed <= stated, f"{text!r} prints {printed - stated} from no fact"
        assert "no new" not in text.lower()
        if "overdue" in text:
            assert expected["actions.overdue"] is not None, text
        if "signed off by the safeguarding partners" in text:
            assert any(f"reviews.completed.{t}" in claim["facts"] for t in CHILDREN_TYPES), text
        if "the partnership ran" in text:
            assert not any(
                f"audits.kind.{k}" in claim["facts"] for k in ("inspection", "peer_review")
            ), text
