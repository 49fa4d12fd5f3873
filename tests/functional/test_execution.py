"""One kernel for the sections of a partnership-year: reused, reset between sections, replaced
after a hang."""

from __future__ import annotations

import nbformat
import pytest

from workbook.run.execution import KernelSession, SectionFailed

pytestmark = [pytest.mark.render, pytest.mark.slow]


def notebook(tmp_path, name: str, *cells: str):
    """A notebook with a `parameters` cell (x = 0) followed by the given code cells."""
    parameters = nbformat.v4.new_code_cell("x = 0")
    parameters.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[parameters, *map(nbformat.v4.new_code_cell, cells)])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def outputs(executed) -> list[str]:
    return [o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs]


def test_sections_share_a_kernel_but_not_a_namespace(tmp_path):
    first = notebook(tmp_path, "first", "import os\nleftover = os.getpid()\nprint(x, leftover)")
    second = notebook(
        tmp_path,
        "second",
        "import os\nprint(x, os.getpid())",
        "print('leftover' in dir())",
        "print(get_ipython().history_manager.enabled)",
    )
    with KernelSession(cell_timeout=60) as kernel:
        kernel.start()
        one = outputs(kernel.execute(first, {"x": 1}))
        two = outputs(kernel.execute(second, {"x": 2}))
    pid = one[0].split()[1]
    assert one[0].split()[0] == "1" and two[0].split() == ["2", pid]  # same kernel, new x
    assert two[1].strip() == "False"  # what the first section left behind is gone
    assert two[2].strip() == "False"  # no input history is written


def test_an_error_fails_its_section_and_the_next_one_still_runs(tmp_path):
    broken = notebook(tmp_path, "broken", "raise ValueError('bad figure')")
    fine = notebook(tmp_path, "fine", "print(x * 2)")
    with KernelSession(cell_timeout=60) as kernel:
        kernel.start()
        with pytest.raises(
            SectionFailed, match="broken.ipynb failed: ValueError: bad figure"
        ) as failure:
            kernel.execute(broken, {"x": 1})
        assert "bad figure" in str(failure.value.notebook.cells[-1].outputs)
        assert outputs(kernel.execute(fine, {"x": 4})) == ["8\n"]


def test_a_hung_cell_times_out_and_the_next_section_gets_a_fresh_kernel(tmp_path):
    hung = notebook(
        tmp_path, "hung", "import os\nprint(os.getpid())", "import time\ntime.sleep(60)"
    )
    fine = notebook(tmp_path, "fine", "import os\nprint(os.getpid())")
    with KernelSession(cell_timeout=2) as kernel:
        kernel.start()
        with pytest.raises(SectionFailed, match="timed out") as failure:
            kernel.execute(hung, {})
        stuck_pid = outputs(failure.value.notebook)[0]
        assert outputs(kernel.execute(fine, {})) != [stuck_pid]


def test_a_slow_kernel_start_does_not_count_against_a_short_cell_timeout(tmp_path):
    # A busy machine starts a kernel slowly; its first reply (to nbclient's kernel_info) can take
    # longer than a short cell timeout, which must still time cells only. sitecustomize runs as
    # the kernel's interpreter starts: here it takes four seconds.
    slow = tmp_path / "slow"
    slow.mkdir()
    (slow / "sitecustomize.py").write_text("import time\ntime.sleep(4)\n")
    fine = notebook(tmp_path, "fine", "print(x + 1)")
    with KernelSession(cell_timeout=2) as kernel:
        kernel.start(env={"PYTHONPATH": str(slow)})
        assert outputs(kernel.execute(fine, {"x": 1})) == ["2\n"]
