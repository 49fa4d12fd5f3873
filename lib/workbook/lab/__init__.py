"""The analyst's JupyterLab: the scratch notebook's helpers (`explore`) and the coding review
(`coding_review`, writing the analyst's themes back with `writeback`).

Nothing here is published or run by `workbook run`: the scratch notebook is not a section (the
registry takes only `NN_<id>.ipynb`), and what it shows is labelled not for publication. The
layer sits below `render` (it shows tables and uses the display layer) and above `run`.
"""
