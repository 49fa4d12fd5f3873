"""What a run is given: where it reads and writes, whether it is forced, how long it may wait.

Apart from the runner so that the skip check (`workbook.run.plan`), the runner, batches and the
command line all take the same settings, and the plan needs nothing of the runner.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbook.core import paths
from workbook.core.errors import OutputsError
from workbook.core.paths import check_partnership_id, inside
from workbook.run.execution import DEFAULT_CELL_TIMEOUT

DEFAULT_LOCK_WAIT = 1800
"""Seconds a run waits for another run of the same partnership-year to finish (see run.lock)."""


@dataclass(frozen=True)
class RunSettings:
    """Where a run reads and writes; None means the project's own folder."""

    data_dir: Path | None = None
    params_dir: Path | None = None
    outputs_dir: Path | None = None
    notebooks_dir: Path | None = None
    force: bool = False
    cell_timeout: int = DEFAULT_CELL_TIMEOUT
    lock_wait: float = DEFAULT_LOCK_WAIT

    @property
    def outputs(self) -> Path:
        return self.outputs_dir or paths.outputs_dir()

    @property
    def notebooks(self) -> Path:
        return self.notebooks_dir or paths.notebooks_dir()

    def output_folder(self, partnership: str, *parts: str) -> Path:
        """A folder under outputs/<partnership>/, checked (links followed) to stay inside the
        outputs folder: nothing is ever written or removed anywhere else."""
        folder = self.outputs / check_partnership_id(partnership)
        return inside(self.outputs, folder.joinpath(*parts), OutputsError)

    def log_dir(self, partnership: str) -> Path:
        """Where a partnership's run logs (and failed notebooks, beside them) are kept."""
        return self.output_folder(partnership, "logs")

    def check_outputs_apart(self) -> None:
        """Refuse an outputs folder that is, holds or lies inside a folder the run reads:
        outputs are swapped and removed as a whole, and must never take data with them."""
        outputs = self.outputs.resolve()
        inputs = {
            "data": self.data_dir or paths.data_dir(),
            "parameters": self.params_dir or paths.params_dir(),
            "notebooks": self.notebooks,
        }
        for what, folder in inputs.items():
            folder = Path(folder).resolve()
            if (
                outputs == folder
                or outputs.is_relative_to(folder)
                or folder.is_relative_to(outputs)
            ):
                raise OutputsError(
                    f"the outputs folder {self.outputs} overlaps the {what} folder {folder}; "
                    "outputs are replaced as a whole, so they need a folder of their own: "
                    "give --outputs-dir a separate folder (default: the project's outputs/)"
                )
