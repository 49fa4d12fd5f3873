"""The plain-language check: reading age from textstat, no abbreviations, no listed jargon."""

from __future__ import annotations

from workbook.text.readability import (
    MAX_READING_AGE,
    jargon_in,
    plain_language_problems,
    reading_level,
)

PLAIN = (
    "We are the people who work together to keep children safe. This year we looked at what "
    "went wrong when a child was badly hurt. We learned that workers need to listen to "
    "children. We have changed how we train our staff."
)
HARD = (
    "The safeguarding partners commissioned a multi-agency thematic evaluation encompassing "
    "organisational accountability, interprofessional communication and the operational "
    "effectiveness of contextual safeguarding interventions across the partnership."
)


def test_plain_text_reads_young_and_dense_text_old():
    assert reading_level(PLAIN).reading_age <= MAX_READING_AGE
    assert reading_level(HARD).reading_age > 16
    assert reading_level(PLAIN).reading_ease > reading_level(HARD).reading_ease


def test_markdown_marks_are_not_read_as_words():
    assert reading_level(f"**{PLAIN}**").grade == reading_level(PLAIN).grade


def test_abbreviations_and_jargon_are_found_once_each_in_order():
    text = "The MARAC and the CSPR met. Practitioners and agencies said the MARAC was useful."
    assert jargon_in(text) == ["MARAC", "CSPR", "Practitioners", "agencies"]
    assert jargon_in(PLAIN) == []


def test_problems_say_what_to_write_instead():
    problems = plain_language_problems(HARD)
    assert problems[0].startswith("its reading age is ")
    assert (
        "it uses 'safeguarding partners': write 'the council, the police and the health "
        "service' instead" in problems
    )
    assert (
        "it uses the abbreviation 'JTAI': write the words out in full"
        in plain_language_problems("We did a JTAI audit.")
    )
    assert plain_language_problems(PLAIN) == []
