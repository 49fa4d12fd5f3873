"""Sense, scope and attribution rules: the rule language on a small codebook written here, then the
default codebook's promises (the word senses, passing mentions, paraphrases and attributions that
issue 16 lists), each with a sentence of its own.
"""

from __future__ import annotations

import pandas as pd
import pytest

from workbook.coding.codebook import CodebookError, load_codebook
from workbook.coding.coder import code_findings
from workbook.coding.rules import sentence_bounds, sentence_ends

RULES = """\
version: "rules-1"
people:
  parent: [parent*, mother*, father*, men, carer*]
  child: [child*, young people]
passing:
  - abuse and neglect
  - agencies such as ...
themes:
  - id: planning
    label: Planning
    definition: Plans for children.
    subthemes:
      - id: plans
        label: Plans
        patterns:
          - phrase: plan
            unless: [action plan, business plan, own ... plan]
            requires: [child*, care, protection]
  - id: harm
    label: Harm
    definition: Harm.
    subthemes:
      - id: neglect
        label: Neglect
        patterns: [neglect, housing]
  - id: adult_mh
    label: Parents' mental health
    definition: d
    subthemes:
      - id: adult_mh_any
        label: d
        patterns:
          - phrase: mental health
            who: [parent]
  - id: child_mh
    label: Children's mental health
    definition: d
    subthemes:
      - id: child_mh_any
        label: d
        patterns:
          - phrase: mental health
            who: [child, unnamed]
"""


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    path = tmp_path_factory.mktemp("codebook") / "themes.yaml"
    path.write_text(RULES, encoding="utf-8")
    return load_codebook(path)


@pytest.fixture(scope="module")
def default():
    return load_codebook()


def themes_of(text: str, codebook) -> set[str]:
    coded = code_findings(pd.DataFrame({"id": ["F1"], "text": [text]}), codebook)
    return set(coded.loc[coded["source"] == "automatic", "theme"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The child protection plan was not reviewed.", {"planning"}),
        ("The care plan drifted.", {"planning"}),
        ("The partnership's action plan was updated.", set()),  # unless: another sense
        ("The business plan for the child care service.", set()),  # unless wins over requires
        ("The plan was not reviewed.", set()),  # requires: no child, care or protection
        ("The plan was late. The child was seen.", set()),  # requires: same sentence only
        ("The child's plan was late; the plan was reviewed.", {"planning"}),
        ("Their own long plan for the child.", set()),  # unless with a gap
    ],
)
def test_unless_and_requires(rules, text, expected):
    assert themes_of(text, rules) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The mother's mental health declined.", {"adult_mh"}),
        ("Men who use services may hide their mental health needs.", {"adult_mh"}),
        ("Children's mental health services were slow.", {"child_mh"}),
        ("The carer cared for a child with poor mental health.", {"child_mh"}),  # nearest before
        ("Mental health of the young people was poor.", {"child_mh"}),  # else the nearest after
        ("Mental health services were under pressure.", {"child_mh"}),  # unnamed
        ("The father said so. Mental health was poor.", {"child_mh"}),  # owner in the sentence
    ],
)
def test_who_takes_the_person_the_mention_is_about(rules, text, expected):
    assert themes_of(text, rules) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Children suffered abuse and neglect.", set()),
        ("Neglect was chronic.", {"harm"}),
        ("Agencies such as housing and the police attended.", set()),
        ("Agencies such as the police attended; housing was poor.", {"harm"}),
    ],
)
def test_passing_mentions_are_not_coded(rules, text, expected):
    assert themes_of(text, rules) == expected


def test_a_rule_naming_an_unknown_people_group_is_refused(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(RULES.replace("who: [parent]", "who: [parents]"), encoding="utf-8")
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    assert "parents" in str(caught.value) and "adult_mh_any" in str(caught.value)


def test_a_rule_with_an_unknown_key_names_the_subtheme(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(RULES.replace("requires:", "require:"), encoding="utf-8")
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    assert "plans" in str(caught.value) and "require" in str(caught.value)


def test_a_broken_context_phrase_is_refused(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(RULES.replace("[action plan,", "['re:(', action plan,"), encoding="utf-8")
    with pytest.raises(CodebookError, match="not a valid regular expression"):
        load_codebook(path)


def test_sentence_bounds():
    text = "First one. Second: part; third\nfourth"
    ends = sentence_ends(text)
    assert text[slice(*sentence_bounds(ends, len(text), 12, 14))].strip() == "Second:"
    assert text[slice(*sentence_bounds(ends, len(text), 20, 22))].strip() == "part;"
    assert text[slice(*sentence_bounds(ends, len(text), 32, 34))] == "fourth"


def test_context_phrases_never_reach_the_scan_output(rules):
    hits = rules.scan_many(["The action plan; abuse and neglect."])
    assert set(hits["theme"]) <= {"planning", "harm"}


# --------------------------------------------------------------------------------------------------
# The default codebook: issue 16's classes of error, each with a sentence of its own
# --------------------------------------------------------------------------------------------------

WORD_SENSE = [
    ("The partnership's action plan was updated every quarter.", "assessment_planning"),
    ("The Children and Young People's Plan sets the priorities.", "assessment_planning"),
    ("The organisational culture discouraged professional debate.", "identity_culture"),
    ("Risk management meetings were held every week.", "management_oversight"),
    ("The risks were allowed to escalate over the summer.", "management_oversight"),
    ("The mother disclosed domestic abuse to the health visitor.", "sexual_abuse"),
    ("Compliance with the audit timetable was good.", "engagement"),
    ("There was good multi-agency engagement with the audit.", "engagement"),
    ("Care coordinators met the young person monthly.", "multi_agency_working"),
    ("The young person was referred to CAMHS.", "thresholds_decision_making"),
    ("Agencies such as housing and the police were invited.", "family_circumstances"),
    ("The young person was engaging in offending behaviour.", "engagement"),
    ("The adult was exploited financially by a neighbour.", "exploitation_missing"),
    ("This briefing summarises learning from recent reviews.", "workforce_capacity"),
]


@pytest.mark.parametrize(("text", "wrong_theme"), WORD_SENSE)
def test_word_senses_that_are_not_the_theme(default, text, wrong_theme):
    assert wrong_theme not in themes_of(text, default)


SENSES_KEPT = [
    ("The child protection plan was not reviewed.", "assessment_planning"),
    ("Professionals did not consider the family's culture and faith.", "identity_culture"),
    ("Practitioners did not escalate their concerns to managers.", "management_oversight"),
    ("The child disclosed sexual abuse at school.", "sexual_abuse"),
    ("Disguised compliance by the parents was not recognised.", "engagement"),
    ("Multi-agency working at the front door was strong.", "multi_agency_working"),
    ("Referrals to children's social care lacked detail.", "thresholds_decision_making"),
]


@pytest.mark.parametrize(("text", "theme"), SENSES_KEPT)
def test_the_theme_sense_is_still_coded(default, text, theme):
    assert theme in themes_of(text, default)


PARAPHRASES = [
    ("Two young people took their own lives within a year.", "child_mental_health"),
    ("He had a known history of sexual offending.", "sexual_abuse"),
    ("The risk of sexual harm from the uncle was not assessed.", "sexual_abuse"),
    ("Children from Black and minoritised communities were referred later.", "identity_culture"),
    ("The mother did not speak English and no one checked her understanding.", "identity_culture"),
    ("Men living in the household were never assessed.", "family_circumstances"),
    ("Staff sickness left the team without cover for months.", "workforce_capacity"),
    ("The school was not told the outcome of its referral.", "communication_information_sharing"),
    ("Referrers did not receive feedback on their referrals.", "communication_information_sharing"),
    ("The impact on the child of living with violence was not understood.", "voice_of_child"),
    ("The children's views lacked representation in the plan.", "voice_of_child"),
    ("The adult was not seen alone; seeing the daughter alone was never tried.", "voice_of_child"),
    ("The father's addiction had worsened.", "substance_misuse"),
    (
        "Records of the 8-week-old's bruising were incomplete; the baby was not seen.",
        "babies_infants",
    ),
    ("Difficulties in recruiting experienced social workers persisted.", "workforce_capacity"),
]


@pytest.mark.parametrize(("text", "theme"), PARAPHRASES)
def test_paraphrases_are_coded(default, text, theme):
    assert theme in themes_of(text, default)


ATTRIBUTION = [
    ("The mother's own childhood neglect was not explored.", "family_circumstances", "neglect"),
    (
        "The father's mental health deteriorated after the birth.",
        "parental_mental_health",
        "child_mental_health",
    ),
    (
        "Carers' mental ill health affected their parenting.",
        "parental_mental_health",
        "child_mental_health",
    ),
    (
        "The young person's mental health deteriorated at school.",
        "child_mental_health",
        "parental_mental_health",
    ),
    (
        "Information about men who express suicidal thoughts should be shared.",
        "parental_mental_health",
        "child_mental_health",
    ),
    (
        "The adult's flat was unkempt and her self-neglect was missed.",
        "adult_safeguarding",
        "neglect",
    ),
]


@pytest.mark.parametrize(("text", "theme", "not_theme"), ATTRIBUTION)
def test_attribution_to_parent_child_or_adult(default, text, theme, not_theme):
    themes = themes_of(text, default)
    assert theme in themes
    assert not_theme not in themes


def test_the_men_in_the_household_carry_parental_mental_health_and_substance_misuse(default):
    text = "The men in the household misused alcohol and had untreated depression."
    assert {"parental_mental_health", "substance_misuse", "family_circumstances"} <= themes_of(
        text, default
    )


def test_rules_apply_to_each_finding_of_a_batch_alone(default):
    texts = ["The action plan was late.", "The care plan was late.", "Abuse and neglect."]
    coded = code_findings(pd.DataFrame({"id": ["A", "B", "C"], "text": texts}), default)
    automatic = coded[coded["source"] == "automatic"]
    assert set(automatic.loc[automatic["id"] == "B", "theme"]) == {"assessment_planning"}
    assert automatic[automatic["id"].isin(["A", "C"])].empty


def test_the_rule_language_is_documented_in_the_codebook():
    header = load_codebook().path.read_text(encoding="utf-8").split("\nversion:")[0]
    for word in ("unless", "requires", "who", "people:", "passing:", "source_types:"):
        assert word in header
