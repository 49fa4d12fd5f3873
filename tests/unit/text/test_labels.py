"""The labels of the contract's codes (`specs/labels.yaml`): a code's singular and plural
forms, read in sentences, exist for every code its table label has; a missing one would fall
back to the code itself, capitalised mid-sentence ("1 Thematic review was completed")."""

from __future__ import annotations

import pytest

from workbook.text.labels import codes

FORMS = [
    (field, form) for field in ("review_type",) for form in (f"{field}_one", f"{field}_plural")
]


@pytest.mark.parametrize(("field", "form"), FORMS)
def test_every_code_reads_in_a_sentence_in_each_form(field, form):
    assert codes(form) == codes(field)
