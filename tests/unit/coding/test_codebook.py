"""The codebook file: what analysts can get wrong is reported naming the file and the key, and the
default codebook carries every theme the issue requires.

Error messages are checked for the file's path and for the theme or sub-theme id (never a list
index), because an analyst fixing a 1,000-line YAML file needs both to find the line.
"""

from __future__ import annotations

import random
import re
import textwrap
from pathlib import Path

import pytest

from workbook.coding.codebook import CodebookError, load_codebook
from workbook.coding.patterns import pattern_to_regex

REQUIRED_THEMES = {
    "neglect",
    "domestic_abuse",
    "parental_mental_health",
    "substance_misuse",
    "family_circumstances",
    "babies_infants",
    "exploitation_missing",
    "sexual_abuse",
    "child_mental_health",
    "disability_health",
    "education",
    "early_help",
    "voice_of_child",
    "engagement",
    "communication_information_sharing",
    "assessment_planning",
    "multi_agency_working",
    "management_oversight",
    "thresholds_decision_making",
    "identity_culture",
    "workforce_capacity",
    "adult_safeguarding",
}

VALID = """\
version: "2.0"
themes:
  - id: harm
    label: Harm
    definition: Harm to a child.
    negatable: true
    subthemes:
      - id: harm_general
        label: Harm in general
        patterns:
          - harm
  - id: practice
    label: Practice
    definition: How professionals worked.
    subthemes:
      - id: practice_general
        label: Practice in general
        patterns:
          - supervision
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "themes.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    message = str(caught.value)
    assert str(path) in message, "every codebook error must name the file"
    return message


# --------------------------------------------------------------------------------------------------
# The default codebook
# --------------------------------------------------------------------------------------------------


def test_default_codebook_loads_with_every_required_theme():
    codebook = load_codebook()
    assert not REQUIRED_THEMES - set(codebook.theme_ids), "required themes missing"
    assert codebook.version


def test_default_codebook_themes_are_defined_and_labelled():
    for theme in load_codebook().themes:
        assert theme.definition.strip(), theme.id
        assert theme.label.strip(), theme.id
        assert theme.subthemes, theme.id


def test_default_codebook_harms_are_negatable_and_practice_themes_are_not():
    """ "No concerns about neglect" is not a neglect finding; "no evidence of supervision" is a
    supervision finding, so the flag must sit on harms only."""
    codebook = load_codebook()
    for harm in ("neglect", "domestic_abuse", "substance_misuse", "parental_mental_health"):
        assert codebook.theme(harm).negatable
    for practice in ("management_oversight", "assessment_planning", "voice_of_child"):
        assert not codebook.theme(practice).negatable


def test_a_valid_file_loads(tmp_path):
    codebook = load_codebook(write(tmp_path, VALID))
    assert codebook.version == "2.0"
    assert codebook.theme_ids == ["harm", "practice"]
    assert codebook.labels() == {"harm": "Harm", "practice": "Practice"}
    assert codebook.path == tmp_path / "themes.yaml"


def test_a_numeric_version_is_kept_as_its_label(tmp_path):
    assert load_codebook(write(tmp_path, VALID.replace('"2.0"', "1.2"))).version == "1.2"


def test_a_codebook_is_compiled_once_for_its_content_and_again_once_edited(tmp_path):
    """Compiled once a process (a run's sections and the commands ask for it many times), but
    an edit is seen at once, even one keeping the file's size and time stamp."""
    import os

    path = write(tmp_path, VALID)
    first = load_codebook(path)
    assert load_codebook(path) is first
    stamp = path.stat()
    edited = VALID.replace('"2.0"', '"2.1"')
    assert len(edited) == len(VALID)
    path.write_text(textwrap.dedent(edited), encoding="utf-8")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert load_codebook(path).version == "2.1"
    path.write_text(textwrap.dedent(VALID).replace("supervision", ": bad"), encoding="utf-8")
    with pytest.raises(CodebookError):
        load_codebook(path)  # a broken edit is reported, not answered from what was kept


# --------------------------------------------------------------------------------------------------
# Validation errors
# --------------------------------------------------------------------------------------------------


def test_missing_file_is_named(tmp_path):
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(CodebookError, match="does not exist") as caught:
        load_codebook(missing)
    assert str(missing) in str(caught.value)


def test_invalid_yaml_is_named(tmp_path):
    assert "not valid YAML" in error_for(tmp_path, "version: [1\nthemes: x\n")


def test_a_list_instead_of_a_mapping_is_refused(tmp_path):
    assert "must be a mapping" in error_for(tmp_path, "- neglect\n- abuse\n")


def test_unknown_top_level_key_is_named(tmp_path):
    message = error_for(tmp_path, VALID.replace("version:", "vesion:"))
    assert "vesion: unknown key" in message
    assert "version: Field required" in message


def test_unknown_theme_key_names_the_theme_and_the_key(tmp_path):
    message = error_for(tmp_path, VALID.replace("    negatable: true", "    negateable: true"))
    assert "theme 'harm' > negateable: unknown key" in message


def test_unknown_subtheme_key_names_the_subtheme(tmp_path):
    text = VALID.replace("          - supervision", "          - supervision\n        note: x")
    message = error_for(tmp_path, text)
    assert "theme 'practice' > sub-theme 'practice_general' > note: unknown key" in message


def test_missing_definition_names_the_theme(tmp_path):
    text = VALID.replace("    definition: How professionals worked.\n", "")
    message = error_for(tmp_path, text)
    assert "theme 'practice' > definition: Field required" in message
    assert "harm" not in message.split("\n", 1)[1], "only the broken theme is reported"


def test_empty_definition_is_refused(tmp_path):
    message = error_for(tmp_path, VALID.replace("Harm to a child.", '""'))
    assert "theme 'harm' > definition" in message


def test_duplicate_theme_id_is_named(tmp_path):
    message = error_for(tmp_path, VALID.replace("id: practice\n", "id: harm\n"))
    assert "duplicate id 'harm'" in message


def test_duplicate_subtheme_id_names_both_places(tmp_path):
    message = error_for(tmp_path, VALID.replace("id: practice_general", "id: harm_general"))
    assert "duplicate id 'harm_general'" in message
    assert "sub-theme 'harm_general' of theme 'harm'" in message
    assert "sub-theme 'harm_general' of theme 'practice'" in message


def test_a_theme_id_reused_as_a_subtheme_id_is_a_duplicate(tmp_path):
    message = error_for(tmp_path, VALID.replace("id: practice_general", "id: harm"))
    assert "duplicate id 'harm'" in message


def test_bad_id_names_the_theme_item(tmp_path):
    message = error_for(tmp_path, VALID.replace("id: practice\n", "id: Practice Themes\n"))
    assert "theme 'Practice Themes' > id" in message


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("'re:(unclosed'", "not a valid regular expression"),
        ("'re:x*'", "matches empty text"),
        ("'re:(?P<name>abuse)'", "named groups"),
        ("'re:'", "nothing after"),
        ("'... harm'", "'...' must sit between two words"),
        ("'harm ...'", "'...' must sit between two words"),
        ("'***'", "no letters or digits"),
        ("''", "a pattern is empty"),
    ],
)
def test_bad_pattern_names_the_subtheme(tmp_path, pattern, problem):
    message = error_for(tmp_path, VALID.replace("          - harm\n", f"          - {pattern}\n"))
    assert "theme 'harm' > sub-theme 'harm_general' > patterns" in message
    assert problem in message


def test_empty_pattern_list_is_refused(tmp_path):
    text = VALID.replace("        patterns:\n          - harm\n", "        patterns: []\n")
    assert "sub-theme 'harm_general' > patterns" in error_for(tmp_path, text)


def test_a_theme_without_subthemes_is_refused(tmp_path):
    text = VALID.split("  - id: practice")[0].split("    subthemes:")[0] + "    subthemes: []\n"
    assert "theme 'harm' > subthemes" in error_for(tmp_path, text)


def test_every_problem_is_reported_at_once(tmp_path):
    text = VALID.replace("vers", "xvers").replace("    label: Practice\n", "")
    message = error_for(tmp_path, text)
    assert "3 problem(s)" in message
    assert "xversion: unknown key" in message
    assert "theme 'practice' > label: Field required" in message


# --------------------------------------------------------------------------------------------------
# The compiled scan against a pattern-by-pattern reference
# --------------------------------------------------------------------------------------------------


def _reference_hits(codebook, texts: list[str]) -> set[tuple[int, str, str, int]]:
    """Every (text, theme, sub-theme, start) where one pattern, compiled on its own, matches."""
    hits = set()
    for theme in codebook.themes:
        for sub in theme.subthemes:
            for rule in sub.rules:
                phrase = pattern_to_regex(rule.phrase)
                if phrase.is_raw:
                    regex = re.compile(f"(?=(?:{phrase.source}))", re.IGNORECASE)
                else:
                    regex = re.compile(rf"(?<![\w\-])(?=(?:{phrase.source}))")
                for position, text in enumerate(texts):
                    target = text if phrase.is_raw or phrase.case_sensitive else text.lower()
                    for match in regex.finditer(target):
                        hits.add((position, theme.id, sub.id, match.start()))
    return hits


def _scan_hits(codebook, texts: list[str]) -> set[tuple[int, str, str, int]]:
    frame = codebook.scan_many(texts)
    return set(
        zip(
            frame["text"].tolist(),
            frame["theme"].tolist(),
            frame["subtheme"].tolist(),
            frame["start"].tolist(),
            strict=True,
        )
    )


def test_combined_scan_finds_exactly_what_each_pattern_finds_alone():
    """The one-regex-per-kind scan is an optimisation: on texts made of the codebook's own phrases
    (plurals, US spellings, overlaps) it must report the same sub-themes at the same places as
    the patterns would one by one."""
    codebook = load_codebook()
    phrases = []
    for theme in codebook.themes:
        for sub in theme.subthemes:
            for pattern in (rule.phrase for rule in sub.rules):
                if not pattern.startswith("re:"):
                    base = pattern.replace("*", "ing").replace("...", "of the")
                    phrases += [base, base + "s", re.sub("y$", "ies", base), base.upper()]
    rng = random.Random(4)
    texts = [". ".join(rng.sample(phrases, 5)) for _ in range(300)]
    texts += ["no concerns about neglect", "", "MASH smash", "self-neglect and neglect"]
    expected = _reference_hits(codebook, texts)
    assert len(expected) > 1000
    assert _scan_hits(codebook, texts) == expected


OVERLAPS = """\
version: "t"
themes:
  - id: family
    label: Family
    definition: d
    subthemes:
      - id: family_any
        label: Any family
        patterns: [family]
  - id: need
    label: Need
    definition: d
    subthemes:
      - id: families_in_need
        label: Families in need
        patterns: [families in need]
      - id: in_need
        label: Children in need plans
        patterns: [families in need plan]
  - id: raw
    label: Raw
    definition: d
    subthemes:
      - id: missed_neglect
        label: Missed neglect
        patterns: ['re:neglect[^.]*missed']
"""


def test_overlapping_patterns_of_different_themes_and_subthemes_all_count(tmp_path):
    """ "family" (plural "families") and "families in need" start at the same word without one
    being a prefix of the other's spelling; both themes, and both sub-themes of "need", count."""
    codebook = load_codebook(write(tmp_path, OVERLAPS))
    hits = codebook.scan_many(["Families in need plans"])
    found = set(hits[["theme", "subtheme", "start", "end"]].itertuples(index=False, name=None))
    assert found == {
        ("family", "family_any", 0, 8),
        ("need", "families_in_need", 0, 16),
        ("need", "in_need", 0, 22),
    }


def test_no_pattern_matches_across_two_findings(tmp_path):
    codebook = load_codebook(write(tmp_path, OVERLAPS))
    assert codebook.scan_many(["families in", "need"])["theme"].tolist() == ["family"]
    assert codebook.scan_many(["neglect", "missed"]).empty


@pytest.mark.parametrize("boundary", ["", "\\b"])
def test_a_raw_regex_that_could_run_into_the_next_finding_still_matches_its_own(tmp_path, boundary):
    text = OVERLAPS.replace("re:neglect", f"re:{boundary}neglect")
    codebook = load_codebook(write(tmp_path, text))
    hits = codebook.scan_many(["neglect was missed", "and missed again"])
    assert hits[["text", "theme", "start", "end"]].values.tolist() == [[0, "raw", 0, 18]]


RAW = """\
version: "t"
themes:
  - id: raw
    label: Raw
    definition: d
    subthemes:
      - id: anywhere
        label: A branch without a word boundary
        patterns: ['re:\\bwelfare|checks?']
      - id: at_words
        label: Word-start regexes
        patterns: ['re:\\bsupervis(?:ion|or)\\b', 're:\\bcare\\b']
"""


def test_raw_regexes_match_where_their_own_boundaries_allow(tmp_path):
    """A raw regex starting with \\b is scanned word start by word start, and one with a branch
    that has no \\b ("checks" inside "rechecks") still matches inside words."""
    codebook = load_codebook(write(tmp_path, RAW))
    text = "Rechecks by the supervisor; self-welfare and child-care; SUPERVISION; careless"
    hits = codebook.scan_many([text])
    found = sorted(
        (sub, text[start:end])
        for sub, start, end in zip(hits["subtheme"], hits["start"], hits["end"], strict=True)
    )
    assert found == [
        ("anywhere", "checks"),
        ("anywhere", "welfare"),
        ("at_words", "SUPERVISION"),
        ("at_words", "care"),
        ("at_words", "supervisor"),
    ]
