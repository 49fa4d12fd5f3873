"""The yearly report's other parts for Northdale: priorities, voice, training, scrutiny,
changes to the arrangements, relevant agencies and publication (report.yaml). Drawn from a random
generator of their own, so that adding them left every earlier file as it was."""

from __future__ import annotations

import random
from datetime import date, timedelta

from demo.common import PARTNERSHIP, facts, short, year_bounds


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
                {"change_id": f"ND-C-{short(label)}-{n}", "change_date": change.pop("date")}
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
                    "feedback_id": f"ND-V-{short(label)}-{number}",
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
            course_id = f"ND-T-{short(label)}-{item['suffix']}"
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
                    "recommendation_id": f"ND-S-{short(label)}-{number}",
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
