"""Libraries imported without an optional dependency the workbook never uses: seaborn's styles
without scipy.stats (a run's kernel would import it on every start for kernel density estimates
the charts never draw), pandera's checks without hypothesis (every validation would import it
for data synthesis the workbook never does)."""

from __future__ import annotations

import subprocess
import sys


def _in_a_new_process(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_charts_import_seaborn_without_scipy_and_scipy_stays_importable():
    said = _in_a_new_process(
        "import sys, workbook.render.charts as charts\n"
        "print(any(m == 'scipy' or m.startswith('scipy.') for m in sys.modules))\n"
        "print(len(charts._rc()['axes.prop_cycle']))\n"
        "from scipy.stats import binomtest\n"
        "print(round(binomtest(3, 10).pvalue, 3))"
    )
    assert said.split() == ["False", "10", "0.344"]


def test_validation_imports_pandera_without_hypothesis_and_hypothesis_stays_importable():
    said = _in_a_new_process(
        "import sys\n"
        "import pandas as pd\n"
        "from workbook.inputs.checks import pandera_module\n"
        "pa = pandera_module()\n"
        "schema = pa.DataFrameSchema({'n': pa.Column(int, pa.Check.ge(0))})\n"
        "print(len(schema.validate(pd.DataFrame({'n': [1, 2]}))))\n"
        "print(any(m == 'hypothesis' or m.startswith('hypothesis.') for m in sys.modules))\n"
        "try:\n"
        "    schema.validate(pd.DataFrame({'n': [-1]}))\n"
        "except pa.errors.SchemaError:\n"
        "    print('refused')\n"
        "import hypothesis.strategies\n"
        "print(hypothesis.strategies.integers(0, 3).example() in range(4))"
    )
    assert said.split() == ["2", "False", "refused", "True"]


def test_a_dependency_already_imported_is_left_as_it_is():
    import scipy

    from workbook.core.imports import import_without

    assert import_without("seaborn", "scipy") is sys.modules["seaborn"]
    assert sys.modules["scipy"] is scipy
