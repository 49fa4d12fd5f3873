"""What a reader sees: a notebook's outputs (`display`), charts, the published HTML and PDF.

`PUBLISHED` marks, in an output's metadata, what the display layer made to be published: the
publication gate (`publishing.gate`) keeps those outputs and nothing else, so an analyst's own
`display(frame)`, `print` or chart in a section notebook never reaches a published file.
"""

PUBLISHED = {"workbook": "published"}
