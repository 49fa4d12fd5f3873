"""The demo generator's parts, which scripts/generate_demo.py puts together; the demo
partnerships' facts and phrase banks are the data files in the folders beside them (northdale/,
westmarch/).

- `common`: the fact files, the years and their bounds;
- `learning`: a year's reviews and audits (years.yaml), their findings (phrases.yaml) and the
  actions answering them (`actions`: actions.yaml, agencies.yaml);
- `figures`: a year's indicators (indicators.yaml) and budget (budget.yaml);
- `northdale`: one draw of Northdale's year, those parts from one random generator in a fixed
  order, and its narrative (narrative.yaml);
- `statutory`: the yearly report's other parts (report.yaml), from a generator of their own.
"""
