"""A year of Northdale's learning: its reviews and audits (the skeleton, years.yaml), the
findings each makes (phrase banks, phrases.yaml; the analyst's own coding, analyst_themes.yaml)
and the actions answering them (`demo.actions`)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from demo.actions import Actions
from demo.common import PARTNERSHIP, facts, year_bounds


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    names = sorted(weights)
    return rng.choices(names, weights=[weights[n] for n in names])[0]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fill(clause: str, who: str) -> str:
    return clause.format(who=who, whos=who + "'s")


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


class Learning:
    """Draws each year's reviews, audits, findings and actions from the generator it is given,
    in a fixed order."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        skeleton = facts(PARTNERSHIP, "years")
        self.reviews = [Review.of(item) for item in skeleton["reviews"]]
        self.audits = [Audit.of(item) for item in skeleton["audits"]]
        self.weights = skeleton["theme_weights"]
        self.adult_weights = skeleton["adult_theme_weights"]
        self.grades = skeleton["grade_weights"]
        self.banks = facts(PARTNERSHIP, "phrases")
        self.analyst = facts(PARTNERSHIP, "analyst_themes")
        self.agencies = facts(PARTNERSHIP, "agencies")
        self.actions = Actions(rng)

    def year(self, label: str, index: int) -> dict[str, list[dict]]:
        """The year's reviews, audits, findings and actions."""
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
        }

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
            lambda finding, theme: self.actions.answering(
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
            lambda finding, theme: self.actions.answering(
                finding, theme, bank, audit.audit_date, end
            ),
        )
        # One action answers the whole audit: a re-audit.
        actions.append(
            {
                "action_id": f"ND-X-{audit.audit_id[5:]}-REAUDIT",
                "source_id": audit.audit_id,
                "action": f"Re-audit: {audit.title}",
                "owner_agency": facts(PARTNERSHIP, "actions")["category_owners"]["audit"],
                "due_date": (audit.audit_date + timedelta(days=365)).isoformat(),
                "status": "not_started",
            }
        )
        return row, findings, actions

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
