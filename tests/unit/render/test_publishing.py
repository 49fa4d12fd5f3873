"""Publishing: the pack is laid out once, sections are its pages, PDFs are written in parallel."""

from __future__ import annotations

import os

import pytest
from markupsafe import Markup
from pypdf import PdfReader

from workbook.core.errors import WorkbookError
from workbook.disclosure.published import Policy
from workbook.inputs.params import load_params
from workbook.render.companion import companion_html, data_notes, parameters_in_words
from workbook.render.gate import publishable_cells
from workbook.render.pdf import lay_out, section_extracts, write_pdfs
from workbook.render.publishing import Section, board_pack_html, section_html

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def pack():
    """A small pack: two sections, the second long enough to run over several pages."""
    params = load_params("northdale", "2022-23")
    sections = [
        Section("local_picture", "Local picture and performance", Markup("<p>One page.</p>")),
        Section(
            "thematic_review",
            "Thematic review of learning",
            Markup("".join(f"<h2>Theme {i}</h2><p>{'Words. ' * 200}</p>" for i in range(8))),
        ),
    ]
    html = board_pack_html(sections, params, "1 April 2023")
    return lay_out(html), sections, params


def test_sections_are_the_pages_between_their_headings(pack):
    """The thematic review flows on below the local picture (specs/pack.yaml): the page they
    share is in both sections' PDFs; the last runs to the end of the pack."""
    document, sections, params = pack
    extracts = section_extracts(document, sections, params)
    first = extracts["local_picture"].pages
    second = extracts["thematic_review"].pages
    start = document.pages.index(first[0])
    assert first == [document.pages[start]] and second[0] is document.pages[start]
    assert second == document.pages[start:]  # the last section runs to the end
    assert extracts["thematic_review"].metadata.title == (
        "Thematic review of learning | Northdale Safeguarding Partnership (fictional) 2022-23"
    )
    assert document.metadata.title != extracts["thematic_review"].metadata.title


def test_a_section_that_opens_a_part_starts_a_page_of_its_own(pack):
    document, sections, params = pack
    html = board_pack_html(
        [sections[0], Section("at_a_glance", "At a glance", Markup("<p>Said.</p>"))],
        params,
        "1 April 2023",
    )
    laid = lay_out(html)
    extracts = section_extracts(
        laid,
        [sections[0], Section("at_a_glance", "At a glance", Markup("<p>Said.</p>"))],
        params,
    )
    assert extracts["local_picture"].pages[-1] is not extracts["at_a_glance"].pages[0]


def test_a_link_to_a_section_goes_where_it_is_or_nowhere(pack):
    """The year at a glance said "See ... and Thematic review of learning." in a pack with no
    thematic review: its pointer follows the answer, in the same paragraph."""
    _, sections, params = pack
    glance = Section(
        "at_a_glance",
        "At a glance",
        Markup(
            '<p><span class="claim">Two reviews.</span>\nSee <a href="#thematic_review">Themes'
            '</a> and <a href="#voice">Voice</a>.</p>'
        ),
    )
    html = board_pack_html([glance, *sections], params, "1 April 2023")
    # a sentence that points to sections names only those in the pack
    assert 'Two reviews.</span>\nSee <a href="#thematic_review">Themes</a>.</p>' in html
    assert "Voice" not in html  # no voice section this year
    page = section_html(glance, params, "1 April 2023", {"thematic_review"})
    assert '<a href="board_pack.html#thematic_review">Themes</a>' in page
    for body in (
        '<p>One.\nSee <a href="#voice">Voice</a>.</p>',
        '<p>See <a href="#voice">V</a>.</p>',
    ):
        nowhere = Section("at_a_glance", "At a glance", Markup(body))
        html = board_pack_html([nowhere, *sections], params, "1 April 2023")
        assert "See" not in html and 'href="#voice"' not in html


def test_a_section_missing_from_the_pack_is_an_error(pack):
    document, sections, params = pack
    absent = Section("learning_actions", "Learning into practice", Markup("<p>Actions.</p>"))
    with pytest.raises(WorkbookError, match="learning_actions"):
        section_extracts(document, [*sections, absent], params)


def test_a_section_with_nothing_for_the_board_has_no_pages(pack):
    document, sections, params = pack
    empty = Section("voice", "Voice", Markup(""), Markup("<p>For the analyst.</p>"))
    assert set(section_extracts(document, [*sections, empty], params)) == {
        "local_picture",
        "thematic_review",
    }
    html = board_pack_html([*sections, empty], params, "1 April 2023")
    assert 'id="voice"' not in html and "For the analyst" not in html


def test_pdfs_are_written_in_parallel_and_whole(pack, tmp_path):
    document, sections, params = pack
    extracts = section_extracts(document, sections, params)
    jobs = [
        (document, tmp_path / "pack.pdf"),
        *((extracts[s.id], tmp_path / f"{s.id}.pdf") for s in sections),
    ]
    write_pdfs(jobs)
    counts = [len(PdfReader(target).pages) for _, target in jobs]
    assert counts == [len(d.pages) for d, _ in jobs]


def test_a_failed_write_in_the_child_is_reported(pack, tmp_path):
    document, _, _ = pack
    with pytest.raises(WorkbookError, match="missing.pdf failed"):
        write_pdfs(
            [
                (document, tmp_path / "pack.pdf"),
                (document, tmp_path / "no-such-folder" / "missing.pdf"),
            ]
        )
    assert (tmp_path / "pack.pdf").exists()  # the parent's own write finished


def test_without_fork_the_pdfs_are_written_in_turn(pack, tmp_path, monkeypatch):
    document, _, _ = pack
    monkeypatch.delattr(os, "fork")
    write_pdfs([(document, tmp_path / "a.pdf"), (document, tmp_path / "b.pdf")])
    assert (tmp_path / "a.pdf").read_bytes()[:4] == (tmp_path / "b.pdf").read_bytes()[:4] == b"%PDF"


def test_data_notes_group_figures_that_share_a_note_and_count_the_partnerships_files():
    import pandas as pd

    indicators = pd.DataFrame(
        {
            "indicator": ["cin_rate", "cpp_rate", "cla_rate"],
            "source": ["DfE", "DfE", "Council"],
            "note": ["Revised by DfE.", "Revised by DfE.", None],
        }
    )
    notes = data_notes(
        {"indicators": indicators},
        ["params/x.yaml", "data/x/2022-23/reviews.csv", "data/x/2022-23/audits.csv"],
        Policy(5, frozenset({"reviews"})),
    )
    assert notes["methods"][0].startswith("Counts of people")
    assert "counts of case reviews are withheld in the same way" in notes["methods"][0]
    assert notes["revisions"] == [
        "Rate of child protection plans per 10,000 children; "
        "Rate of children in need per 10,000 children: Revised by DfE."
    ]
    assert notes["sources"][:2] == ["Council", "DfE"]
    assert "(2 files, listed with their hashes under Provenance)" in notes["sources"][-1]


def test_data_notes_name_a_measure_the_catalogue_does_not_know_in_words():
    import pandas as pd

    indicators = pd.DataFrame(
        {"indicator": ["local_only_measure"], "source": ["Council"], "note": ["Counted by hand."]}
    )
    notes = data_notes({"indicators": indicators}, [], Policy(5))
    assert notes["revisions"] == ["local only measure: Counted by hand."]


def test_parameters_read_as_a_reader_writes_them():
    params = load_params("darlington", "2019-20").model_dump(mode="json")
    sections = [
        Section("introduction", "The partnership", Markup("")),
        Section("local_picture", "Local picture and performance", Markup("")),
    ]
    words = parameters_in_words({**params, "sections": ["local_picture"]}, sections)
    assert words["Councils (local authority codes)"] == "841"
    assert words["Covers adults"] == "yes" and words["Fictional demonstration data"] == "no"
    assert words["Sections"] == "Local picture and performance"
    assert words["Targets"] == "Care leavers not in education, employment or training (%): 30"
    assert words["Small-number threshold"] == "5"
    every = parameters_in_words(
        {
            "sections": None,
            "councils": ["841", "807"],
            "a_new_setting": {"withhold_reviews": False},
        },
        sections,
    )
    assert every == {
        "Sections": "The partnership, Local picture and performance (all)",
        "Councils (local authority codes)": "841, 807",
        "A new setting": "withhold reviews: no",
    }
    shown = " ".join(f"{k} {v}" for k, v in words.items())
    assert not any(mark in shown for mark in ["[", "]", "{", "}", "True", "False", "None", "'"])


def test_the_companion_states_the_run_in_words_and_the_pack_names_no_file():
    params = load_params("northdale", "2022-23")
    provenance = {
        "generated_at": "2026-12-01T09:30:00+00:00",
        "fingerprint": "f" * 64,
        "inputs": {"DfE file b1_children_in_need_2013_to_2025.csv": "0" * 64},
        "parameters": params.model_dump(mode="json"),
    }
    sections = [Section("voice", "Voice", Markup("<p>Said.</p>"), Markup("<p>Check.</p>"))]
    html = companion_html(
        sections, params, data_notes({}, [], Policy(5)), provenance, "1 December 2026"
    )
    assert "on 1 December 2026 at 09:30 UTC from the inputs below" in html
    assert '<th scope="row">Covers adults</th><td>yes</td>' in html
    assert "DfE file b1_children_in_need_2013_to_2025.csv" in html
    assert "<p>Check.</p>" in html and "<p>Said.</p>" not in html
    pack = board_pack_html(sections, params, "1 December 2026")
    assert "b1_children_in_need" not in pack and "Provenance" not in pack
    assert "<p>Said.</p>" in pack and "<p>Check.</p>" not in pack
    assert "1 April 2022 to 31 March 2023" in pack  # the cover gives the period
    assert "1 December 2026" not in pack.split('class="colophon"')[0]  # not the render date


def _notebook(*cells):
    """A notebook of Markdown cells (str) and code cells showing HTML as the display layer
    does (lists of HTML, marked for publication)."""
    import nbformat

    from workbook.render.gate import BOARD

    made = []
    for cell in cells:
        if isinstance(cell, str):
            made.append(nbformat.v4.new_markdown_cell(cell))
        else:
            code = nbformat.v4.new_code_cell("show()")
            code.outputs = [
                nbformat.v4.new_output(
                    "display_data",
                    data={"text/html": html, "text/plain": "<IPython.core.display.HTML object>"},
                    metadata={"workbook": {"audience": BOARD}},
                )
                for html in cell
            ]
            made.append(code)
    return nbformat.v4.new_notebook(cells=made)


def _published(notebook) -> list:
    return [
        cell.source
        if cell.cell_type == "markdown"
        else [output.data["text/html"] for output in cell.outputs]
        for cell in publishable_cells(notebook).cells
    ]


def test_a_heading_over_nothing_is_not_published():
    notebook = _notebook(
        "<!-- how to run -->",
        "## Case reviews",
        ["<p>Two reviews.</p>"],
        "## Learning from case reviews",
        [""],
        "## Audits",
        ["<h3>Self-assessment</h3><p>Found.</p>"],
        "## Actions",
        "### Overdue",
        [],
        "## Last",
    )
    assert _published(notebook) == [
        "## Case reviews",
        ["<p>Two reviews.</p>"],
        "## Audits",
        ["<h3>Self-assessment</h3><p>Found.</p>"],
    ]


def test_headings_carry_no_anchor_links_with_no_text():
    from workbook.render.publishing import section_body

    body = section_body(_notebook("## Case reviews", ["<p>Two reviews.</p>"]))
    assert "Case reviews</h2>" in body and "<a " not in body


def test_a_caption_does_not_repeat_the_heading_just_above_it():
    """ "You said, we did" over a table captioned "You said, we did: views sought in 2023-24"
    read as one title printed twice."""
    from workbook.render.publishing import section_body

    def table(caption: str) -> str:
        return f'<table class="data-table"><caption>{caption}</caption><tr><td>1</td></tr></table>'

    body = section_body(
        _notebook(
            "## You said, we did",
            [table("You said, we did: views sought in 2023-24")],
            "## Training",
            [table("Training")],
            "## Actions",
            ["<p>Six actions.</p>", table("Actions by position")],
            "## Audits",
            [table("Audits this year")],
        )
    )
    assert "<caption>Views sought in 2023-24</caption>" in body
    # Adding nothing, the caption stays for screen readers but is not shown.
    assert '<caption class="visually-hidden">Training</caption>' in body
    # A sentence between them: the heading is not just above the table.
    assert "<caption>Actions by position</caption>" in body
    # The heading's word opening a phrase of the caption's own: cut, it would not read.
    assert "<caption>Audits this year</caption>" in body


def test_a_section_titled_by_its_parts_names_only_the_parts_it_shows():
    """Cambridgeshire and Peterborough's "The partnership: foreword, arrangements and budget"
    showed a foreword alone."""
    from workbook.render.publishing import rendered_section
    from workbook.sections import registry

    full = {s.id: s.title for s in registry()}["introduction"]
    foreword = ["<h2>Foreword</h2><p>From the chair.</p>"]
    budget = _notebook("## Budget", ["<p>The partners gave £1.</p>"])
    both = _notebook(foreword, "## Budget", ["<p>The partners gave £1.</p>"])
    assert rendered_section("introduction", full, _notebook(foreword)).title == (
        "The partnership: foreword"
    )
    assert rendered_section("introduction", full, budget).title == "The partnership: budget"
    assert rendered_section("introduction", full, both).title == (
        "The partnership: foreword and budget"
    )
    every = _notebook(["<h2>Foreword</h2><p>A.</p><h2>How the partnership works</h2><p>B.</p>"])
    every.cells += budget.cells
    # With every part shown, the title is the notebook's own: the spec names its parts.
    assert rendered_section("introduction", full, every).title == full
    # A section not titled by its parts keeps its title whatever it shows.
    assert rendered_section("training", "Training", budget).title == "Training"


def test_the_companion_and_the_pack_call_a_section_by_the_title_the_pack_shows():
    """The companion's checklist said "The partnership: foreword, arrangements and budget"
    (its notebook's title, known before the pack was assembled) of a section the pack titles
    "The partnership: foreword and budget"."""
    from workbook.render.publishing import rendered_section
    from workbook.sections import registry

    params = load_params("northdale", "2022-23")
    full = {s.id: s.title for s in registry()}["introduction"]
    intro = rendered_section(
        "introduction", full, _notebook(["<h2>Foreword</h2><p>From the chair.</p>"])
    )
    where = Markup(f"<p>Budget: {full}; arrangements: {full}.</p>")
    checklist = Section("checklist", "Checklist", where, where)
    provenance = {"generated_at": "x", "inputs": {}, "parameters": params.model_dump(mode="json")}
    companion = companion_html(
        [intro, checklist], params, data_notes({}, [], Policy(5)), provenance, "1 December 2026"
    )
    pack = board_pack_html([intro, checklist], params, "1 December 2026")
    for page in (companion, pack):
        assert full not in page
        assert "Budget: The partnership: foreword; arrangements: The partnership: foreword." in page
