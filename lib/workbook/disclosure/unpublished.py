"""The raw figures behind a published table, for the analyst in JupyterLab only
(`PublishedTable.behind`): labelled "not for publication", and showing nothing inside a
`workbook run`, so they never reach a rendered output or a kept executed notebook."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from workbook.core import paths


@dataclass
class Unpublished:
    """Raw figures, labelled "not for publication". Inside a `workbook run` they show nothing,
    so they never reach a rendered output or a kept executed notebook."""

    frame: pd.DataFrame
    caption: str

    def _repr_html_(self) -> str:
        if paths.in_publishing_run():
            return ""
        return (
            '<div style="border:3px solid #b00;padding:4px">'
            '<p style="color:#b00;font-weight:bold">NOT FOR PUBLICATION: unsuppressed '
            f'figures behind "{html.escape(self.caption)}"</p>'
            f"{self.frame.to_html(index=False)}</div>"
        )

    def __repr__(self) -> str:
        if paths.in_publishing_run():
            return ""
        return f"NOT FOR PUBLICATION: figures behind {self.caption!r}\n{self.frame}"
