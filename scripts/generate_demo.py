"""Generate the fictional demo partnerships: Northdale's four years of realistic synthetic data,
and the small partnership of scripts/demo/<id>/ that shows the rest of the data contract.

Nothing here is real. Northdale Safeguarding Partnership does not exist: its council code
(E06000999), its people (pseudonyms "Child A", "Adult C" only), its reviews, audits, findings,
actions and figures are invented, so that the multi-year parts of the workbook (the thematic
review, trends, actions carried across years, the chain from learning to impact) have substance.

    python scripts/generate_demo.py            # (re)write data/ and params/ of the demos
    python scripts/generate_demo.py --check    # exit 1 if committed files differ from a fresh run

Larger synthetic projects, for benchmarks and the national batch, go into a folder you give
(never into this repository: they are made again in a second from their seed, not committed):

    python scripts/generate_demo.py --root /tmp/x10 --scale 10      # Northdale, 10x the data
    python scripts/generate_demo.py --root /tmp/national --partnerships 150

`--scale N` gives each year N times the reviews, audits, findings and actions: copy 1 is the
committed data, copies 2 to N are drawn from seeds of their own, with ids of their own (ND02-...,
ND03-...); indicators and budget stay those of one partnership. `--partnerships N` writes N
fictional partnerships, northdale001 to northdale<N>, each the size of Northdale and drawn from
its own seed.

This is a small program over data. The phrase banks, the skeleton of each year (its reviews and
audits), the figures, the report's other parts and the narrative are YAML files in
scripts/demo/northdale/; the facts contract v3 added (inspections, joint and thematic reviews,
stated counts, the chain from actions to later audits, effectiveness...) are in its
`contract_v3.yaml`; the second demo partnership is wholly facts, in scripts/demo/<id>/. The code
below is the structure of a year: how findings are drawn from the banks, how actions follow
them, how figures are drawn. Every table's columns are the data contract's
(lib/workbook/specs/contract.yaml), in its order.

The output depends only on the seed: the same seed gives byte-identical files. Everything random is
drawn from ``random.Random`` generators in a fixed order, so changing a phrase bank changes the
data; regenerate and commit both together (``--check`` in the tests catches a forgotten
regeneration).
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import io
import random
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import yaml

from workbook.inputs.contract import load_contract

ROOT = Path(__file__).resolve().parents[1]
DEMO = Path(__file__).resolve().parent / "demo"
PARTNERSHIP = "northdale"
SMALL = "westmarch"
"""The second demo partnership: wholly facts (scripts/demo/westmarch/), no random draws."""


@cache
def facts(partnership: str, name: str):
    """One data file of a demo partnership (scripts/demo/<partnership>/<name>.yaml)."""
    return yaml.safe_load((DEMO / partnership / f"{name}.yaml").read_text(encoding="utf-8"))


def text_file(partnership: str, name: str) -> str:
    return (DEMO / partnership / name).read_text(encoding="utf-8")


YEARS = tuple(facts(PARTNERSHIP, "years")["years"])
DEFAULT_SEED = facts(PARTNERSHIP, "years")["seed"]


def year_bounds(label: str) -> tuple[date, date]:
    start = int(label[:4])
    return date(start, 4, 1), date(start + 1, 3, 31)


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    names = sorted(weights)
    return rng.choices(names, weights=[weights[n] for n in names])[0]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fill(clause: str, who: str) -> str:
    return clause.format(who=who, whos=who + "'s")


def _short(label: str) -> str:
    """A year as Northdale's ids write it: 2022-23 is 2223."""
    return f"{label[2:4]}{label[5:]}"


# --------------------------------------------------------------------------------------------------
# The skeleton: reviews and audits per year (years.yaml), and what an action is (actions.yaml).
# --------------------------------------------------------------------------------------------------


@dataclass
class Review:
    review_id: str
    year: str
    review_type: str
    pseudonym: str
    age_group: str
    dates: tuple  # notified, decided, started, completed, published (None where not reached)
    status: str
    n_findings: int = 0
    focus: dict = field(default_factory=dict)  # extra theme weights

    @property
    def finding_date(self) -> date | None:
        notified, decided, _started, completed, _published = self.dates
        return completed or decided or notified

    @classmethod
    def of(cls, item: dict) -> Review:
        given = [date.fromisoformat(d) for d in item["dates"]]
        dates = tuple((given + [None] * 5)[:5])
        return cls(
            item["review_id"],
            item["year"],
            item["type"],
            item["who"],
            item["age_group"],
            dates,
            item["status"],
            item["findings"],
            item["focus"] or {},
        )


@dataclass
class Audit:
    audit_id: str
    year: str
    title: str
    audit_type: str
    audit_date: date
    focus: str | None
    graded: bool = True
    n_findings: int = 0
    cases: int | None = None

    @classmethod
    def of(cls, item: dict) -> Audit:
        return cls(
            item["audit_id"],
            item["year"],
            item["title"],
            item["type"],
            date.fromisoformat(item["date"]),
            item["focus"],
            item["graded"],
            item["findings"],
            item["cases"],
        )


def _category(action: str) -> str:
    lowered = action.lower()
    for category, words in facts(PARTNERSHIP, "actions")["category_words"].items():
        if any(word in lowered for word in words):
            return category
    return "other"


def _owner(action: str, finding_agency: str, own_share: float) -> str:
    """Who owns an action. `own_share` (a random draw) decides whether the agency the finding is
    about takes a partnership-type action (training, briefing, audit) on itself."""
    owners = facts(PARTNERSHIP, "agencies")["owners"]
    for override in facts(PARTNERSHIP, "actions")["owner_overrides"]:
        if override["words"] in action:
            return owners[override["agency"] or finding_agency]
    category = _category(action)
    if finding_agency != "multi-agency" and (category == "other" or own_share < 0.5):
        return owners[finding_agency]
    return facts(PARTNERSHIP, "actions")["category_owners"].get(category, owners["multi-agency"])


# --------------------------------------------------------------------------------------------------
# A year's reviews, audits, findings and actions, its figures and its narrative.
# --------------------------------------------------------------------------------------------------


class Generator:
    """Northdale's reviews, audits, findings, actions, indicators, budget and narrative, drawn
    from one random generator in a fixed order."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        skeleton = facts(PARTNERSHIP, "years")
        self.reviews = [Review.of(item) for item in skeleton["reviews"]]
        self.audits = [Audit.of(item) for item in skeleton["audits"]]
        self.weights = skeleton["theme_weights"]
        self.adult_weights = skeleton["adult_theme_weights"]
        self.grades = skeleton["grade_weights"]
        self.banks = facts(PARTNERSHIP, "phrases")
        self.analyst = facts(PARTNERSHIP, "analyst_themes")
        self.actions_words = facts(PARTNERSHIP, "actions")
        self.agencies = facts(PARTNERSHIP, "agencies")

    # ---- findings and actions ------------------------------------------------------------------

    def _finding_text(self, bank, theme, kind, who, template_kind, n_cases=None):
        """A finding's text and the analyst's themes for it (from its clause, analyst_themes)."""
        rng = self.rng
        entry = bank[theme]
        templates = self.banks["templates"]
        if kind == "strength":
            chosen = rng.choice(entry["strength"])
            clause = _fill(chosen, who)
            kinds = "strength" if template_kind == "audit" else "review_strength"
            text = rng.choice(templates[kinds]).format(s=clause, S=_cap(clause))
        elif kind == "recommendation":
            chosen = rng.choice(entry["rec"])
            clause = _fill(chosen, who)
            text = rng.choice(templates["recommendation"]).format(r=clause)
        else:
            chosen = rng.choice(entry["afd"])
            clause = _fill(chosen, who)
            if template_kind == "audit":
                afd = templates["area_for_development"]
                options = afd if n_cases and n_cases >= 4 else afd[1:]
                template = rng.choice(options)
                k = rng.randint(2, max(2, (n_cases or 4) - 1))
                text = template.format(p=clause, P=_cap(clause), k=k, n=n_cases)
            else:
                learning = templates["learning"]
                text = rng.choice(learning).format(p=clause, P=_cap(clause), who=who)
        return text, tuple(self.analyst.get(chosen, (theme,)))

    def _agency(self, theme: str, adult: bool, multi: int) -> str:
        """The agency a finding is about: one that works on its theme, or 'multi-agency'."""
        by_theme = self.agencies["by_theme"]
        usual = self.agencies["adult"] if adult else by_theme.get(theme, self.agencies["agencies"])
        if adult and theme in by_theme and theme == "adult_safeguarding":
            usual = by_theme[theme]
        return self.rng.choice(["multi-agency"] * multi + usual)

    def _actions_for(self, finding, theme, bank, source_date, year_end):
        rng = self.rng
        words = self.actions_words
        n = 2 if rng.random() < 0.25 else 1
        rows = []
        for _ in range(n):
            if finding["kind"] == "strength":
                text = rng.choice(words["for_strengths"])
            elif rng.random() < 0.7:
                text = rng.choice(bank[theme]["act"])
            else:
                text = rng.choice(words["generic"])
            agency = finding["agency"]
            if agency == "multi-agency" and text.startswith("Single-agency"):
                agency = rng.choice(self.agencies["by_theme"].get(theme, self.agencies["agencies"]))
            owner = _owner(text, agency, rng.random())
            due = source_date + timedelta(days=rng.randint(30, 300))
            roll = rng.random()
            if due <= year_end:
                status = (
                    "completed"
                    if roll < 0.62
                    else "in_progress"
                    if roll < 0.80
                    else "not_started"
                    if roll < 0.93
                    else "cancelled"
                )
            else:
                status = (
                    "completed" if roll < 0.25 else "in_progress" if roll < 0.75 else "not_started"
                )
            completed = impact = ""
            if status == "completed":
                latest = min(due + timedelta(days=45), year_end)
                span = max(1, (latest - source_date).days)
                completed = (source_date + timedelta(days=rng.randint(1, span))).isoformat()
                if rng.random() < 0.8:
                    b = rng.randint(6, 15)
                    impact = rng.choice(words["impacts"][_category(text)]).format(
                        a=rng.randint(b // 2, b), b=b, n=rng.randint(25, 480)
                    )
            elif status == "in_progress" and rng.random() < 0.4:
                impact = rng.choice(words["in_progress_impacts"])
            elif status == "cancelled":
                impact = "Superseded by a wider partnership action"
            rows.append(
                {
                    "action_id": f"{finding['finding_id'].replace('-F', '-X', 1)}-{len(rows) + 1}",
                    "finding_id": finding["finding_id"],
                    "action": text,
                    "owner_agency": owner,
                    "due_date": due.isoformat(),
                    "status": status,
                    "completed_date": completed,
                    "impact": impact,
                }
            )
        return rows

    def _make_finding(self, fid, source_type, source_id, text, kind, agency, analyst_themes):
        """A finding row; about a quarter carry the analyst's coding: the themes an analyst gave
        its clause by hand (analyst_themes.yaml), independently of the codebook's patterns."""
        themes = ";".join(analyst_themes) if self.rng.random() < 0.25 else ""
        return {
            "finding_id": fid,
            "source_type": source_type,
            "source_id": source_id,
            "text": text,
            "kind": kind,
            "agency": agency,
            "themes": themes,
        }

    def _findings(self, count, weights, draw, source, make_id, agency_of, act):
        """The findings of one review or audit and the actions answering each, drawn in turn:
        `draw()` gives a finding's kind and its subject ("Child B", "the child"), a theme is
        drawn by `weights` and its text written until it differs from the source's others,
        `agency_of(theme)` gives who it is about and `act(finding, theme)` its actions."""
        seen: set[str] = set()
        findings, actions = [], []
        bank = source[2]
        for number in range(1, count + 1):
            kind, who = draw()
            for _ in range(20):
                theme = _weighted(self.rng, weights)
                text, analyst_themes = self._finding_text(
                    bank, theme, kind, who, source[0], n_cases=source[3]
                )
                if text not in seen:
                    break
            seen.add(text)
            agency = agency_of(theme)
            finding = self._make_finding(
                make_id(number), source[0], source[1], text, kind, agency, analyst_themes
            )
            findings.append(finding)
            actions += act(finding, theme)
        return findings, actions

    def _review_rows(self, review: Review, index: int, end: date):
        adult = review.review_type in self.adult_weights
        bank = self.banks["adult" if adult else "child"]
        weights = (
            dict(self.adult_weights[review.review_type])
            if adult
            else {t: w[index] for t, w in self.weights.items()}
        )
        for theme, extra in review.focus.items():
            weights[theme] = weights.get(theme, 0) + extra

        def draw():
            if review.review_type == "rapid_review":
                return "learning", review.pseudonym
            kinds = ["learning", "recommendation", "strength"]
            return self.rng.choices(kinds, weights=[6, 3, 1.5])[0], review.pseudonym

        return self._findings(
            review.n_findings,
            weights,
            draw,
            ("review", review.review_id, bank, None),
            lambda number: f"{review.review_id}-F{number:02d}",
            lambda theme: self._agency(theme, adult, multi=3),
            lambda finding, theme: self._actions_for(
                finding, theme, bank, review.finding_date, end
            ),
        )

    def _audit_rows(self, audit: Audit, index: int, end: date):
        rng = self.rng
        row = {"audit_id": audit.audit_id, "title": audit.title, "audit_type": audit.audit_type}
        row["audit_date"] = audit.audit_date.isoformat()
        cases = audit.cases
        if audit.graded:
            cases = cases or rng.randint(6, 14)
            grades = [0, 0, 0, 0]
            for _ in range(cases):
                grades[rng.choices(range(4), weights=self.grades[index])[0]] += 1
            row.update(
                {
                    "graded_outstanding": grades[0],
                    "graded_good": grades[1],
                    "graded_requires_improvement": grades[2],
                    "graded_inadequate": grades[3],
                }
            )
            strength_share = (grades[0] + grades[1]) / cases
        else:
            strength_share = 0.5
        if cases:
            row["cases_audited"] = cases
        weights = {t: w[index] for t, w in self.weights.items()}
        weights[audit.focus] = weights.get(audit.focus, 0) + 12
        bank = self.banks["child"]

        def draw():
            share = max(0.25, min(0.6, strength_share))
            kind = "strength" if rng.random() < share else "area_for_development"
            return kind, rng.choice(["the child", "the child", "the young person"])

        findings, actions = self._findings(
            audit.n_findings or rng.randint(16, 20),
            weights,
            draw,
            ("audit", audit.audit_id, bank, cases),
            lambda number: f"{audit.audit_id}-F{number:02d}",
            lambda theme: self._agency(theme, False, multi=2),
            lambda finding, theme: self._actions_for(finding, theme, bank, audit.audit_date, end),
        )
        # One action answers the whole audit: a re-audit.
        actions.append(
            {
                "action_id": f"ND-X-{audit.audit_id[5:]}-REAUDIT",
                "source_id": audit.audit_id,
                "action": f"Re-audit: {audit.title}",
                "owner_agency": self.actions_words["category_owners"]["audit"],
                "due_date": (audit.audit_date + timedelta(days=365)).isoformat(),
                "status": "not_started",
            }
        )
        return row, findings, actions

    def year(self, label: str, index: int) -> dict[str, list[dict]]:
        _start, end = year_bounds(label)
        reviews, audits, findings, actions = [], [], [], []
        for review in (r for r in self.reviews if r.year == label):
            dates = ["" if d is None else d.isoformat() for d in review.dates]
            reviews.append(
                {
                    "review_id": review.review_id,
                    "review_type": review.review_type,
                    "subject_pseudonym": review.pseudonym,
                    "age_group": review.age_group,
                    "notified_date": dates[0],
                    "decided_date": dates[1],
                    "started_date": dates[2],
                    "completed_date": dates[3],
                    "published_date": dates[4],
                    "status": review.status,
                }
            )
            more_findings, more_actions = self._review_rows(review, index, end)
            findings += more_findings
            actions += more_actions
        for audit in (a for a in self.audits if a.year == label):
            row, more_findings, more_actions = self._audit_rows(audit, index, end)
            audits.append(row)
            findings += more_findings
            actions += more_actions
        return {
            "reviews": reviews,
            "audits": audits,
            "findings": findings,
            "actions": actions,
            "indicators": self.indicators(label, index),
            "budget": self.budget(label, index),
        }

    # ---- indicators and budget -----------------------------------------------------------------

    def _count(self, base: float, spread: float = 0.03) -> int:
        return max(0, round(base * (1 + self.rng.uniform(-spread, spread))))

    def _pct(self, low: float, high: float) -> float:
        return round(self.rng.uniform(low, high), 1)

    def indicators(self, label: str, index: int) -> list[dict]:
        """The year's figures (indicators.yaml), drawn in the file's order."""
        rng, data = self.rng, facts(PARTNERSHIP, "indicators")
        _, end = year_bounds(label)
        sources = data["sources"]
        rows: list[dict] = []

        def add(
            indicator, value, unit, area="local", breakdown="", target="", source=None, extra=""
        ):
            rows.append(
                {
                    "indicator": indicator,
                    "breakdown": breakdown,
                    "area": area,
                    "period_end": end.isoformat(),
                    "value": value,
                    "unit": unit,
                    "target": target,
                    "source": source or sources["csc"],
                    "note": (data["note"] + " " + extra).strip(),
                }
            )

        population = data["children"][index]
        for item in data["rated"]:
            name = item["id"]
            count = self._count(item["count"][index])
            add(f"{name}_count", count, "count", extra=f"At 31 March {end.year}.")
            add(
                f"{name}_rate",
                round(count / population * 10000, 1),
                "rate_per_10k",
                extra=f"Per 10,000 children aged 0-17 (population {population:,}).",
            )
            for area, value in item["comparators"].items():
                add(
                    f"{name}_rate",
                    round(value * rng.uniform(0.97, 1.03), 1),
                    "rate_per_10k",
                    area=area,
                    source="Illustrative",
                    extra=data["comparator_note"],
                )
            if categories := item.get("categories"):
                values = {
                    k: max(1, v + rng.randint(-3, 3)) for k, v in categories["shares"].items()
                }
                values[next(iter(values))] += 100 - sum(values.values())
                for category, value in values.items():
                    add(
                        categories["indicator"],
                        value,
                        "percent",
                        breakdown=category,
                        extra=categories["note"],
                    )
            if placements := item.get("placements"):
                placed = {
                    k: round(count * v * rng.uniform(0.9, 1.1))
                    for k, v in placements["shares"].items()
                }
                for kind, bounds in placements["small"].items():
                    placed[kind] = rng.randint(*bounds)
                placed[next(iter(placed))] += count - sum(placed.values())
                for placement, value in placed.items():
                    add(
                        placements["indicator"],
                        value,
                        "count",
                        breakdown=placement,
                        extra=f"Placement types sum to the {count} looked-after children.",
                    )
        drawn: dict[str, float] = {}
        for item in data["figures"]:
            drawn[item["id"]] = value = self._figure(item, index, drawn)
            note = item.get("note", "")
            add(
                item["id"],
                value,
                item["unit"],
                target=item.get("target", ""),
                source=sources[item["source"]] if "source" in item else None,
                extra=note.get(label, "") if isinstance(note, dict) else note,
            )
        return rows

    def _figure(self, item: dict, index: int, drawn: dict[str, float]) -> float:
        """One figure of indicators.yaml's `figures` for the year `index`."""

        def this_year(value):
            return value[index] if isinstance(value, list) else value

        if "count" in item:
            return self._count(this_year(item["count"]), item.get("spread", 0.03))
        if "between" in item:
            bounds = item["between"]
            return self._pct(*(bounds[index] if isinstance(bounds[0], list) else bounds))
        if "times" in item:
            times = item["times"]
            return round(drawn[times["of"]] * self.rng.uniform(*times["between"]))
        return this_year(item["value"])

    def budget(self, label: str, index: int) -> list[dict]:
        data = facts(PARTNERSHIP, "budget")
        base = dict(data["contributors"])
        renamed = data["renamed"]
        if label < renamed["before"]:
            base[renamed["as"]] = base.pop(renamed["contributor"])
        rows = []
        for name in sorted(base):
            growth = 1 + data["growth"] * index
            amount = round(base[name] * growth * self.rng.uniform(0.98, 1.02))
            rows.append({"contributor": name, "amount_gbp": amount})
        return rows

    # ---- narrative -----------------------------------------------------------------------------

    def narrative(self, label: str, index: int, tables: dict[str, list[dict]]) -> dict[str, str]:
        data = facts(PARTNERSHIP, "narrative")
        banner = data["banner"] + "\n\n"
        year = data["years"][label]
        counts = {
            "reviews": len({r["review_id"] for r in tables["reviews"]}),
            "audits": len(tables["audits"]),
            "findings": sum(f["source_type"] in ("review", "audit") for f in tables["findings"]),
        }
        children = facts(PARTNERSHIP, "indicators")["children"][index]
        listed = "".join(f"{n}. {p}\n" for n, p in enumerate(year["priorities"], 1))
        return {
            "foreword": banner + data["foreword"].format(label=label, **year) + "\n",
            "local_picture": banner + data["local_picture"].format(children=children) + "\n",
            "priorities": banner + "Priorities for the year:\n\n" + listed,
            "reviews_audits": banner + data["reviews_audits"].format(label=label, **counts) + "\n",
            "looking_ahead": banner + year["looking_ahead"] + "\n",
        }


# --------------------------------------------------------------------------------------------------
# The yearly report's other parts: priorities, voice, training, scrutiny, publication. Drawn from a
# random generator of their own, so that adding them left every earlier file as it was.
# --------------------------------------------------------------------------------------------------


class StatutoryGenerator:
    """The tables of the yearly report's other parts for one fictional year (report.yaml)."""

    def __init__(self, seed: int):
        self.rng = random.Random(f"northdale-statutory-{seed}")
        self.report = facts(PARTNERSHIP, "report")

    def tables(self, label: str, index: int) -> dict[str, list[dict]]:
        start, end = year_bounds(label)
        training, attendance = self.training(label, index)
        return {
            "priorities": self.priorities(label),
            "feedback": self.feedback(label),
            "training": training,
            "training_attendance": attendance,
            "scrutiny_recommendations": self.recommendations(label, start, end),
            "arrangements_changes": [
                {"change_id": f"ND-C-{_short(label)}-{n}", "change_date": change.pop("date")}
                | change
                for n, change in enumerate(map(dict, self.report["changes"][label]), 1)
            ],
            "relevant_agencies": facts(PARTNERSHIP, "agencies")["relevant"],
            "publication": self.publication(label, end),
        }

    def narrative(self, label: str) -> dict[str, str]:
        """The scrutineer's assessment and short introductions to the voice and training parts."""
        data = facts(PARTNERSHIP, "narrative")
        banner = data["banner"] + "\n\n"
        judgement = data["years"][label]["judgement"]
        return {
            "scrutiny": banner + data["scrutiny"].format(label=label, judgement=judgement) + "\n",
            "voice": banner + data["voice"] + "\n",
            "training": banner + data["training"] + "\n",
        }

    def priorities(self, label: str) -> list[dict]:
        rows = []
        for item in self.report["priorities"]:
            if label in item["years"]:
                rated = item["years"][label]
                rows.append(
                    {
                        "priority_id": item["priority_id"],
                        "priority": item["priority"],
                        "success": item["success"],
                        "measures": item["measures"],
                        "indicators": item["indicators"],
                        "lead": item["lead"],
                        "rag_status": rated["rating"],
                        "evidence": rated["evidence"],
                        "barriers": rated["barriers"],
                        "themes": item.get("themes", ""),
                    }
                )
        return rows

    def feedback(self, label: str) -> list[dict]:
        start, _end = year_bounds(label)
        rows = []
        asked = (f for f in self.report["feedback"] if f["year"] == label)
        for number, item in enumerate(asked, 1):
            rows.append(
                {
                    "feedback_id": f"ND-V-{_short(label)}-{number}",
                    "activity": item["activity"],
                    "method": item["method"],
                    "from_whom": item["from_whom"],
                    "participants": self.rng.randint(*item["participants"]),
                    "sought_date": (start + timedelta(days=self.rng.randint(20, 340))).isoformat(),
                    "said": item["said"],
                    "changed": item["changed"],
                    "led_to": item.get("led_to", ""),
                }
            )
        return rows

    def training(self, label: str, index: int) -> tuple[list[dict], list[dict]]:
        rng = self.rng
        courses, attendance = [], []
        agencies = facts(PARTNERSHIP, "agencies")["training"]
        completions = facts(PARTNERSHIP, "indicators")["figures"]
        elearning = next(f for f in completions if f["id"] == "elearning_completions")
        for item in (c for c in self.report["courses"] if c["year"] == label):
            course_id = f"ND-T-{_short(label)}-{item['suffix']}"
            row = {
                "course_id": course_id,
                "title": item["title"],
                "delivery": item["delivery"],
                "themes": item["themes"],
                "reaction_pct": item.get("reaction_pct", ""),
                "results": item.get("results", ""),
            }
            if item["sessions"] is None:  # e-learning: completions, no sessions or scores
                courses.append(row | {"attendances": elearning["count"][index]})
                continue
            n_sessions = rng.randint(*item["sessions"])
            seats = rng.randint(16, 24)
            total = sum(rng.randint(seats - 6, seats) for _ in range(n_sessions))
            before = round(rng.uniform(4.6, 5.8), 1)
            after = round(before + rng.uniform(1.6, 2.8), 1)
            # The follow-up began after the scrutineer's recommendation of the first year.
            followed = index > 0 or item["suffix"] != "VOC"
            courses.append(
                row
                | {
                    "sessions": n_sessions,
                    "attendances": total,
                    "evaluations": round(total * rng.uniform(0.55, 0.8)),
                    "score_before": before,
                    "score_after": after,
                    "score_out_of": 10,
                    "followup_pct": rng.randint(58, 84) if followed else "",
                    "followup_measure": self.report["followup_measure"] if followed else "",
                }
            )
            weights = [rng.uniform(0.5, 3) for _ in agencies]
            shares = [round(total * w / sum(weights)) for w in weights]
            shares[0] += total - sum(shares)
            attendance += [
                {"course_id": course_id, "agency": agency, "attendances": share}
                for agency, share in zip(agencies, shares, strict=True)
                if share > 0
            ]
        return courses, attendance

    def recommendations(self, label: str, start: date, end: date) -> list[dict]:
        rows = []
        made_in = (r for r in self.report["recommendations"] if r["year"] == label)
        for number, item in enumerate(made_in, 1):
            month = item["month"]
            made = date(start.year + (month < 4), month, self.rng.randint(3, 26))
            due = made + timedelta(days=self.rng.randint(90, 200))
            done = ""
            if item["status"] == "completed":
                done = min(due - timedelta(days=self.rng.randint(0, 40)), end).isoformat()
            rows.append(
                {
                    "recommendation_id": f"ND-S-{_short(label)}-{number}",
                    "made_by": item["made_by"],
                    "made_date": made.isoformat(),
                    "recommendation": item["recommendation"],
                    "response": item["response"],
                    "owner": item["owner"],
                    "due_date": due.isoformat(),
                    "status": item["status"],
                    "completed_date": done,
                    "impact": "Reported to the safeguarding partners" if done else "",
                }
            )
        return rows

    def publication(self, label: str, end: date) -> list[dict]:
        delays = self.report["publication_delays"][label]
        published = date(end.year, 9, 30) + timedelta(days=delays["published"])

        def sent(days):
            return "" if days is None else (published + timedelta(days=days)).isoformat()

        return [
            {
                "document": f"Northdale Safeguarding Partnership annual report {label}",
                "kind": "annual_report",
                "published_date": published.isoformat(),
                "url": f"https://northdale.example/annual-report-{label}",
                "sent_to_panel_date": sent(delays["to_panel"]),
                "sent_to_what_works_date": sent(delays["to_what_works"]),
                "note": "Fictional: Northdale and its website do not exist.",
            }
        ]


def with_v3(partnership: str, label: str, tables: dict[str, list[dict]]) -> None:
    """Add what the year's report says that contract v3 holds (contract_v3.yaml): columns of
    generated rows, found by their id (`amend`), and rows of their own (`add`)."""
    year = facts(partnership, "contract_v3").get(label, {})
    contract = load_contract()
    for table, changes in year.get("amend", {}).items():
        key = contract[table].key[0]
        rows = {row[key]: row for row in tables[table]}
        for ident, columns in changes.items():
            rows[ident].update(columns)
    for table, rows in year.get("add", {}).items():
        tables.setdefault(table, [])
        tables[table] += [dict(row) for row in rows]


# --------------------------------------------------------------------------------------------------
# Writing and checking
# --------------------------------------------------------------------------------------------------


def _csv_text(name: str, rows: list[dict]) -> str:
    """A table as the contract lays it out: every column of the contract, in its order; a
    column a row does not give is blank (a key the contract does not know is an error)."""
    buffer = io.StringIO()
    columns = list(load_contract()[name].columns)
    writer = csv.DictWriter(buffer, fieldnames=columns, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


ID_COLUMNS = {
    "reviews": ("review_id",),
    "audits": ("audit_id",),
    "findings": ("finding_id", "source_id"),
    "actions": ("action_id", "finding_id", "source_id"),
}
"""The columns holding Northdale's own references (all start "ND-"), renumbered in copies."""


def _copy_of(tables: dict[str, list[dict]], copy: int) -> dict[str, list[dict]]:
    """Copy number `copy` (2 or more) of a year's reviews, audits, findings and actions, with
    references of its own: ND-RR-2223-01 becomes ND02-RR-2223-01 in copy 2."""
    prefix = f"ND{copy:02d}-"
    renumbered = {}
    for name, columns in ID_COLUMNS.items():
        rows = []
        for row in tables[name]:
            row = dict(row)
            for column in columns:
                if column in row:
                    row[column] = re.sub(r"\bND-", prefix, row[column])
            rows.append(row)
        renumbered[name] = rows
    return renumbered


def build(
    seed: int = DEFAULT_SEED,
    scale: int = 1,
    partnership: str = PARTNERSHIP,
    name: str = "Northdale",
) -> dict[str, str]:
    """Every generated file of Northdale as {path relative to the project root: text}.

    With `scale` N, each year holds N independent draws of the reviews, audits, findings and
    actions (the first is the scale-1 data); `partnership` and `name` label a synthetic
    partnership of a national batch."""
    if scale < 1:
        raise SystemExit(f"--scale must be 1 or more, not {scale}")
    generator, statutory = Generator(seed), StatutoryGenerator(seed)
    copies = [Generator(seed + copy) for copy in range(1, scale)]
    params = text_file(PARTNERSHIP, "params.yaml")
    if name != "Northdale":
        params = params.replace(
            "Northdale Safeguarding Partnership", f"{name} Safeguarding Partnership"
        ).replace("short_name: Northdale", f"short_name: {name}")
    files: dict[str, str] = {f"params/{partnership}.yaml": params}
    counts = {"reviews": set(), "audits": 0, "graded": 0, "findings": 0, "actions": 0}
    counts["answered"] = 0
    for index, label in enumerate(YEARS):
        tables = {**generator.year(label, index), **statutory.tables(label, index)}
        with_v3(PARTNERSHIP, label, tables)
        for copy, extra in enumerate(copies, start=2):
            for table, rows in _copy_of(extra.year(label, index), copy).items():
                tables[table] += rows
        folder = f"data/{partnership}/{label}"
        for table, rows in tables.items():
            files[f"{folder}/{table}.csv"] = _csv_text(table, rows)
        blocks = {**generator.narrative(label, index, tables), **statutory.narrative(label)}
        for block, text in blocks.items():
            files[f"{folder}/narrative/{block}.md"] = text
        counts["reviews"] |= {r["review_id"] for r in tables["reviews"]}
        counts["audits"] += len(tables["audits"])
        counts["graded"] += sum("graded_good" in a for a in tables["audits"])
        counts["findings"] += len(tables["findings"])
        counts["actions"] += len(tables["actions"])
        answering = {i for a in tables["actions"] for i in a.get("finding_id", "").split(";")}
        counts["answered"] += sum(f["finding_id"] in answering for f in tables["findings"])
    least = facts(PARTNERSHIP, "years")["min_findings"]
    if counts["findings"] < least:
        raise SystemExit(f"only {counts['findings']} findings; the demo needs {least}")
    readme = text_file(PARTNERSHIP, "data-readme.md").format(
        seed=seed, first=YEARS[0], last=YEARS[-1], **{**counts, "reviews": len(counts["reviews"])}
    )
    if scale > 1:
        readme += (
            f"\nScaled {scale} times (`--scale {scale}`): copies 2 to {scale} of each "
            f"year's reviews, audits, findings and actions come from seeds {seed + 1} to "
            f"{seed + scale - 1}.\n"
        )
    files[f"data/{partnership}/README.md"] = readme
    return files


def build_small(partnership: str = SMALL) -> dict[str, str]:
    """Every file of the small demo partnership, written from its facts (tables.yaml): its
    parameters, a README, and for each year every table it gives and the required ones (a
    header row where it has no rows), with its narrative blocks."""
    data = facts(partnership, "tables")
    required = [name for name, spec in load_contract().items() if spec.required]
    files = {
        f"params/{partnership}.yaml": text_file(partnership, "params.yaml"),
        f"data/{partnership}/README.md": text_file(partnership, "data-readme.md"),
    }
    for label, year in data["years"].items():
        folder = f"data/{partnership}/{label}"
        tables = {name: [] for name in required} | year["tables"]
        for table, rows in tables.items():
            files[f"{folder}/{table}.csv"] = _csv_text(table, rows)
        for block, text in year.get("narrative", {}).items():
            files[f"{folder}/narrative/{block}.md"] = f"{data['banner']}\n\n{text}\n"
    return files


def _write_files(root: Path, files: dict[str, str], partnership: str) -> list[Path]:
    """Write files under root, replacing data/<partnership> entirely."""
    data = root / "data" / partnership
    if data.exists():
        shutil.rmtree(data)
    written = []
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def write(
    root: Path,
    seed: int = DEFAULT_SEED,
    scale: int = 1,
    partnership: str = PARTNERSHIP,
    name: str = "Northdale",
) -> list[Path]:
    """Write Northdale under root (replacing data/<partnership> entirely), and, for the
    committed demo (scale 1, Northdale itself), the small demo partnership too; return the
    files."""
    written = _write_files(root, build(seed, scale, partnership, name), partnership)
    if scale == 1 and partnership == PARTNERSHIP:
        written += _write_files(root, build_small(), SMALL)
    return written


def write_national(root: Path, partnerships: int, seed: int = DEFAULT_SEED) -> list[str]:
    """N fictional partnerships of Northdale's size, each from its own seed: a national batch.
    Returns their ids."""
    width = max(3, len(str(partnerships)))
    ids = []
    for number in range(1, partnerships + 1):
        ids.append(f"{PARTNERSHIP}{number:0{width}d}")
        write(root, seed + 1000 * number, partnership=ids[-1], name=f"Northdale {number:0{width}d}")
    return ids


def _tree(root: Path) -> set[str]:
    """The demo partnerships' files under root: their data folders and parameters."""
    found = set()
    for partnership in (PARTNERSHIP, SMALL):
        data = root / "data" / partnership
        if data.exists():
            found |= {p.relative_to(root).as_posix() for p in data.rglob("*") if p.is_file()}
        if (root / "params" / f"{partnership}.yaml").exists():
            found.add(f"params/{partnership}.yaml")
    return found


def differences(root: Path, seed: int = DEFAULT_SEED) -> list[str]:
    """How the files under root differ from a fresh generation (empty when identical)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        write(fresh, seed)
        expected, actual = _tree(fresh), _tree(root)
        problems = [f"missing: {p}" for p in sorted(expected - actual)]
        problems += [f"not generated (stale?): {p}" for p in sorted(actual - expected)]
        problems += [
            f"differs: {p}"
            for p in sorted(expected & actual)
            if not filecmp.cmp(fresh / p, root / p, shallow=False)
        ]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="project root to write into (default: this repository)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the files under --root differ from a fresh generation",
    )
    parser.add_argument(
        "--scale",
        type=int,
        default=1,
        metavar="N",
        help="N times the reviews, audits, findings and actions in every year "
        "(needs --root outside this repository)",
    )
    parser.add_argument(
        "--partnerships",
        type=int,
        metavar="N",
        help="write N fictional partnerships northdale001... instead of "
        "Northdale (needs --root outside this repository)",
    )
    args = parser.parse_args(argv)
    synthetic = args.scale != 1 or args.partnerships is not None
    if synthetic and (args.check or args.root.resolve() == ROOT):
        parser.error(
            "--scale and --partnerships write a synthetic project into a folder given "
            "with --root (not this repository), and cannot be checked with --check"
        )
    if args.check:
        problems = differences(args.root, args.seed)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(
                "the demo data are out of date: run python scripts/generate_demo.py",
                file=sys.stderr,
            )
            return 1
        print("the demo data match a fresh generation")
        return 0
    if args.partnerships is not None:
        if args.scale != 1 or args.partnerships < 1:
            parser.error("--partnerships takes a number from 1, and no --scale")
        ids = write_national(args.root, args.partnerships, args.seed)
        print(
            f"wrote {len(ids)} fictional partnerships ({ids[0]} to {ids[-1]}, "
            f"{', '.join(YEARS)}) under {args.root}"
        )
        return 0
    written = write(args.root, args.seed, args.scale)
    also = f" and '{SMALL}'" if args.scale == 1 else ""
    print(
        f"wrote {len(written)} files for the fictional partnerships '{PARTNERSHIP}'{also} "
        f"({', '.join(YEARS)}{f', scale {args.scale}' if args.scale > 1 else ''}) "
        f"under {args.root}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
