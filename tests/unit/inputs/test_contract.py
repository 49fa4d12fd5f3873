"""The contract document is generated from the contract itself, and must be kept in step."""

from workbook.core import paths
from workbook.inputs.contract import contract_markdown, load_contract


def test_document_matches_contract():
    document = (paths.project_root() / "docs" / "data-contract.md").read_text(encoding="utf-8")
    assert document == contract_markdown(), (
        "docs/data-contract.md is stale: run `workbook contract > docs/data-contract.md`"
    )


def test_every_table_and_column_is_documented():
    document = contract_markdown()
    for table in load_contract().values():
        assert f"## `{table.name}`" in document
        for column in table.columns.values():
            assert column.description, f"{table.name}.{column.name} has no description"
            assert f"| `{column.name}` |" in document
