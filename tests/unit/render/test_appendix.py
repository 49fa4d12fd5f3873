"""The appendix beside the board pack, and the pack's listings that send readers to it.

A listing in the pack shows its leading rows and says how many more there are; the appendix holds
every row, published by the same table (so withholding the same cells), as a formatted sheet of
appendix.xlsx with every text cell inert, and as a table of appendix.html whose rows can be found
and linked to by their ids.
"""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

import workbook.render.display as show
from workbook.disclosure.published import Count, Policy, PublishedTable
from workbook.inputs.params import load_params
from workbook.render.appendix import (
    APPENDIX_VARIABLE,
    Listing,
    appendix_html,
    collect,
    hand_over,
    in_appendix,
    write_xlsx,
)
from workbook.render.publishing import page_context


def _audits(rows: int, policy: Policy) -> PublishedTable:
    cases = [3 + (i % 9) for i in range(rows)]
    frame = pd.DataFrame(
        {
            "Audit": [f"Audit {i}" for i in range(rows)] + ["All audits"],
            "Cases audited": cases + [sum(cases)],
        }
    )
    return PublishedTable(
        frame, "Audits", policy, {"Cases audited": Count("cases_audited")}, total_row="All audits"
    )


def test_a_pack_listing_shows_its_leading_rows_and_the_total_and_says_how_many_more():
    table = _audits(12, Policy(5))
    shown = table.leading(5, "audits", "every one is in the appendix")
    assert shown.cells["Audit"].tolist() == [f"Audit {i}" for i in range(5)] + ["All audits"]
    assert shown.cells["Cases audited"].iloc[-1] == table.cells["Cases audited"].iloc[-1]
    assert shown.notes == "And 7 more audits: every one is in the appendix."
    assert table.leading(12, "audits", "anywhere") is table  # nothing left out, no note


def test_the_leading_rows_withhold_exactly_what_the_whole_table_withholds():
    strict = Policy(5, frozenset({"cases_audited"}))
    table = _audits(12, strict)
    assert table.any_withheld
    shown = table.leading(5, "audits", "in the appendix")
    expected = table.cells.iloc[[0, 1, 2, 3, 4, 12]].reset_index(drop=True)
    pd.testing.assert_frame_equal(shown.cells, expected)
    assert Listing.of(table, "Audits").rows == [
        list(r) for r in table.cells.itertuples(index=False)
    ]


def test_listings_come_back_in_order_with_sheet_names_a_workbook_accepts(tmp_path):
    table = _audits(2, Policy(5))
    for sheet in ("Audits", "Audits", "Findings: all [2022/23]", "x" * 40):
        hand_over(Listing.of(table, sheet), tmp_path)
    names = [listing.sheet for listing in collect(tmp_path)]
    assert names == ["Audits", "Audits (2)", "Findings  all  2022 23", "x" * 31]
    assert collect(tmp_path / "none") == []


def _findings() -> PublishedTable:
    frame = pd.DataFrame(
        {
            "Id": ["F1", "F2", "F3"],
            "Finding": [
                '=HYPERLINK("http://x","click")',
                "<script>alert(1)</script>",
                "-5 is a plain number",
            ],
            "Findings": [1234, 2, 7],
        }
    )
    return PublishedTable(frame, "Every finding", Policy(5), {"Findings": Count("findings")})


def test_the_workbook_has_a_formatted_sheet_per_listing_and_no_cell_a_spreadsheet_would_run(
    tmp_path,
):
    listings = [
        Listing.of(_findings(), "Findings", anchor="Id"),
        Listing.of(_audits(2, Policy(5)), "Audits"),
    ]
    target = tmp_path / "appendix.xlsx"
    write_xlsx(listings, target, "Testshire: appendix")
    book = load_workbook(target)
    assert book.sheetnames == ["Findings", "Audits"]
    sheet = book["Findings"]
    assert sheet["A1"].value == "Every finding" and sheet["A1"].font.bold
    assert [c.value for c in sheet[2]] == ["Id", "Finding", "Findings"] and sheet["A2"].font.bold
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:C5"
    assert sheet["B3"].value == '\'=HYPERLINK("http://x","click")'
    assert sheet["B3"].data_type == "s"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["C3"].value == 1234 and sheet["C3"].number_format == "#,##0"
    assert book["Audits"]["B5"].value == 7  # the total row, as a number


def test_the_html_lets_a_reader_find_and_link_any_item_by_its_id():
    params = load_params("northdale", "2022-23")
    listings = [
        Listing.of(_findings(), "Findings", anchor="Id"),
        Listing.of(_audits(2, Policy(5)), "Audits"),
    ]
    html = appendix_html(listings, page_context(params, "1 April 2023"))
    for finding in ("F1", "F2", "F3"):
        assert f'<tr id="{finding}">' in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert 'href="#sheet-findings"' in html and 'id="sheet-audits"' in html
    assert "Findings</a> (3)" in html
    assert '<th scope="row"></th>' not in html


def test_every_row_of_an_audit_listing_has_a_header_and_the_total_row_no_id(tmp_path):
    from conftest import facts_of
    from workbook.sections.reviews_audits import audit_listing

    audits = (
        "audit_id,title,audit_type,audit_date,cases_audited,graded_outstanding,graded_good,"
        "graded_requires_improvement,graded_inadequate\n"
        "A1,Neglect,deep_dive,2019-06-01,8,,,,\n"
        "A2,Voice,deep_dive,2019-09-01,3,,,,\n"
    )
    findings = "finding_id,source_type,source_id,text,kind,agency,themes\n"
    actions = (
        "action_id,finding_id,source_id,action,owner_agency,due_date,status,completed_date,impact\n"
    )
    facts = facts_of(tmp_path, {"audits": audits, "findings": findings, "actions": actions})
    listing = Listing.of(audit_listing(facts), "Audits", anchor="Reference")
    assert [row[0] for row in listing.rows] == ["A1", "A2", "All audits"]
    assert [listing.row_id(row) for row in listing.rows] == ["A1", "A2", None]


def test_a_section_hands_its_listing_over_in_a_run_and_shows_it_in_jupyterlab(
    tmp_path, monkeypatch
):
    shown = []
    monkeypatch.setattr(show, "display", lambda item, **_: shown.append(item))
    monkeypatch.delenv(APPENDIX_VARIABLE, raising=False)
    show.appendix(_findings(), "Findings", anchor="Id")
    assert "Appendix: Findings" in shown[0].data and "Every finding" in shown[0].data
    # in JupyterLab: the listing as published, to sort and filter
    assert shown[1].df.equals(_findings().cells)
    shown.clear()
    monkeypatch.setenv(APPENDIX_VARIABLE, str(tmp_path))
    show.appendix(_findings(), "Findings", anchor="Id")
    assert shown == []
    (listing,) = collect(tmp_path)
    assert listing.sheet == "Findings" and listing.anchor == "Id"
    assert [row[0] for row in listing.rows] == ["F1", "F2", "F3"]


def test_an_anchor_must_be_a_column_of_the_table():
    with pytest.raises(KeyError, match="no column 'Ref'"):
        Listing.of(_findings(), "Findings", anchor="Ref")


def _displayed(monkeypatch) -> list[str]:
    shown = []
    monkeypatch.setattr(show, "display", lambda item, **_: shown.append(item.data))
    return shown


def test_findings_lists_show_a_few_sources_with_a_few_findings_each_and_count_the_rest(monkeypatch):
    shown = _displayed(monkeypatch)
    items = [
        {
            "title": f"Review {i}",
            "learning": [{"text": f"Learning {i}.{j}", "id": f"R{i}-F{j}"} for j in range(8)],
        }
        for i in range(7)
    ]
    show.findings_lists(items, limit=5, noun="reviews", where="see the appendix")
    html = shown[0]
    assert html.count("<h3>") == 5 and "Review 4" in html and "Review 5" not in html
    assert html.count("<li>") == 25 and "(R0-F4)" in html and "(R0-F5)" not in html
    assert html.count("And 3 more findings of this review: see the appendix.") == 5
    assert "And 2 more reviews with findings: see the appendix." in html


def test_a_short_list_shares_its_places_between_the_kinds_of_finding(monkeypatch):
    shown = _displayed(monkeypatch)
    item = {
        "title": "Audit",
        **{
            kind: [{"text": f"{kind} {j}", "id": f"{kind}{j}"} for j in range(6)]
            for kind in ("strength", "area_for_development")
        },
    }
    show.findings_lists([item], limit=5, noun="audits", where="appendix")
    html = shown[0]
    assert html.count("(strength") == 3 and html.count("(area_for_development") == 2
    assert "And 7 more findings of this audit: appendix." in html


def test_theme_listings_give_each_themes_leading_findings_and_actions_with_their_ids(monkeypatch):
    shown = _displayed(monkeypatch)
    themes = [
        {
            "theme": "Neglect",
            "findings": [
                {"text": "Not seen <b>", "id": "F1", "kind": "Learning", "themes": ["Housing"]}
            ],
            "above_findings": 0,
            "more_findings": 4,
            "actions": [],
            "above_actions": 0,
            "more_actions": 0,
        },
        {
            "theme": "Housing",
            "findings": [],
            "above_findings": 1,
            "more_findings": 2,
            "actions": [{"text": "Toolkit (Completed).", "id": "X1", "themes": []}],
            "above_actions": 0,
            "more_actions": 0,
        },
    ]
    show.theme_listings(themes, where=in_appendix("Findings", "Actions"))
    html = shown[0]
    assert "<h3>Neglect</h3>" in html and "Learning: Not seen &lt;b&gt;" in html
    assert "Also coded to Housing." in html and "(F1)" in html
    assert "And 4 more findings on this theme." in html
    assert html.count("Not seen") == 1  # printed once, under its first theme, naming the other
    assert "1 other finding on this theme is listed above; and 2 more." in html
    assert "What was done" in html and "(X1)" in html
    # Where the rest are is said once, above the themes, naming both sheets.
    assert html.count("appendix.html") == 1
    assert html.index("appendix.html") < html.index("<h3>Neglect</h3>")
    assert "the sheets “Findings” and “Actions” of appendix.xlsx" in html
    shown.clear()
    show.theme_listings([], where=in_appendix("Findings", "Actions"))
    assert shown == []


def test_a_finding_that_opens_with_its_kind_is_not_given_it_twice(monkeypatch):
    """Northdale 2020-21 printed "Learning: Learning for the partnership: the referral to MARAC
    was delayed"."""
    shown = _displayed(monkeypatch)
    said = "Learning for the partnership: the referral was delayed."
    theme = {
        "theme": "Neglect",
        "findings": [
            {"text": said, "id": "F1", "kind": "Learning", "themes": []},
            {"text": "Plans were late.", "id": "F2", "kind": "Learning", "themes": []},
        ],
        "above_findings": 0,
        "more_findings": 0,
        "actions": [],
        "above_actions": 0,
        "more_actions": 0,
    }
    show.theme_listings([theme], where=in_appendix("Findings"))
    assert f"<li>{said}" in shown[0] and "Learning: Learning" not in shown[0]
    assert "<li>Learning: Plans were late." in shown[0]


def test_an_empty_listing_says_so_instead_of_a_header_only_table():
    params = load_params("northdale", "2022-23")
    nothing = PublishedTable(
        pd.DataFrame({"Id": [], "Action": []}),
        "Every action",
        Policy(5),
        when_empty="No action was recorded for the year.",
    )
    html = appendix_html(
        [Listing.of(nothing, "Actions", anchor="Id")], page_context(params, "1 April 2023")
    )
    assert "No action was recorded for the year." in html
    assert "<table" not in html.split('id="sheet-actions"')[1]
