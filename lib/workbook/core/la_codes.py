"""Councils' DfE codes: the one pattern the library checks them with.

A council has an old three-digit DfE code (886) and a new ONS code: E06 unitary, E08
metropolitan, E09 London, E10 county (E10000016). Parameters, the indicators and the list of
councils (workbook.national.councils) all read codes with these.
"""

from __future__ import annotations

import re

LA_CODE = re.compile(r"^(\d{3}|E(?:0[6-9]|10)\d{6})$")
"""A council's DfE code: old (three digits) or new (E06, E08, E09, E10 and six digits)."""
OLD_CODE = re.compile(r"^\d{3}$")
LA_CODE_WORDS = (
    "a council's DfE code: three digits (e.g. 841) or E06, E08, E09 or E10 and six "
    "digits (e.g. E10000016)"
)
