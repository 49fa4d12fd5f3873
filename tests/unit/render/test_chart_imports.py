"""The charts' imports: seaborn's styles without scipy.stats, which a run's kernel would
otherwise import on every start for kernel density estimates the charts never draw."""

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


def test_scipy_already_imported_is_left_as_it_is():
    import scipy

    from workbook.render import charts

    assert charts._seaborn_without_scipy() is sys.modules["seaborn"]
    assert sys.modules["scipy"] is scipy
