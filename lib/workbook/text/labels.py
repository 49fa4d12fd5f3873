"""Readable labels for the contract's codes (specs/labels.yaml), for tables and narrative."""

from __future__ import annotations

from functools import cache

import pandas as pd

from workbook.core.yamlfile import load_spec


@cache
def _labels() -> dict[str, dict[str, str]]:
    return load_spec("labels")


def label(field: str, code) -> str:
    """The label for one code; an unknown or missing code reads as itself or "Not recorded"."""
    if code is None or pd.isna(code):
        return "Not recorded"
    return _labels().get(field, {}).get(str(code), str(code).replace("_", " ").capitalize())


def codes(field: str) -> list[str]:
    """Every code that has a label for `field`, in the order labels.yaml gives them."""
    return list(_labels().get(field, {}))


def labelled(series: pd.Series, field: str) -> pd.Series:
    return series.map(lambda code: label(field, code))


def as_recorded(series: pd.Series) -> pd.Series:
    """Free text as the partnership wrote it, "Not recorded" where it is blank."""
    return series.map(lambda text: "Not recorded" if text is None or pd.isna(text) else str(text))
