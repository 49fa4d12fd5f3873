"""The budget: contributions largest first with shares that add up to 100 and a total, and the
sentence stating each share as the table prints it."""

from __future__ import annotations

import re
from html import unescape

from conftest import facts_of
from workbook.sections.introduction import budget_sentences, budget_table
from workbook.text.claims import claims_in
from workbook.text.narrative import render_narrative

HEADER = "contributor,amount_gbp\n"
BUDGET = HEADER + "Police,30000\nCouncil,120000\nHealth,45000\nTraining fees,5000\n"


def _text(facts) -> str:
    html = render_narrative(
        "budget.md.j2", 5, s=budget_sentences(facts), year=facts.year, partnership=None
    )
    return html


def _plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_budget_table_lists_the_largest_first_with_shares_and_the_total(tmp_path):
    table = budget_table(facts_of(tmp_path, {"budget": BUDGET}))
    assert table.caption == "Contributions to the partnership's budget, 2019-20"
    assert table.cells.to_dict("list") == {
        "Contributor": ["Council", "Health", "Police", "Training fees", "Total"],
        "Amount": ["£120,000", "£45,000", "£30,000", "£5,000", "£200,000"],
        "Share (%)": ["60.0", "22.5", "15.0", "2.5", "100.0"],
    }


def test_shares_add_up_to_the_total_the_table_prints(tmp_path):
    """Three equal contributions rounded one by one give 33.3 three times: 99.9, under a
    total of 100.0. The largest remainder is rounded up instead."""
    equal = HEADER + "Council,10000\nPolice,10000\nHealth,10000\n"
    table = budget_table(facts_of(tmp_path, {"budget": equal}))
    shares = [float(c) for c in table.cells["Share (%)"][:-1]]
    assert round(sum(shares), 1) == 100.0 and sorted(shares) == [33.3, 33.3, 33.4]
    text = _plain(_text(facts_of(tmp_path, {"budget": equal})))
    stated = re.findall(r"\((\d+\.\d)%\)", text)
    assert sorted(float(s) for s in stated) == sorted(shares)  # each as the table prints it


def test_budget_sentence_states_pounds_never_a_small_count(tmp_path):
    """£5,000 of training fees is money: the sentence must not read it as "5 or fewer"."""
    facts = facts_of(tmp_path, {"budget": BUDGET})
    html = _text(facts)
    text = _plain(html)
    assert "budget for 2019-20 was £200,000, from 4 contributors" in text
    assert "Council (60.0%), Health (22.5%) and Police (15.0%)." in text
    [said] = claims_in(html)
    assert said["facts"] == ["budget.total", "budget.contributors"]
    assert sorted(said["rows"]) == ["budget/2", "budget/3", "budget/4", "budget/5"]
    small = facts_of(tmp_path, {"budget": HEADER + "Council,4\n"})
    text = _plain(_text(small))
    assert "was £4, from 1 contributor." in text and "or fewer" not in text


def test_no_budget_shows_nothing(tmp_path):
    """Nothing recorded, nothing shown: no "No budget contributions were recorded" sentence."""
    facts = facts_of(tmp_path, {"budget": HEADER})
    table = budget_table(facts)
    assert table.empty and table.when_empty is None
    assert not facts.budget.total.recorded and facts.budget.total.where == "budget table"
    assert _plain(_text(facts)) == ""


def test_an_empty_narrative_shows_no_block_under_its_heading(tmp_path, monkeypatch):
    """A narrative that says nothing (nothing recorded) must not leave an empty block under
    the notebook's heading: publishing would keep the heading over nothing."""
    from workbook.render import display

    shown = []
    monkeypatch.setattr(display, "_show", lambda markup, audience="board": shown.append(markup))
    facts = facts_of(tmp_path, {"budget": HEADER})
    display.narrative("budget.md.j2", facts.report, s=budget_sentences(facts))
    assert shown == []
    facts = facts_of(tmp_path, {"budget": BUDGET})
    display.narrative("budget.md.j2", facts.report, s=budget_sentences(facts))
    assert len(shown) == 1 and "£200,000" in shown[0]


def test_other_income_is_not_a_contributor(tmp_path):
    """Course fees are income, not a partner's contribution (the budget's `kind`): the sentence
    counts the contributors without them and names the other income in pounds; the table keeps
    every line, its caption saying it holds both."""
    budget = (
        "contributor,amount_gbp,kind\n"
        "Police,30000,\nCouncil,120000,contribution\nHealth,45000,\n"
        "Training fees,5000,other_income\n"
    )
    facts = facts_of(tmp_path, {"budget": budget})
    assert facts.budget.contributors == 3
    assert facts.budget.other_income == 5000
    html = _text(facts)
    text = _plain(html)
    assert "was £200,000, from 3 contributors and £5,000 of other income." in text
    assert "Council (60.0%), Health (22.5%) and Police (15.0%)." in text
    [said] = claims_in(html)
    assert said["facts"] == ["budget.total", "budget.contributors", "budget.other_income"]
    table = budget_table(facts)
    assert table.caption == "The partnership's budget, 2019-20: contributions and other income"
    assert table.cells["Contributor"].tolist()[-2:] == ["Training fees", "Total"]


def test_a_budget_without_kinds_is_all_contributions(tmp_path):
    """A file of the columns before `kind` (or with it blank) reads as it always did."""
    facts = facts_of(tmp_path, {"budget": BUDGET})
    assert facts.budget.contributors == 4
    assert facts.budget.other_income == 0
    assert "other income" not in _plain(_text(facts))
