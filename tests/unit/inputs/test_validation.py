"""The validator reports every problem at once, each with file, row and column."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import TINY_TABLES, write_year
from workbook.core.errors import DataValidationError
from workbook.inputs.validation import load_valid_tables, validate_year


def problems_for(root, **tables):
    write_year(root, tables=tables)
    return validate_year("testshire", "2019-20", root / "data")


def test_tiny_year_is_valid_and_typed(tiny_project):
    tables = load_valid_tables("testshire", "2019-20", tiny_project / "data")
    assert tables["audits"]["cases_audited"].tolist() == [12]
    assert tables["reviews"]["notified_date"].iloc[0] == pd.Timestamp("2019-05-01")
    assert tables["findings"]["themes"].iloc[0] == "communication_information_sharing"
    assert tables["indicators"]["area"].tolist() == ["local", "local", "england", "local"]


def test_bad_cells_are_named_by_file_row_and_column(tmp_path):
    bad = TINY_TABLES["audits"].replace("2019-11-15,12", "2019-31-15,twelve")
    problems = problems_for(tmp_path, audits=bad)
    text = [str(p) for p in problems]
    assert any(
        "audits.csv, row 2, column 'audit_date': '2019-31-15' is not a real date" in t for t in text
    ), text
    assert any(
        "audits.csv, row 2, column 'cases_audited': 'twelve' is not a whole number" in t
        for t in text
    ), text


def test_every_problem_reported_at_once(tmp_path):
    reviews = TINY_TABLES["reviews"].replace("cspr", "cpsr").replace("R2,", "R1,")
    findings = TINY_TABLES["findings"].replace("learning,", "lesson,")
    problems = problems_for(tmp_path, reviews=reviews, findings=findings)
    messages = "\n".join(map(str, problems))
    assert "column 'review_type': 'cpsr' is not one of" in messages
    assert "'R1' appears more than once" in messages
    assert "findings.csv, row 2, column 'kind': 'lesson' is not one of" in messages


def test_dates_outside_the_year_and_out_of_order(tmp_path):
    audits = TINY_TABLES["audits"].replace("2019-11-15", "2020-04-02")
    reviews = TINY_TABLES["reviews"].replace("2020-02-01,,completed", "2019-04-01,,completed")
    messages = "\n".join(map(str, problems_for(tmp_path, audits=audits, reviews=reviews)))
    assert "column 'audit_date': '2020-04-02' is outside the reporting year 2019-20" in messages
    assert "row 2, column 'completed_date': 2019-04-01 is before started_date" in messages


def test_a_date_is_checked_against_the_last_date_given_before_it_in_its_row(tmp_path):
    # R1: decided left empty, started before notified; R2: in order, nothing to report
    reviews = TINY_TABLES["reviews"].replace(
        "2019-05-01,2019-05-20,2019-06-01", "2019-05-01,,2019-04-20"
    )
    problems = [str(p) for p in problems_for(tmp_path, reviews=reviews) if "is before" in str(p)]
    assert problems == [
        f"{tmp_path / 'data' / 'testshire' / '2019-20' / 'reviews.csv'}, row 2, "
        "column 'started_date': 2019-04-20 is before notified_date (2019-05-01): "
        "check both dates"
    ]


def test_dates_in_either_format_become_the_same_days(tmp_path):
    reviews = TINY_TABLES["reviews"].replace(
        "2019-05-01,2019-05-20", "01/05/2019,2019-05-20T09:30:00"
    )
    write_year(tmp_path, tables={"reviews": reviews})
    tables = load_valid_tables("testshire", "2019-20", tmp_path / "data")
    first = tables["reviews"].iloc[0]
    assert (first["notified_date"], first["decided_date"]) == (
        pd.Timestamp("2019-05-01"),
        pd.Timestamp("2019-05-20"),
    )


def test_references_between_tables(tmp_path):
    findings = TINY_TABLES["findings"].replace("review,R1,", "review,R9,")
    actions = TINY_TABLES["actions"].replace("X2,F3,", "X2,F7,")
    messages = "\n".join(map(str, problems_for(tmp_path, findings=findings, actions=actions)))
    assert "findings.csv, row 2, column 'source_id': 'R9' is not a review" in messages
    assert (
        "actions.csv, row 3, column 'finding_id': 'F7' is not the finding_id of any finding"
        in messages
    )


def test_missing_columns_tables_and_unknown_columns(tmp_path):
    folder = write_year(
        tmp_path, tables={"audits": TINY_TABLES["audits"].replace("audit_type", "audit_kind")}
    )
    (folder / "actions.csv").unlink()
    messages = "\n".join(map(str, validate_year("testshire", "2019-20", tmp_path / "data")))
    assert "column 'audit_kind': unknown column (did you mean 'audit_type'?)" in messages
    assert "column 'audit_type': required column is missing" in messages
    assert "actions.csv: the required table 'actions' is missing" in messages


def test_required_values(tmp_path):
    findings = TINY_TABLES["findings"].replace(
        "F2,audit,A1,The voice of the child was clearly recorded.,", "F2,audit,A1,,"
    )
    messages = "\n".join(map(str, problems_for(tmp_path, findings=findings)))
    assert "findings.csv, row 3, column 'text': a value is required here" in messages


def test_load_raises_with_all_problems(tmp_path):
    write_year(tmp_path, tables={"audits": TINY_TABLES["audits"].replace(",12,", ",-3,")})
    with pytest.raises(DataValidationError) as caught:
        load_valid_tables("testshire", "2019-20", tmp_path / "data")
    assert caught.value.exit_code != 0
    assert "column 'cases_audited'" in str(caught.value)


def test_excel_workbook_is_read_like_csv(tmp_path, tiny_project):
    import io

    folder = tmp_path / "xl" / "testshire" / "2019-20"
    folder.mkdir(parents=True)
    with pd.ExcelWriter(folder / "testshire-2019-20.xlsx") as writer:
        for name, text in TINY_TABLES.items():
            frame = pd.read_csv(io.StringIO(text), dtype=str)
            if name == "audits":
                frame["audit_date"] = pd.to_datetime(frame["audit_date"])
            frame.to_excel(writer, sheet_name=name, index=False)
    tables = load_valid_tables("testshire", "2019-20", tmp_path / "xl")
    assert tables["audits"]["audit_date"].iloc[0] == pd.Timestamp("2019-11-15")
    assert len(tables["actions"]) == 3


def test_a_year_is_validated_once_per_version_of_its_files(tmp_path, monkeypatch):
    import workbook.inputs.validation as validation

    write_year(tmp_path)
    validation._validated.cache_clear()  # as a new process starts
    calls = []
    real = validation.validate_tables
    monkeypatch.setattr(
        validation, "validate_tables", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    first = load_valid_tables("testshire", "2019-20", tmp_path / "data")
    first["audits"].loc[0, "cases_audited"] = 99  # a caller's change stays its own
    again = load_valid_tables("testshire", "2019-20", tmp_path / "data")
    assert len(calls) == 1 and again["audits"]["cases_audited"].tolist() == [12]
    audits = TINY_TABLES["audits"].replace(",12,", ",14,")
    assert audits != TINY_TABLES["audits"]
    write_year(tmp_path, tables={"audits": audits})  # an edited file is read afresh
    edited = load_valid_tables("testshire", "2019-20", tmp_path / "data")
    assert len(calls) == 2 and edited["audits"]["cases_audited"].tolist() == [14]
    copy = tmp_path / "copy"
    write_year(copy, tables={"audits": audits})  # the same files elsewhere: the same year
    assert load_valid_tables("testshire", "2019-20", copy / "data")["audits"].equals(
        edited["audits"]
    )
    assert len(calls) == 2
    same_size = audits.replace("Neglect", "Neglekt")  # same size, and maybe the same second
    write_year(copy, tables={"audits": same_size})
    retitled = load_valid_tables("testshire", "2019-20", copy / "data")
    assert len(calls) == 3 and retitled["audits"]["title"].tolist() == ["Neglekt"]


def test_a_year_handed_over_by_the_runner_is_not_validated_again(tmp_path, monkeypatch):
    """Nor read again when a file is replaced during the run: every section shows the data the
    run validated (the runner notices the change; the next run renders the new version)."""
    import workbook.inputs.validation as validation

    write_year(tmp_path)
    data = tmp_path / "data"
    typed = load_valid_tables("testshire", "2019-20", data)
    typed["audits"].loc[0, "title"] = "As handed over"
    handover = tmp_path / "handover"
    handover.mkdir()
    validation.hand_over(handover, "testshire", "2019-20", data, typed)
    validation._validated.cache_clear()
    monkeypatch.setenv("WORKBOOK_VALIDATED_DIR", str(handover))
    monkeypatch.setattr(
        validation, "validate_tables", lambda *a, **k: pytest.fail("validated again")
    )
    assert load_valid_tables("testshire", "2019-20", data)["audits"]["title"][0] == "As handed over"
    write_year(tmp_path, tables={"audits": TINY_TABLES["audits"].replace("Neglect", "Neglect ")})
    assert load_valid_tables("testshire", "2019-20", data)["audits"]["title"][0] == "As handed over"
    monkeypatch.delenv("WORKBOOK_VALIDATED_DIR")  # outside a run an edited file is read afresh
    validation._validated.cache_clear()
    with pytest.raises(pytest.fail.Exception, match="validated again"):
        load_valid_tables("testshire", "2019-20", data)


def test_a_breakdown_of_all_or_total_is_the_headline_figure(tmp_path):
    indicators = TINY_TABLES["indicators"].replace("cpp_count,,local", "cpp_count, Total ,local")
    write_year(tmp_path, tables={"indicators": indicators})
    tables = load_valid_tables("testshire", "2019-20", tmp_path / "data")
    row = tables["indicators"][tables["indicators"]["indicator"] == "cpp_count"]
    assert row["breakdown"].isna().all() and row["value"].tolist() == [85]
    # Given both ways, it is the same figure twice
    twice = indicators + "cpp_count,all,local,2020-03-31,85,count,,DfE,\n"
    messages = "\n".join(map(str, problems_for(tmp_path / "twice", indicators=twice)))
    assert "appears more than once" in messages
