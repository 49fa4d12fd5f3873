"""Free text is inert wherever it is rendered, and the identifier screen flags what it should.

"Inert" is checked by parsing the HTML produced: only an allow-list of tags and attributes may
appear, links only to http(s), mailto or in-page anchors, nothing that fetches (no `src`) and no
event handlers; and for text that is substituted into a page (findings, facts, table cells) the
reader must see exactly the characters the agency wrote.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import write_year
from workbook.disclosure.published import Count, Policy, PublishedTable
from workbook.inputs.loading import read_year
from workbook.inputs.params import load_params
from workbook.inputs.report import Report
from workbook.render import display
from workbook.text import narrative
from workbook.text.safety import (
    Flag,
    find_identifiers,
    render_markdown,
    screen_personal_identifiers,
    screen_year,
    year_text_columns,
)

MALICIOUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "<javascript:alert(1)>",
    "[x]: javascript:alert(1)\n\n[click][x]",
    "![tracker](http://evil.example/pixel.png)",
    '![x](http://evil.example/x.png "t" onerror="alert(1)")',
    "&lt;script&gt;alert(1)&lt;/script&gt; &#60;script&#62; &amp; &copy;",
    "<iframe src=http://evil.example></iframe>",
    "<svg onload=alert(1)>",
    '<div style="background:url(http://evil.example)">x</div>',
    "**bold** __strong__ *em* _em_ ***both*** `code` ~~strike~~",
    "# Heading\n\n> quote\n\n- item\n\n1. one",
    "Title\n=====",
    '[ok](http://example.org "title\\" onmouseover=\\"alert(1)")',
    "<!-- comment --> <![CDATA[x]]> <?php echo 1 ?>",
    "| a | b |\n|---|---|\n| <b>x</b> | <script>y</script> |",
    "```html\n<script>alert(1)</script>\n```",
]

SAFE_TAGS = {
    "p",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "div",
    "figure",
    "figcaption",
    "s",
}
SAFE_ATTRS = {"href", "title", "class", "scope", "style", "start"}
SAFE_HREF = re.compile(r"^(?:https?:|mailto:|#)", re.IGNORECASE)


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.other.append(f"comment {data}")

    def handle_decl(self, decl):
        self.other.append(f"decl {decl}")

    def handle_pi(self, data):
        self.other.append(f"pi {data}")

    def unknown_decl(self, data):
        self.other.append(f"decl {data}")


def inspect(markup: str) -> _Inspector:
    parser = _Inspector()
    parser.feed(markup)
    parser.close()
    return parser


def assert_inert(markup: str) -> None:
    """Only allow-listed tags and attributes, safe links, nothing fetched, nothing run."""
    parsed = inspect(markup)
    assert parsed.other == [], parsed.other
    for tag, attrs in parsed.tags:
        assert tag in SAFE_TAGS, f"<{tag}> in {markup!r}"
        for name, value in attrs.items():
            assert name in SAFE_ATTRS, f"{name}= on <{tag}> in {markup!r}"
            if name == "href":
                assert SAFE_HREF.match(value or ""), value
            if name == "style":
                assert re.fullmatch(r"text-align:(left|right|center)", value or ""), value
            if name == "class":
                assert re.fullmatch(r"[\w -]+", value or ""), value
    lowered = markup.lower()
    for raw in (
        "<script",
        "<img",
        "<iframe",
        "<svg",
        'javascript:"',
        'href="javascript',
        'href="data:',
        'onerror="',
        'src="',
    ):
        assert raw not in lowered, f"{raw} in {markup!r}"


def visible_text(markup: str) -> str:
    return "".join(inspect(markup).text)


# --- render_markdown: analyst Markdown -----------------------------------------------------------


@pytest.mark.parametrize("text", MALICIOUS)
def test_render_markdown_is_inert(text):
    assert_inert(render_markdown(text))


def test_render_markdown_shows_html_as_text():
    out = render_markdown("Before <script>alert(1)</script> after <img src=x onerror=alert(1)>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert visible_text(out).strip() == (
        "Before <script>alert(1)</script> after <img src=x onerror=alert(1)>"
    )


def test_render_markdown_keeps_ordinary_markdown_and_safe_links():
    out = render_markdown(
        "**Strong** and [the report](https://example.org/r.pdf) or "
        "[email](mailto:a@example.org)\n\n- one\n- two"
    )
    assert "<strong>Strong</strong>" in out
    assert '<a href="https://example.org/r.pdf">the report</a>' in out
    assert '<a href="mailto:a@example.org">email</a>' in out
    assert "<li>one</li>" in out


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "vbscript:x",
        "data:text/html,hi",
        "/relative/page",
        "file:///etc/passwd",
    ],
)
def test_render_markdown_drops_unsafe_links(link):
    out = render_markdown(f"[click]({link})")
    assert "<a " not in out
    assert "click" in visible_text(out)


def test_render_markdown_never_fetches_an_image():
    out = render_markdown("![chart](http://evil.example/pixel.png)")
    assert "<img" not in out
    assert "src=" not in out


def test_render_markdown_handles_missing():
    assert render_markdown(None) == ""
    assert render_markdown(float("nan")) == ""


MARKUP_TEXT = st.text(
    alphabet=st.sampled_from(list("<>&\"'/=()[]!*_`#-+.|~\\:;{} \n\taAsScriptimgonerrorjv0123")),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        MARKUP_TEXT,
        st.text(max_size=60),
        st.builds("".join, st.lists(st.sampled_from(MALICIOUS + ["\n", " ", "x"]), max_size=4)),
    )
)
def test_render_markdown_is_inert_for_any_text(text):
    assert_inert(render_markdown(text))


# --- substituted text: findings and facts show exactly as written ------------------------------

ONE_LINE = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn")),
        min_size=1,
        max_size=60,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)


def _render_fact(text: str) -> str:
    markdown = narrative._Env(5).from_string("Finding: {{ finding }}.").render(finding=text)
    return render_markdown(markdown)


@pytest.mark.parametrize("text", [t for t in MALICIOUS if "\n" not in t])
def test_substituted_finding_shows_as_written(text):
    out = _render_fact(text)
    assert_inert(out)
    assert "<a " not in out and "<strong>" not in out and "<em>" not in out
    assert visible_text(out).strip() == f"Finding: {text}."


@settings(max_examples=300, deadline=None)
@given(st.one_of(ONE_LINE, MARKUP_TEXT.map(lambda s: " ".join(s.split())).filter(bool)))
def test_any_substituted_text_shows_exactly_as_written(text):
    out = _render_fact(text)
    assert_inert(out)
    assert [tag for tag, _ in inspect(out).tags] == ["p"]
    assert visible_text(out).strip() == f"Finding: {text}."


def test_render_narrative_escapes_substituted_facts(tiny_project, monkeypatch):
    monkeypatch.setenv("WORKBOOK_ROOT", str(tiny_project))
    folder = tiny_project / "data" / "templates" / "narrative"
    folder.mkdir(parents=True)
    (folder / "probe.md.j2").write_text(
        "{{ agency }} said: {{ finding }}\n\nAgencies: {{ agencies | join_and }}.\n",
        encoding="utf-8",
    )
    for text in MALICIOUS:
        one_line = " ".join(text.split())
        out = narrative.render_narrative(
            "probe.md.j2",
            5,
            agency="<b>Police</b>",
            finding=one_line,
            agencies=["<i>a</i>", one_line],
        )
        assert_inert(out)
        assert "<b>" not in out and "<i>" not in out and "<strong>" not in out
        shown = visible_text(out)
        assert f"<b>Police</b> said: {one_line}" in shown
        assert f"Agencies: <i>a</i> and {one_line}." in shown


# --- display: tables, findings lists, analyst blocks -------------------------------------------


def test_table_html_escapes_cells_columns_caption_and_notes():
    frame = pd.DataFrame({"<b>Agency</b>": MALICIOUS, "count": [3] * len(MALICIOUS)})
    out = display.table_html(
        PublishedTable(
            frame,
            "<script>alert('caption')</script>",
            Policy(5),
            {"count": Count("children")},
            notes="<img src=x onerror=alert('notes')>",
        )
    )
    assert_inert(out)
    shown = visible_text(out)
    for text in MALICIOUS:
        assert text in shown
    assert "<script>alert('caption')</script>" in shown
    assert "<img src=x onerror=alert('notes')>" in shown
    assert "<b>Agency</b>" in shown
    assert '<th scope="col" class="num">count</th>' in out


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=4), st.text(max_size=30))
def test_table_html_escapes_any_text(cells, caption):
    frame = pd.DataFrame({"label": cells, "note": list(reversed(cells))})
    out = display.table_html(PublishedTable(frame, caption, Policy(5)))
    assert_inert(out)
    assert "<script" not in out.lower()


def test_table_via_display_table_escapes_and_suppresses(monkeypatch):
    shown = []
    monkeypatch.setattr(display, "_show", lambda markup, audience="board": shown.append(markup))

    frame = pd.DataFrame({"agency": ["<script>x</script>", "Police"], "n": [3, 12]})
    display.table(PublishedTable(frame, "<i>Caption</i>", Policy(5), {"n": Count("children")}))
    (out,) = shown
    assert_inert(out)
    assert "&lt;script&gt;x&lt;/script&gt;" in out
    assert "&lt;i&gt;Caption&lt;/i&gt;" in out
    assert ">c</td>" in out and ">12</td>" in out and ">3<" not in out


def test_findings_lists_escape_every_finding(monkeypatch):
    shown = []
    monkeypatch.setattr(display, "_show", lambda markup, audience="board": shown.append(markup))
    items = [
        {
            "title": "<script>alert('title')</script>",
            "strength": MALICIOUS[:8],
            "area_for_development": MALICIOUS[8:16],
            "learning": MALICIOUS[16:],
            "recommendation": ["**not bold** [x](javascript:alert(1))"],
        }
    ]
    display.findings_lists(items)
    (out,) = shown
    assert_inert(out)
    assert "<strong>not bold</strong>" not in out
    shown_text = visible_text(out)
    for text in [
        *MALICIOUS,
        "<script>alert('title')</script>",
        "**not bold** [x](javascript:alert(1))",
    ]:
        assert text in shown_text


def test_analyst_block_heading_and_paragraph_are_inert(monkeypatch, tmp_path):
    shown = []
    monkeypatch.setattr(display, "_show", lambda markup, audience="board": shown.append(markup))

    write_year(tmp_path)
    report = Report(
        load_params("testshire", "2019-20", tmp_path / "params"),
        {"narrative": pd.DataFrame({"block": ["foreword"], "markdown": ["\n\n".join(MALICIOUS)]})},
    )
    display.analyst_block(report, "foreword")
    display.analyst_block(report, "governance")  # not supplied: shows nothing
    display.heading("<script>alert(1)</script>")
    display.paragraph("<img src=x onerror=alert(1)>")
    assert len(shown) == 3
    for out in shown:
        assert_inert(out)


# --- the personal-identifier screen ------------------------------------------------------------

FLAGGED = [
    ("full_name", "The review spoke to John Smith about the incident."),
    ("full_name", "Sarah O'Neill attended the strategy meeting."),
    ("full_name", "Contact was made with Jack McDonald and his partner."),
    ("full_name", "Emily Brown-Taylor was seen at school."),
    ("titled_name", "Mr Smith was not invited to the meeting."),
    ("titled_name", "Mrs J. Brown raised concerns with the GP."),
    ("titled_name", "Dr Patel saw the child in clinic."),
    ("titled_name", "Ms O'Brien, the child's aunt, called."),
    ("date_of_birth", "Child A (DOB 12/03/2015) was known to services."),
    ("date_of_birth", "D.O.B. 12.03.2015"),
    ("date_of_birth", "date of birth: 3rd March 2015"),
    ("date_of_birth", "born on 3 March 2015 at home"),
    ("date_of_birth", "born 2015-03-04"),
    ("date_of_birth", "Born on March 3, 2015."),
    ("postcode", "The family moved to DL1 5QT in the summer."),
    ("postcode", "lived near TS18 1AB"),
    ("street_address", "The family lived at 14 Church Lane."),
    ("street_address", "Police attended 3a Victoria Road twice."),
    ("street_address", "Flat 2, 27 High Street"),
    ("phone_number", "Call 01325 406453 for the MASH."),
    ("phone_number", "mobile 07700 900123"),
    ("phone_number", "(01325) 406453"),
    ("phone_number", "+44 7700 900123"),
    ("phone_number", "+44 (0)20 7946 0958"),
    ("email_address", "Email j.smith@example.nhs.uk with concerns."),
    ("nhs_number", "NHS number 485 777 3456 was recorded."),
    ("nhs_number", "NHS no. 485-777-3456"),
    ("nhs_number", "NHS number 4857773456"),
]

NOT_FLAGGED = [
    "Child A was known to Early Help.",
    "The MASH received 1,797 contacts; the MASH manager reviewed them.",
    "Section 47 enquiries rose in the year.",
    "Operation Encompass notifications reached every school.",
    "Darlington Safeguarding Partnership published its annual report.",
    "In October 2019 the partnership agreed its priorities.",
    "Between 01/04/2019 and 31/03/2020 there were 85 child protection plans.",
    "Family J and Child T were subjects of the review.",
    "The child was taken to James Cook University Hospital.",
    "The Royal Victoria Infirmary made a referral.",
    "Barnardo's and Dr Barnardo's services were commissioned.",
    "There were 12 Family Court hearings and 3 Crown Court trials.",
    "The rate was 43.7 per 10,000 children in 2019-20 (DfE).",
    "Referrals rose from 1,234 in 2018-19 to 1,456 in 2019-20.",
    "The 7-minute briefing was read by 400 staff.",
    "Children's social care, health visitors and the police (multi-agency).",
    "Learning was shared through Signs of Safety training in March 2020.",
    "Strategy discussions took place within 24 hours in 95% of cases.",
    "The Independent Scrutineer and the Lead Member met in May 2019.",
    "NHS England and the Clinical Commissioning Group (CCG) agreed.",
    "See https://www.darlington-safeguarding-partnership.co.uk/ for the report.",
]


@pytest.mark.parametrize(("kind", "text"), FLAGGED)
def test_screen_flags_identifiers(kind, text):
    kinds = {found for found, _ in find_identifiers(text)}
    assert kind in kinds, find_identifiers(text)


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_screen_leaves_findings_language_alone(text):
    assert find_identifiers(text) == []


def test_screen_reports_the_words_matched():
    assert find_identifiers("Seen by Mr Smith at 14 Church Lane, DL1 5QT.") == [
        ("postcode", "DL1 5QT"),
        ("street_address", "14 Church Lane"),
        ("titled_name", "Mr Smith"),
    ]
    assert find_identifiers(None) == []
    assert find_identifiers(float("nan")) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_screen_never_raises_and_matches_come_from_the_text(text):
    for kind, match in find_identifiers(text):
        assert isinstance(kind, str) and match in text


def test_screen_personal_identifiers_locates_cells():
    tables = {
        "findings": pd.DataFrame(
            {"finding_id": ["F1", "F2", "F3"], "text": ["Fine.", "Mr Smith said so.", None]}
        ),
        "narrative": pd.DataFrame(
            {"block": ["foreword", "governance"], "markdown": ["Hello", "Call 01325 406453"]}
        ),
    }
    flags = screen_personal_identifiers(
        tables, {"findings": ["text", "absent"], "narrative": ["markdown"], "missing": ["x"]}
    )
    assert flags == [
        Flag("findings", 3, "text", "titled name", "Mr Smith"),
        Flag(
            source="narrative block governance",
            row=None,
            column="markdown",
            kind="phone number",
            match="01325 406453",
        ),
    ]
    assert str(flags[0]) == "findings, row 3, column text: possible titled name: 'Mr Smith'"
    assert str(flags[1]) == (
        "narrative block governance, column markdown: possible phone number: '01325 406453'"
    )


# --- screen_year -------------------------------------------------------------------------------


def test_year_text_columns_are_the_contracts_free_text():
    columns = year_text_columns()
    assert "text" in columns["findings"] and "agency" in columns["findings"]
    assert {"action", "owner_agency", "impact"} <= set(columns["actions"])
    assert columns["narrative"] == ["markdown"]
    assert "subject_pseudonym" in columns["reviews"]
    # Categories, dates, ids and lists are not free text.
    assert "kind" not in columns["findings"] and "finding_id" not in columns["findings"]
    assert "status" not in columns["reviews"] and "themes" not in columns["findings"]


def _year_frames(root):
    return {
        name: raw.frame for name, raw in read_year("testshire", "2019-20", root / "data").items()
    }


def test_screen_year_is_quiet_on_a_clean_year(tiny_project):
    assert screen_year(_year_frames(tiny_project)) == []


def test_screen_year_flags_every_free_text_column(tiny_project):
    folder = tiny_project / "data" / "testshire" / "2019-20"
    (folder / "narrative").mkdir()
    (folder / "narrative" / "foreword.md").write_text(
        "# Foreword\n\nThanks to Mrs Jones for her work.\n", encoding="utf-8"
    )
    findings = (folder / "findings.csv").read_text(encoding="utf-8")
    findings = findings.replace(
        "Chronologies were missing in most cases.",
        "Chronologies for John Smith (DOB 12/03/2015) were missing.",
    )
    (folder / "findings.csv").write_text(findings, encoding="utf-8")
    actions = (folder / "actions.csv").read_text(encoding="utf-8")
    actions = actions.replace("Briefing read by 400 staff", "Email j.smith@example.org")
    (folder / "actions.csv").write_text(actions, encoding="utf-8")
    reviews = (folder / "reviews.csv").read_text(encoding="utf-8")
    (folder / "reviews.csv").write_text(reviews.replace("Child T", "Emily Brown"), encoding="utf-8")

    flags = screen_year(_year_frames(tiny_project))
    found = {(f.source, f.row, f.column, f.kind, f.match) for f in flags}
    assert found == {
        ("narrative block foreword", None, "markdown", "titled name", "Mrs Jones"),
        ("findings", 4, "text", "full name", "John Smith"),
        ("findings", 4, "text", "date of birth", "DOB 12/03/2015"),
        ("actions", 2, "impact", "email address", "j.smith@example.org"),
        ("reviews", 2, "subject_pseudonym", "full name", "Emily Brown"),
    }


@pytest.mark.parametrize(
    ("partnership", "year"),
    [
        ("darlington", "2019-20"),
        ("northdale", "2019-20"),
        ("northdale", "2020-21"),
        ("northdale", "2021-22"),
        ("northdale", "2022-23"),
    ],
)
def test_screen_year_on_the_demo_data_is_clean(partnership, year):
    from workbook.core import paths

    folder = paths.data_dir() / partnership / year
    if not folder.is_dir():
        pytest.skip("demo data not present")
    frames = {name: raw.frame for name, raw in read_year(partnership, year).items()}
    assert screen_year(frames) == []


def test_screen_sees_through_markdown_emphasis():
    assert find_identifiers("**Mr Smith** and _Emily Brown_") == [
        ("titled_name", "Mr Smith"),
        ("full_name", "Emily Brown"),
    ]


def test_multi_line_fact_cannot_become_a_heading():
    markdown = (
        narrative._Env(5)
        .from_string("Finding: {{ finding }}")
        .render(finding="Chronologies were missing\n=====")
    )
    out = render_markdown(markdown)
    assert [tag for tag, _ in inspect(out).tags] == ["p"]


def test_a_flag_names_the_file_it_was_found_in_where_the_sources_are_given():
    tables = {
        "findings": pd.DataFrame({"text": ["Seen by Mrs Jones."]}),
        "narrative": pd.DataFrame({"block": ["foreword"], "markdown": ["Chair: Mrs Smith."]}),
    }
    sources = {
        "findings": "data/x/2019-20/findings.csv",
        "narrative": "data/x/2019-20/narrative/{block}.md",
    }
    flags = [str(flag) for flag in screen_year(tables, sources)]
    assert any(f.startswith("data/x/2019-20/findings.csv, row 2, column text") for f in flags)
    assert any(f.startswith("data/x/2019-20/narrative/foreword.md, column markdown") for f in flags)
