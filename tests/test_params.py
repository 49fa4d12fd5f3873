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
    folder = write_params(tmp_path, TINY_PARAMS + """\
years:
  "2020-21":
    small_number_threshold: 10
    sections: [thematic_review, local_picture]
    pack_listing_limit: 12
""")
    base = load_params("testshire", "2019-20", folder)
    assert base.small_number_threshold == 5
    assert base.sections is None  # every section of the notebooks folder
    assert base.pack_listing_limit == 5
    later = load_params("testshire", "2020-21", folder)
    assert later.small_number_threshold == 10
    assert later.sections == ("thematic_review", "local_picture")
    assert later.pack_listing_limit == 12
    assert later.councils == ("841",)


@pytest.mark.parametrize(("extra", "key", "words"), [
    ("colour: blue\n", "colour", "Extra inputs are not permitted"),
    ("small_number_threshold: lots\n", "small_number_threshold", "valid integer"),
    ("small_number_threshold: 0\n", "small_number_threshold", "greater than or equal to 1"),
    ("lookback_years: 40\n", "lookback_years", "less than or equal to 10"),
    ("protective_marking: SECRETISH\n", "protective_marking", "OFFICIAL"),
    ("sections: [thematic_review, Local Picture]\n", "sections.1", "should match pattern"),
    ("pack_listing_limit: 0\n", "pack_listing_limit", "greater than or equal to 1"),
])
def test_bad_values_name_file_and_key(tmp_path, extra, key, words):
    text = "\n".join(line for line in TINY_PARAMS.splitlines()
                     if not line.startswith(extra.split(":")[0] + ":")) + "\n" + extra
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
    assert "key 'councils.0'" in str(caught.value)
    assert "key 'years.2019-20.colour'" in str(caught.value)


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
    assert ids[:2] == ["introduction", "local_picture"]  # reading order, from the numbers
    assert [s.id for s in select(("thematic_review", "local_picture"))] == [
        "local_picture", "thematic_review"]
    with pytest.raises(ParamsError) as caught:
        select(("thematic_review", "gossip"), where="params/testshire.yaml")
    assert "params/testshire.yaml: no section called 'gossip'" in str(caught.value)
    assert "local_picture" in str(caught.value)  # the sections it could have been
