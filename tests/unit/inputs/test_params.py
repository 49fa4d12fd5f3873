"""Parameters: validated with the file and key named; year overrides applied."""

from __future__ import annotations

import pytest

from conftest import TINY_PARAMS
from workbook.core.errors import ParamsError
from workbook.inputs.params import list_partnerships, load_params


def write_params(tmp_path, text, name="testshire"):
    (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_defaults_and_overrides(tmp_path):
    folder = write_params(
        tmp_path,
        TINY_PARAMS
        + """\
years:
  "2020-21":
    small_number_threshold: 10
    sections: [thematic_review, local_picture]
    pack_listing_limit: 12
""",
    )
    base = load_params("testshire", "2019-20", folder)
    assert base.small_number_threshold == 5
    assert base.sections is None  # every section of the notebooks folder
    assert base.pack_listing_limit == 5
    later = load_params("testshire", "2020-21", folder)
    assert later.small_number_threshold == 10
    assert later.sections == ("thematic_review", "local_picture")
    assert later.pack_listing_limit == 12
    assert later.councils == ("841",)


@pytest.mark.parametrize(
    ("extra", "key", "words"),
    [
        ("colour: blue\n", "colour", "not a parameter: the keys are protective_marking"),
        ("lookbak_years: 3\n", "lookbak_years", "not a parameter: did you mean 'lookback_years'?"),
        (
            "small_number_threshold: lots\n",
            "small_number_threshold",
            "'lots' is not a whole number: write digits only",
        ),
        (
            "small_number_threshold: 0\n",
            "small_number_threshold",
            "0 is too small: write a number of 1 or more",
        ),
        ("lookback_years: 40\n", "lookback_years", "40 is too large: write a number of 10 or less"),
        (
            "protective_marking: SECRETISH\n",
            "protective_marking",
            "'SECRETISH' is not allowed: write one of 'OFFICIAL'",
        ),
        (
            "sections: [thematic_review, Local Picture]\n",
            "sections.1",
            "'Local Picture' is not a section id",
        ),
        ("covers_adults: maybe\n", "covers_adults", "'maybe' is not true or false"),
        (
            "pack_listing_limit: 0\n",
            "pack_listing_limit",
            "0 is too small: write a number of 1 or more",
        ),
    ],
)
def test_bad_values_name_file_and_key(tmp_path, extra, key, words):
    text = (
        "\n".join(
            line
            for line in TINY_PARAMS.splitlines()
            if not line.startswith(extra.split(":")[0] + ":")
        )
        + "\n"
        + extra
    )
    folder = write_params(tmp_path, text)
    with pytest.raises(ParamsError) as caught:
        load_params("testshire", "2019-20", folder)
    message = str(caught.value)
    assert "testshire.yaml" in message
    assert f"key '{key}'" in message
    assert words in message


def test_bad_council_code_and_year_override_key(tmp_path):
    text = TINY_PARAMS.replace('["841"]', '["84"]') + 'years:\n  "2019-20": {colour: red}\n'
    with pytest.raises(ParamsError) as caught:
        load_params("testshire", "2019-20", write_params(tmp_path, text))
    assert "key 'councils.0': '84' is not a council's DfE code: three digits" in str(caught.value)
    assert "key 'years.2019-20.colour': not a parameter: the keys are" in str(caught.value)
    assert "Value error" not in str(caught.value) and "Tuple" not in str(caught.value)


@pytest.mark.parametrize("code", ["E10000016", "E06000047", "E08000027", "E09000002", "886"])
def test_every_kind_of_council_code_is_accepted(tmp_path, code):
    text = TINY_PARAMS.replace('["841"]', f'["{code}"]')
    assert load_params("testshire", "2019-20", write_params(tmp_path, text)).councils == (code,)


def test_no_council_is_said_in_the_users_words(tmp_path):
    with pytest.raises(ParamsError) as caught:
        load_params(
            "testshire", "2019-20", write_params(tmp_path, TINY_PARAMS.replace('["841"]', "[]"))
        )
    message = str(caught.value)
    assert "key 'councils': the list is empty: give at least one" in message
    assert "Tuple should have" not in message


def test_unknown_partnership_lists_known_ones(tmp_path):
    write_params(tmp_path, TINY_PARAMS)
    with pytest.raises(ParamsError, match="known: testshire"):
        load_params("nowhere", "2019-20", tmp_path)
    assert list_partnerships(tmp_path) == ["testshire"]


def test_bundled_params_are_valid():
    for partnership in list_partnerships():
        assert load_params(partnership, "2019-20").name


def test_sections_named_in_parameters_must_have_a_notebook(tmp_path):
    from workbook.sections import registry, select

    ids = [section.id for section in registry()]
    # reading order, by number (ties by id: the year at a glance comes first)
    assert ids[:4] == ["at_a_glance", "introduction", "priorities", "local_picture"]
    assert [s.id for s in select(("thematic_review", "local_picture"))] == [
        "local_picture",
        "thematic_review",
    ]
    with pytest.raises(ParamsError) as caught:
        select(("thematic_review", "gossip"), where="params/testshire.yaml")
    assert "params/testshire.yaml: no section called 'gossip'" in str(caught.value)
    assert "local_picture" in str(caught.value)  # the sections it could have been


@pytest.mark.parametrize("remit", ["[children]", "[children, adults, community_safety]"])
def test_a_kernel_reads_the_parameters_its_run_handed_over(tmp_path, monkeypatch, remit):
    """What the runner hands over is read back as it was, whatever the remit (a field derived
    from another is not taken for one given)."""
    from workbook.core.settings import VALIDATED_DIR
    from workbook.inputs.params import hand_over_params

    given = TINY_PARAMS.replace("covers_adults: false", f"remit: {remit}")
    params_dir = write_params(tmp_path, given)
    read = load_params("testshire", "2019-20", params_dir)
    shared = tmp_path / "handed"
    shared.mkdir()
    hand_over_params(shared, read, params_dir)
    (params_dir / "testshire.yaml").unlink()  # the kernel reads the run's copy, not the file
    monkeypatch.setenv(VALIDATED_DIR.name, str(shared))
    assert load_params("testshire", "2019-20", params_dir) == read
