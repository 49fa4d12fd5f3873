"""Coding findings: the pattern language, negation, analyst overrides, agreement statistics, files,
and a floor under the quality measured on the hand-labelled evaluation set.

The pattern-language tests use a small codebook written here, so they test the language rather
than whatever the default codebook happens to contain; the abbreviation and negation tests use the
default codebook, because those are promises the issue makes about it.
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd
import pytest

from workbook.coding.agreement import agreement, cohens_kappa
from workbook.coding.codebook import load_codebook
from workbook.coding.coder import code_file, code_findings, final_themes
from workbook.coding.findings import parse_theme_list
from workbook.core.errors import WorkbookError
from workbook.core.paths import data_dir

LANGUAGE = """\
version: "lang-1"
themes:
  - id: harm
    label: Harm
    definition: Harms to a child.
    negatable: true
    subthemes:
      - id: neglect
        label: Neglect
        patterns: [neglect, self-neglect]
      - id: behaviour
        label: Behaviour
        patterns: [harmful sexual behaviour]
  - id: practice
    label: Practice
    definition: How professionals worked.
    subthemes:
      - id: families
        label: Families
        patterns: [family, referral]
      - id: spelling
        label: Spelling
        patterns: [organisation, programme, paediatric, centre, judgement, defence]
      - id: wildcard
        label: Wildcards and gaps
        patterns: ["exploit*", "voice ... child*", "child's plan"]
      - id: capitals
        label: Capitals
        patterns: [MASH, SEND, early help]
      - id: supervision
        label: Supervision
        patterns: [supervision]
"""


@pytest.fixture(scope="module")
def language(tmp_path_factory):
    path = tmp_path_factory.mktemp("codebook") / "themes.yaml"
    path.write_text(LANGUAGE, encoding="utf-8")
    return load_codebook(path)


@pytest.fixture(scope="module")
def default():
    return load_codebook()


def findings(*texts: str, themes: list[str] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({"id": [f"F{i}" for i in range(1, len(texts) + 1)], "text": list(texts)})
    if themes is not None:
        frame["themes"] = themes
    return frame


def subthemes_of(text: str, codebook) -> set[str]:
    coded = code_findings(findings(text), codebook)
    return set(coded.loc[coded["source"] == "automatic", "subtheme"])


def themes_of(text: str, codebook) -> set[str]:
    coded = code_findings(findings(text), codebook)
    return set(coded.loc[coded["source"] == "automatic", "theme"])


# --------------------------------------------------------------------------------------------------
# The pattern language
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Neglect was evident.", {"neglect"}),
        ("The neglects were chronic.", {"neglect"}),
        ("The mother was neglectful.", set()),  # no partial words
        ("The adult's self-neglect was missed.", {"neglect"}),  # as self-neglect, not as neglect
        ("Early\u2013help was offered.", {"capitals"}),  # a typeset dash joining words: a hyphen
        ("Housing \u2013 the family moved.", {"families"}),  # a spaced dash separates clauses
        ("Two families moved.", {"families"}),  # y -> ies
        ("Three referrals were made.", {"families"}),
        ("The organization changed.", {"spelling"}),
        ("A parenting program ran.", {"spelling"}),
        ("The pediatric ward.", {"spelling"}),
        ("The children's center.", {"spelling"}),
        ("Professional judgment.", {"spelling"}),
        ("Defense solicitors.", {"spelling"}),
        ("Children were exploited.", {"wildcard"}),
        ("The voice of the child was absent.", {"wildcard"}),
        ("Voice of children was heard.", {"wildcard"}),
        ("The voice of the older children.", {"wildcard"}),  # three words between
        ("The voice of the two older children.", set()),  # four words: too far
        ("The child’s plan was clear.", {"wildcard"}),  # curly apostrophe
        ("The MASH screened it.", {"capitals"}),
        ("The Mash screened it.", set()),  # capitals only match in capitals
        ("They will smash it.", set()),
        ("Please send the form.", set()),
        ("Pupils with SEND.", {"capitals"}),
        ("Early-Help was offered.", {"capitals"}),  # case and hyphen forgiven in ordinary words
        ("early   help was offered", {"capitals"}),
    ],
)
def test_pattern_language(language, text, expected):
    assert subthemes_of(text, language) == expected


def test_longest_phrase_is_the_evidence_and_as_written(language):
    coded = code_findings(findings("HARMFUL Sexual Behaviours were seen."), language)
    assert coded[["subtheme", "evidence"]].values.tolist() == [
        ["behaviour", "HARMFUL Sexual Behaviours"]
    ]


def test_a_typeset_dash_joins_a_word_as_a_hyphen_does(language):
    """A typeset "self\u2013neglect" (copied from a report) is self-neglect, not neglect in it."""
    coded = code_findings(findings("Signs of self\u2013neglect were missed."), language)
    assert coded["evidence"].tolist() == ["self\u2013neglect"]


def test_first_mention_of_a_subtheme_is_the_evidence(language):
    coded = code_findings(findings("A referral, then more referrals."), language)
    assert coded["evidence"].tolist() == ["referral"]


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("The MARAC heard the case.", "domestic_abuse"),
        ("The MARAC heard the case.", "multi_agency_working"),
        ("No S47 enquiry was held.", "multi_agency_working"),
        ("Strategy discussions and section 47 enquiries were late.", "multi_agency_working"),
        ("Signs of CSE were missed.", "exploitation_missing"),
        ("Risk of CCE and county lines.", "exploitation_missing"),
        ("The child was EHE.", "education"),
        ("A TAF was convened.", "multi_agency_working"),
        ("The MASH received the referral.", "thresholds_decision_making"),
        ("Safe sleep advice and SUDI.", "babies_infants"),
        ("Bruising in a non-mobile baby.", "babies_infants"),
        ("Elective home education.", "education"),
        ("Coercive control by the father.", "domestic_abuse"),
        ("The mother's perinatal mental health.", "parental_mental_health"),
    ],
)
def test_default_codebook_knows_the_abbreviations_and_terms(default, text, theme):
    assert theme in themes_of(text, default)


@pytest.mark.parametrize(
    "text", ["Mash the potatoes.", "The cse was lower case.", "She sent a taf.", "A sudi."]
)
def test_abbreviations_do_not_match_ordinary_lower_case_words(default, text):
    themes = themes_of(text, default)
    assert not themes & {"thresholds_decision_making", "multi_agency_working", "babies_infants"}
    assert "exploitation_missing" not in themes


def test_one_finding_can_carry_several_themes(default):
    text = "Domestic abuse and parental alcohol misuse were not recognised by the school."
    assert {"domestic_abuse", "substance_misuse", "education"} <= themes_of(text, default)


# --------------------------------------------------------------------------------------------------
# Negation
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "There were no concerns about neglect.",
        "There was no evidence of domestic abuse.",
        "Neglect was not a feature of this case.",
        "Substance misuse was ruled out.",
        "Domestic abuse did not feature.",
        "Domestic abuse didn’t feature.",
        "Without any concerns of neglect, the case was closed.",
    ],
)
def test_denied_harms_are_not_coded(default, text):
    assert not themes_of(text, default) & {"neglect", "domestic_abuse", "substance_misuse"}


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Neglect was not recognised by professionals.", "neglect"),
        ("There were no concerns. Neglect was evident by the spring.", "neglect"),
        (
            "No concerns were raised at school, but domestic abuse was known to police.",
            "domestic_abuse",
        ),
        ("There was no evidence of management oversight.", "management_oversight"),
    ],
)
def test_missed_harms_and_absent_practice_are_coded(default, text, theme):
    """A harm professionals missed is the learning; so is the absence of good practice, which is
    why practice themes are not negatable."""
    assert theme in themes_of(text, default)


def test_negation_is_clause_by_clause(default):
    text = "There were no concerns about neglect, but domestic abuse was known."
    themes = themes_of(text, default)
    assert "domestic_abuse" in themes
    assert "neglect" not in themes


def test_negation_looks_at_the_mention_only(default):
    """A denial elsewhere in the sentence (of its being discussed) does not deny the neglect."""
    assert "neglect" in themes_of(
        "Neglect was missed; there was no evidence of it being discussed.", default
    )
    assert "neglect" not in themes_of("Concerns about neglect were unfounded.", default)


def test_negation_only_applies_to_negatable_themes(language):
    assert subthemes_of("There was no evidence of supervision.", language) == {"supervision"}
    assert subthemes_of("There was no evidence of neglect.", language) == set()


# --------------------------------------------------------------------------------------------------
# Output shape, uncoded findings, determinism
# --------------------------------------------------------------------------------------------------


def test_uncoded_findings_are_kept_as_one_row(language):
    coded = code_findings(findings("The weather was fine.", "Neglect."), language)
    assert coded["id"].tolist() == ["F1", "F2"]
    uncoded = coded.iloc[0]
    assert uncoded["source"] == "uncoded"
    assert pd.isna(uncoded["theme"]) and pd.isna(uncoded["evidence"])
    assert bool(uncoded["final"])
    assert set(coded["codebook_version"]) == {"lang-1"}


def test_output_columns_keep_the_input_id_name(language):
    frame = findings("Neglect.").rename(columns={"id": "finding_id"})
    coded = code_findings(frame, language)
    assert list(coded.columns) == [
        "finding_id",
        "theme",
        "subtheme",
        "evidence",
        "confidence",
        "source",
        "final",
        "codebook_version",
    ]


def test_coding_is_deterministic_and_follows_input_order(default):
    texts = [
        "Domestic abuse and neglect were known to the MARAC.",
        "Nothing of note.",
        "Supervision was not reflective and chronologies were missing.",
        "Parental alcohol misuse; the school was not told.",
    ]
    first = code_findings(findings(*texts), default)
    again = code_findings(findings(*texts), default)
    pd.testing.assert_frame_equal(first, again)
    assert first["id"].drop_duplicates().tolist() == ["F1", "F2", "F3", "F4"]
    reversed_input = findings(*texts).iloc[::-1].reset_index(drop=True)
    backwards = code_findings(reversed_input, default)
    assert backwards["id"].drop_duplicates().tolist() == ["F4", "F3", "F2", "F1"]
    assert rows_by_finding(first) == rows_by_finding(backwards)


def rows_by_finding(coded: pd.DataFrame) -> dict[str, list[dict]]:
    return {
        ident: rows.drop(columns="id").to_dict("records") for ident, rows in coded.groupby("id")
    }


def test_a_finding_codes_the_same_alone_as_in_a_batch(default):
    """Findings are scanned joined into one batch: neighbours must never change a finding's rows
    (a pattern running on into the next finding, or a negation word from the one before)."""
    texts = [
        "No concerns were noted",
        "about neglect; domestic abuse was missed",
        "MARAC",
        "",
        "Substance misuse was ruled out. Neglect was chronic.",
        "The voice of the",
        "child was not heard and neglect",
        "was not a feature.",
    ]
    batch = code_findings(findings(*texts), default)
    for number, text in enumerate(texts, start=1):
        alone = code_findings(findings(text), default).drop(columns="id")
        mine = batch[batch["id"] == f"F{number}"].drop(columns="id")
        pd.testing.assert_frame_equal(alone.reset_index(drop=True), mine.reset_index(drop=True))


def test_empty_input_gives_empty_output_with_the_columns(language):
    coded = code_findings(findings(), language)
    assert coded.empty
    assert "evidence" in coded.columns and "id" in coded.columns


def test_missing_text_is_treated_as_empty(language):
    frame = pd.DataFrame({"id": ["F1"], "text": [pd.NA]})
    assert code_findings(frame, language)["source"].tolist() == ["uncoded"]


# --------------------------------------------------------------------------------------------------
# Analyst overrides
# --------------------------------------------------------------------------------------------------


def test_analyst_themes_win_and_automatic_rows_are_kept(language):
    frame = findings(
        "Neglect and supervision.",  # analyst says practice only
        "Neglect.",  # analyst left it blank: automatic counts
        themes=["practice", ""],
    )
    coded = code_findings(frame, language)
    first = coded[coded["id"] == "F1"]
    assert first[["source", "theme", "final"]].values.tolist() == [
        ["analyst", "practice", True],
        ["automatic", "harm", False],
        ["automatic", "practice", False],
    ]
    second = coded[coded["id"] == "F2"]
    assert second[["source", "theme", "final"]].values.tolist() == [["automatic", "harm", True]]
    finals = final_themes(coded)
    assert finals[["id", "theme"]].values.tolist() == [["F1", "practice"], ["F2", "harm"]]


def test_analyst_only_finding_is_coded_not_uncoded(language):
    coded = code_findings(findings("The weather.", themes=["harm"]), language)
    assert coded[["source", "theme"]].values.tolist() == [["analyst", "harm"]]


def test_unknown_analyst_theme_names_the_source_finding_and_theme(language):
    frame = findings("Neglect.", "Other.", themes=["harm", "negelct"])
    with pytest.raises(WorkbookError) as caught:
        code_findings(frame, language, source_name="reviews.csv")
    message = str(caught.value)
    assert "reviews.csv" in message and "'negelct'" in message and "F2" in message


def test_theme_lists_forgive_case_spaces_and_repeats():
    assert parse_theme_list(" Domestic Abuse ; neglect;;neglect ") == ["domestic_abuse", "neglect"]
    assert parse_theme_list(None) == [] and parse_theme_list(float("nan")) == []


# --------------------------------------------------------------------------------------------------
# Agreement
# --------------------------------------------------------------------------------------------------


def test_cohens_kappa_textbook_example():
    # Two raters, 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15. Observed agreement 0.7,
    # chance 0.5 x 0.6 + 0.5 x 0.4 = 0.5, so kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    assert cohens_kappa(20, 5, 10, 15) == pytest.approx(0.4)
    assert cohens_kappa(10, 0, 0, 10) == pytest.approx(1.0)
    assert cohens_kappa(0, 10, 10, 0) == pytest.approx(-1.0)


def test_cohens_kappa_is_undefined_when_both_always_say_the_same_thing():
    assert math.isnan(cohens_kappa(0, 0, 0, 10))
    assert math.isnan(cohens_kappa(0, 0, 0, 0))


def coded_rows(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "theme", "source"])


def test_agreement_against_hand_computed_values():
    """Four analyst-coded findings, themes a and b (F5 has no analyst coding and must not count).

    analyst   F1 {a}  F2 {a,b}  F3 {b}    F4 {a}
    automatic F1 {a}  F2 {a}    F3 {a,b}  F4 {}

    a: both 2 (F1,F2), analyst only 1 (F4), automatic only 1 (F3), neither 0. Precision 2/3,
       recall 2/3; observed 2/4, chance .75*.75 + .25*.25 = .625, kappa (.5-.625)/.375 = -1/3.
    b: both 1 (F3), analyst only 1 (F2), automatic only 0, neither 2. Precision 1, recall 1/2;
       observed 3/4, chance .5*.25 + .5*.75 = .5, kappa (.75-.5)/.5 = 0.5.
    overall (8 pooled decisions): both 3, analyst only 2, automatic only 1, neither 2: precision
       3/4, recall 3/5, F1 6/9; observed 5/8, chance 5/8*4/8 + 3/8*4/8 = .5, kappa 0.25.
    """
    coded = coded_rows(
        [
            ("F1", "a", "analyst"),
            ("F1", "a", "automatic"),
            ("F2", "a", "analyst"),
            ("F2", "b", "analyst"),
            ("F2", "a", "automatic"),
            ("F3", "b", "analyst"),
            ("F3", "a", "automatic"),
            ("F3", "b", "automatic"),
            ("F4", "a", "analyst"),
            ("F5", "b", "automatic"),
        ]
    )
    table = agreement(coded, themes=["a", "b"]).set_index("theme")
    assert table["findings"].tolist() == [4, 4, 4]
    assert table.loc["a", ["both", "analyst_only", "automatic_only", "neither"]].tolist() == [
        2,
        1,
        1,
        0,
    ]
    assert table.loc["a", "precision"] == pytest.approx(2 / 3)
    assert table.loc["a", "recall"] == pytest.approx(2 / 3)
    assert table.loc["a", "kappa"] == pytest.approx(-1 / 3)
    assert table.loc["b", "precision"] == pytest.approx(1.0)
    assert table.loc["b", "recall"] == pytest.approx(0.5)
    assert table.loc["b", "kappa"] == pytest.approx(0.5)
    overall = table.loc["overall"]
    assert overall[["both", "analyst_only", "automatic_only", "neither"]].tolist() == [3, 2, 1, 2]
    assert overall["precision"] == pytest.approx(0.75)
    assert overall["recall"] == pytest.approx(0.6)
    assert overall["f1"] == pytest.approx(2 / 3)
    assert overall["kappa"] == pytest.approx(0.25)


def test_agreement_ratios_are_nan_not_zero_when_undefined():
    coded = coded_rows([("F1", "a", "analyst")])
    table = agreement(coded, themes=["a", "b"]).set_index("theme")
    assert math.isnan(table.loc["a", "precision"])  # automatic never said a
    assert table.loc["a", "recall"] == 0
    assert math.isnan(table.loc["b", "recall"])  # nobody said b
    assert math.isnan(table.loc["b", "kappa"])


def test_agreement_from_code_findings(language):
    frame = findings("Neglect and supervision.", "Neglect.", themes=["harm", "practice"])
    table = agreement(code_findings(frame, language), themes=["harm", "practice"])
    harm = table.set_index("theme").loc["harm"]
    # harm: analyst F1; automatic F1 and F2 -> both 1, automatic only 1.
    assert harm[["both", "analyst_only", "automatic_only", "neither"]].tolist() == [1, 0, 1, 0]


# --------------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------------


def write_csv(path, text: str, encoding: str = "utf-8"):
    path.write_text(textwrap.dedent(text), encoding=encoding)
    return path


def test_code_file_writes_the_coded_csv(tmp_path, language):
    source = write_csv(tmp_path / "in.csv", "ID,Text\n7,Neglect was evident.\n8,Nothing.\n")
    target = tmp_path / "out" / "coded.csv"
    code_file(source, target, language)
    written = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert written[["id", "theme", "evidence", "source"]].values.tolist() == [
        ["7", "harm", "Neglect", "automatic"],
        ["8", "", "", "uncoded"],
    ]


def test_code_file_reads_excel_csv_in_windows_1252(tmp_path, language):
    source = write_csv(tmp_path / "in.csv", "id,text\n1,The child’s plan\n", encoding="cp1252")
    coded = code_file(source, tmp_path / "out.csv", language)
    assert coded["evidence"].tolist() == ["child’s plan"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("id,body\n1,x\n", "lacks a 'text' column"),
        ("ref,text\n1,x\n", "lacks an id column"),
        ("id,text\n1,x\n1,y\n", "id repeated: 1"),
        ("id,text\n1,x\n,y\n", "1 finding(s) have no id (rows 3)"),
        ("id,text,themes\n1,x,nope\n", "not in the codebook"),
        ("", "not a readable CSV"),
    ],
)
def test_code_file_errors_name_the_file(tmp_path, language, content, problem):
    source = write_csv(tmp_path / "findings.csv", content)
    with pytest.raises(WorkbookError) as caught:
        code_file(source, tmp_path / "out.csv", language)
    assert str(source) in str(caught.value)
    assert problem in str(caught.value)
    assert not (tmp_path / "out.csv").exists()


def test_code_file_missing_input_is_named(tmp_path, language):
    with pytest.raises(WorkbookError, match="does not exist") as caught:
        code_file(tmp_path / "absent.csv", tmp_path / "out.csv", language)
    assert "absent.csv" in str(caught.value)


# --------------------------------------------------------------------------------------------------
# Quality floor on the evaluation set
# --------------------------------------------------------------------------------------------------


def test_evaluation_set_is_well_formed(default):
    evaluation = pd.read_csv(data_dir() / "codebook" / "evaluation.csv", dtype="string")
    assert evaluation["id"].is_unique
    assert set(evaluation["split"]) == {"tune", "holdout"}
    assert (evaluation["split"] == "holdout").sum() >= 50
    labels = {theme for cell in evaluation["themes"] for theme in parse_theme_list(cell)}
    assert labels <= set(default.theme_ids)


def test_holdout_quality_floor(default):
    """Regression floor, not a target: the benchmark script reports the actual figures. The
    holdout split is text the codebook was not tuned on."""
    evaluation = pd.read_csv(data_dir() / "codebook" / "evaluation.csv", dtype="string")
    holdout = evaluation[evaluation["split"] == "holdout"]
    coded = code_findings(holdout[["id", "text", "themes"]], default)
    overall = agreement(coded, themes=default.theme_ids).set_index("theme").loc["overall"]
    assert overall["findings"] == len(holdout)
    assert overall["f1"] >= 0.75
