"""What a scheduled service meets at night, each fault met by a real `workbook` process.

Every case starts the installed command in a process of its own (`tests/functional/faultpoints.py`
arms the fault at the stage the case names: a signal, SIGKILL, a full disk, a file replaced by
someone else) on a small project with one valid Testshire year and an earlier good output, then
checks what the README's guarantees promise: the exit code, one line for a person to read and never
a traceback, the earlier outputs as they were (or the new ones, whole), and nothing of the run's
own left behind: no staging folder beside the outputs, no kernel folder in the temporary folder, no
failed notebook in `logs/` for a section that only met a fault.

Hostile files (a YAML alias bomb, a CSV of millions of rows, a zip bomb posing as a workbook) are
refused in under a second, naming the file; they are timed inside the process (its imports
done), since starting Python is not the refusal. The slow cases (each a run) are marked `slow`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import TINY_PARAMS, TINY_TABLES, folders, stand_in_notebook, write_year
from workbook.core import paths
from workbook.core.errors import EXIT_CODES, ExitCode
from workbook.run.execution import KERNEL_FOLDER_PREFIX

HERE = Path(__file__).resolve().parent
FAULTPOINTS = HERE / "faultpoints.py"
YEAR = Path("data") / "testshire" / "2019-20"
EARLIER = Path("outputs") / "testshire" / "2019-20"
NOTEBOOKS = sorted(p.name[:2] for p in paths.notebooks_dir().glob("[0-9][0-9]_*.ipynb"))


# --- the project, a process, and what must hold afterwards --------------------------------------


@pytest.fixture
def project(tmp_path) -> Path:
    """One valid Testshire year and an earlier good output of it."""
    root = tmp_path / "project"
    write_year(root)
    (root / EARLIER).mkdir(parents=True)
    (root / EARLIER / "manifest.json").write_text(json.dumps({"fingerprint": "earlier"}))
    (root / EARLIER / "board_pack.html").write_text("<p>the last good board pack</p>")
    return root


def run_args(project: Path, *extra: str) -> list[str]:
    return ["run", "testshire", "2019-20", *folders(project, outputs=True), *extra]


@dataclass
class Ended:
    code: int
    out: str
    err: str
    pid: int
    reached: list[str]

    @property
    def lines(self) -> list[str]:
        """What a person reads on stderr, line by line."""
        return [line for line in self.err.splitlines() if line.strip()]


def launch(project: Path, stage: str, action: str, argv: list[str], env=None, **popen) -> Ended:
    """`workbook ARGV` in a process (and session) of its own, with the fault armed."""
    reached = project.parent / "reached.txt"
    reached.unlink(missing_ok=True)
    environment = {**os.environ, "FAULTPOINT_REACHED": str(reached), **(env or {})}
    environment.pop("WORKBOOK_DEBUG", None)
    process = subprocess.Popen(
        [sys.executable, str(FAULTPOINTS), stage, action, "--", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        start_new_session=True,  # Ctrl-C goes to this process's group, not to pytest's
        **popen,
    )
    out, err = process.communicate(timeout=600)
    said = reached.read_text().split() if reached.exists() else []
    return Ended(process.returncode, out, err, process.pid, said)


def workbook(*argv: str, env=None) -> subprocess.CompletedProcess:
    """The installed `workbook` command, no fault armed."""
    command = Path(sys.executable).with_name("workbook")
    environment = {**os.environ, **(env or {})}
    environment.pop("WORKBOOK_DEBUG", None)
    return subprocess.run(
        [str(command), *argv], capture_output=True, text=True, timeout=600, env=environment
    )


def snapshot(root: Path, leave_out=("logs",)) -> dict[str, tuple]:
    """Every file and folder under `root` with its content hash (some folders left out)."""
    seen = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if set(relative.parts) & set(leave_out):
            continue
        if path.is_file():
            seen[relative.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            seen[relative.as_posix()] = "folder"
    return seen


def leftovers(project: Path, pid: int) -> list[Path]:
    """What a run (process `pid`) may have left: staging, retired or lock files beside the
    outputs, its kernel folder in the temporary folder, failed notebooks in logs/."""
    outputs = project / "outputs" / "testshire"
    return [
        *outputs.glob(".2019-20.*"),
        *Path(tempfile.gettempdir()).glob(f"{KERNEL_FOLDER_PREFIX}*.{pid}.*"),
        *(outputs / "logs").glob("*.failed.ipynb"),
    ]


def complete(folder: Path) -> bool:
    """Outputs the workbook wrote in full: the earlier ones of the fixture, or a whole run's."""
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return False
    if json.loads(manifest.read_text()).get("fingerprint") == "earlier":
        return (folder / "board_pack.html").is_file()
    return (folder / "board_pack.pdf").read_bytes().startswith(b"%PDF")


# --- signals at each stage of a run --------------------------------------------------------------


TWO_SECTIONS = "sections: [at_a_glance, reviews_audits]\n"


def with_sections_for(project: Path, stage: str) -> None:
    """A run met at a stage outside the sections (validation, the kernel's start, the PDFs,
    the appendix, the swap) renders two sections, not all: what it does at that stage is the
    same whatever sections came before, and each section would be a second more to wait for.
    A fault in a section meets a run of every section."""
    if not stage.startswith("notebook:"):
        _params(project, TWO_SECTIONS)


SAID = {"SIGTERM": "SIGTERM", "SIGINT": "Ctrl-C (SIGINT)"}
PHASES = ["validation", "screening", "kernel", "notebook:00", f"notebook:{NOTEBOOKS[-1]}"]
PHASES += ["pdf", "appendix", "swap"]
"""Where a run stands in a different state when a signal comes: before the kernel, starting
it, in the first and the last section, laying out, writing the appendix, swapping. Each meets
both signals."""
SIGNALLED = [(stage, name) for stage in PHASES for name in SAID]
SIGNALLED += [(f"notebook:{n}", list(SAID)[i % 2]) for i, n in enumerate(NOTEBOOKS[1:-1])]
"""Every section between meets one of the two, in turn: a signal during a section is handled by
the same code wherever it falls, so both signals in every section (a run each) would add time,
not a check."""


@pytest.mark.render
@pytest.mark.slow
@pytest.mark.parametrize(("stage", "name"), SIGNALLED)
def test_a_signal_at_any_stage_stops_the_run_in_one_line_and_leaves_nothing(project, name, stage):
    """A scheduler's SIGTERM or an analyst's Ctrl-C, wherever the run is: exit 130, one line,
    the earlier outputs as they were, the run's folders gone, and no section kept as failed."""
    with_sections_for(project, stage)
    before = snapshot(project / "outputs")
    ended = launch(project, stage, name, run_args(project, "--force"))
    assert ended.reached == [stage, str(ended.pid)], ended.err
    assert ended.code == ExitCode.INTERRUPTED, ended.err
    assert ended.lines == [f"stopped by {SAID[name]}: earlier outputs are untouched"]
    assert snapshot(project / "outputs") == before
    assert leftovers(project, ended.pid) == []


# --- SIGKILL at each stage: the next run cleans up and renders ------------------------------------

KILLED = ["validation", "screening", "kernel", "notebook:00", f"notebook:{NOTEBOOKS[-1]}"]
KILLED += ["pdf", "pdf-writing", "appendix", "swap"]


@pytest.mark.render
@pytest.mark.slow
@pytest.mark.parametrize("stage", KILLED)
def test_a_run_killed_at_any_stage_is_cleaned_up_by_the_next_which_renders(project, stage):
    with_sections_for(project, stage)
    killed = launch(project, stage, "SIGKILL", run_args(project, "--force"))
    assert killed.reached == [stage, str(killed.pid)], killed.err
    assert killed.code == -signal.SIGKILL
    left = [p for p in leftovers(project, killed.pid) if p.suffix != ".lock"]
    if stage not in ("validation", "screening"):  # by then the run has made its folders
        assert left, "the kill left nothing to clean: the case does not test the clean-up"
    after = workbook(*run_args(project))  # as the next night's timer would: no --force
    assert after.returncode == 0, after.stderr
    assert leftovers(project, killed.pid) == []
    assert not list((project / "outputs" / "testshire").glob(".2019-20.*"))
    assert complete(project / EARLIER) and (project / EARLIER / "board_pack.pdf").exists()


@pytest.mark.render
@pytest.mark.slow
def test_what_a_killed_run_left_goes_even_when_the_next_run_is_skipped(project):
    """The issue's sighting: a kernel folder still there after the next run. A forced run of
    unchanged inputs is killed; the next night's run has nothing to render and is skipped, and
    still removes the killed run's staging and kernel folders."""
    first = workbook(*run_args(project))
    assert first.returncode == 0, first.stderr
    killed = launch(project, "notebook:03", "SIGKILL", run_args(project, "--force"))
    assert killed.code == -signal.SIGKILL
    assert [p for p in leftovers(project, killed.pid) if p.suffix != ".lock"]
    after = workbook(*run_args(project))
    assert after.returncode == 0 and "unchanged, skipped" in after.stdout, after.stderr
    assert [p for p in leftovers(project, killed.pid) if p.suffix != ".lock"] == []


# --- a full disk, a file-size limit, a read-only data folder -------------------------------------


@pytest.fixture
def small_disk(project):
    """The outputs folder on a tmpfs of its own (mounting needs root: skipped elsewhere)."""
    outputs = project / "outputs"
    held = project.parent / "held"
    shutil.move(outputs, held)
    outputs.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(outputs)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        outputs.rmdir()
        shutil.move(held, outputs)
        pytest.skip(f"a small disk cannot be mounted here (needs root): {mounted.stderr.strip()}")
    shutil.copytree(held, outputs, dirs_exist_ok=True)
    try:
        yield outputs
    finally:
        subprocess.run(["umount", "-l", str(outputs)], check=False)


@pytest.mark.render
@pytest.mark.slow
@pytest.mark.parametrize("stage", ["pdf-writing", "swap"])
def test_a_disk_that_fills_during_the_run_leaves_whole_outputs_and_one_line(
    project, small_disk, stage
):
    """The disk fills (another program's log, a batch beside it) while the PDFs are written or
    as the outputs are swapped in: the outputs are whole, old or new, never half of each."""
    before = snapshot(small_disk, leave_out=("logs", "filler"))
    ended = launch(
        project,
        stage,
        "fill",
        run_args(project, "--force"),
        env={"FAULTPOINT_DISK": str(small_disk)},
    )
    assert ended.reached == [stage, str(ended.pid)], ended.err
    assert "Traceback" not in ended.err
    if ended.code == ExitCode.OUTPUTS:
        assert len(ended.lines) == 1 and "the disk is full" in ended.lines[0], ended.err
        assert snapshot(small_disk, leave_out=("logs", "filler")) == before
    else:  # the swap needed no space: the new outputs are in place, whole
        assert ended.code == 0 and stage == "swap", ended.err
        assert complete(project / EARLIER)
    assert leftovers(project, ended.pid) == []


@pytest.mark.render
@pytest.mark.slow
def test_a_file_size_limit_stops_the_run_with_a_message_not_a_signal(project):
    """`ulimit -f` (LimitFSIZE= in a systemd unit) below a PDF's size: the run says which file
    could not be written and why (SIGXFSZ used to kill it without a word)."""
    import resource

    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, resource.RLIM_INFINITY))

    before = snapshot(project / "outputs")
    ended = launch(project, "none", "none", run_args(project, "--force"), preexec_fn=limited)
    assert ended.code == ExitCode.OUTPUTS, ended.err
    assert len(ended.lines) == 1 and "file-size limit" in ended.lines[0], ended.err
    assert snapshot(project / "outputs") == before
    assert leftovers(project, ended.pid) == []


@pytest.mark.render
@pytest.mark.slow
def test_a_read_only_data_folder_is_read_and_never_written(project):
    data = project / "data"
    mounted = subprocess.run(["mount", "--bind", str(data), str(data)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("a read-only mount cannot be made here (needs root)")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(data)], check=True)
        assert not os.access(data / "testshire" / "2019-20", os.W_OK)
        ended = workbook(*run_args(project, "--force"))
        assert ended.returncode == 0, ended.stderr
        assert complete(project / EARLIER)
    finally:
        subprocess.run(["umount", "-l", str(data)], check=False)


# --- two runs at once, and files replaced while a run reads them --------------------------------


@pytest.mark.render
@pytest.mark.slow
def test_a_timer_and_an_analyst_running_the_same_year_at_once(project):
    """Both end well: one renders, the other waits for it and is skipped (same inputs)."""
    command = Path(sys.executable).with_name("workbook")
    runs = [
        subprocess.Popen(
            [str(command), *run_args(project)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    ended = [(run.communicate(timeout=600), run.returncode) for run in runs]
    assert [code for _, code in ended] == [0, 0], ended
    said = " ".join(out for (out, _), _ in ended)
    assert said.count("wrote") == 1 and said.count("unchanged, skipped") == 1, said
    assert complete(project / EARLIER)
    assert not list((project / "outputs" / "testshire").glob(".2019-20.*"))


BROKEN_AUDITS = TINY_TABLES["audits"].replace("2019-11-15", "15th November")


@pytest.mark.render
@pytest.mark.slow
@pytest.mark.parametrize(
    "replaced, text, next_code, next_says",
    [
        ("params/testshire.yaml", "name: [unclosed\n", ExitCode.PARAMETERS, "not valid YAML"),
        (
            "params/testshire.yaml",
            TINY_PARAMS.replace("small_number_threshold: 5", "small_number_threshold: 10"),
            ExitCode.OK,
            "wrote",
        ),
        (f"{YEAR}/audits.csv", BROKEN_AUDITS, ExitCode.DATA, "'15th November' is not a date"),
    ],
    ids=["parameters made invalid", "parameters changed", "data made invalid"],
)
def test_a_file_replaced_while_a_run_reads_it(project, replaced, text, next_code, next_says):
    """Another program saves a parameters or data file while the run is in its sections: the
    run renders, whole, the version it validated (every section alike, as its manifest says),
    says the file changed, and the next run does not skip it but reads the new version."""
    path = project / replaced
    ended = launch(
        project,
        "notebook:03",
        f"replace:{path}={text.replace(chr(10), chr(92) + 'n')}",
        run_args(project, "--force"),
    )
    assert ended.code == 0, ended.err
    assert f"warning: {Path(replaced).as_posix()} changed while this run read it" in ended.out
    manifest = json.loads((project / EARLIER / "manifest.json").read_text())
    assert manifest["parameters"]["small_number_threshold"] == 5  # what the run read
    assert manifest["fingerprint"].startswith("changed during the run")
    assert complete(project / EARLIER)
    assert leftovers(project, ended.pid) == []
    after = workbook(*run_args(project))
    assert after.returncode == next_code, after.stderr
    assert next_says in after.stdout + after.stderr


# --- hostile files, refused in under a second naming the file -----------------------------------

ALIAS_BOMB = "\n".join(
    ["laughs:", "  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"  - &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
)


def _params(project: Path, extra: str, name: str = "testshire") -> Path:
    path = project / "params" / f"{name}.yaml"
    path.write_text(TINY_PARAMS + extra, encoding="utf-8")
    return path


def _sparse(path: Path, size: int) -> Path:
    """A file that says it is `size` bytes long (a hole: no disk is used)."""
    with open(path, "wb") as out:
        out.truncate(size)
    return path


def _workbook(project: Path, change) -> Path:
    """The year as an Excel workbook (from `workbook template`), one part changed."""
    book = project / "template.xlsx"
    made = workbook("template", "testshire", "2019-20", "--out", str(book), *folders(project))
    assert made.returncode == 0, made.stderr
    year = project / YEAR
    for csv in year.glob("*.csv"):
        csv.unlink()
    target = year / "year.xlsx"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(target, "w") as out:
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename == "xl/worksheets/sheet3.xml":
                data = change(data)
            out.writestr(part, data, compress_type=zipfile.ZIP_DEFLATED)
    return target


def _validate(project: Path) -> list[str]:
    return ["validate", "testshire", "2019-20", *folders(project)]


SECTIONS_BOMB = "sections:\n" + ALIAS_BOMB.split("\n", 1)[1] + "\n"
"""The bomb where parameters are walked: on a key they have, a list validation goes through."""
PADDING = b" " * 80_000_000  # packs about a thousand times: a zip bomb's shape
LAST_ROW = b'<dimension ref="A1:K1048576"'

HOSTILE = {
    "parameters with nested YAML aliases (billion laughs)": (
        lambda p: (_params(p, SECTIONS_BOMB), _validate(p)),
        ExitCode.PARAMETERS,
        ("testshire.yaml", "refused", "20,000 values"),
    ),
    "parameters nested far deeper than any": (
        lambda p: (_params(p, "targets: " + "{a: " * 40 + "1" + "}" * 40 + "\n"), _validate(p)),
        ExitCode.PARAMETERS,
        ("testshire.yaml", "nested more than 12 levels"),
    ),
    "a parameters file of megabytes": (
        lambda p: (_params(p, "# " + "x" * 2_000_000 + "\n"), _validate(p)),
        ExitCode.PARAMETERS,
        ("testshire.yaml", "262,144"),
    ),
    "an anchor used inside itself": (
        lambda p: (_params(p, "targets: &t {a: *t}\n"), _validate(p)),
        ExitCode.PARAMETERS,
        ("testshire.yaml", "used inside itself"),
    ),
    "a parameters file that is not text": (
        lambda p: (
            (p / "params" / "testshire.yaml").write_bytes(b"\xff\xfe\x00\x01binary"),
            _validate(p),
        ),
        ExitCode.PARAMETERS,
        ("testshire.yaml", "not UTF-8 text"),
    ),
    "workbook list with an alias bomb beside good parameters": (
        lambda p: (_params(p, SECTIONS_BOMB, name="bomb"), ["list", *folders(p)]),
        ExitCode.PARAMETERS,
        ("testshire", "Testshire Safeguarding Partnership", "bomb", "(cannot be used)", "refused"),
    ),
    "a codebook with nested YAML aliases, read by validation": (
        lambda p: (
            (p / "data" / "codebook").mkdir(),
            (p / "data" / "codebook" / "themes.yaml").write_text(
                ALIAS_BOMB.replace("laughs", "themes") + "\n"
            ),
            _validate(p),
        ),
        ExitCode.CODEBOOK,
        ("themes.yaml", "refused", "400,000 values"),
    ),
    "a codebook with nested YAML aliases, given to workbook code": (
        lambda p: (
            (p / "bomb.yaml").write_text(ALIAS_BOMB.replace("laughs", "themes") + "\n"),
            (p / "in.csv").write_text("id,text\nF1,neglect\n"),
            ["code", str(p / "in.csv"), "--out", str(p / "o.csv"), "--codebook", "bomb.yaml"],
        ),
        ExitCode.CODEBOOK,
        ("bomb.yaml", "refused"),
    ),
    "codebook suggestions with nested YAML aliases": (
        lambda p: (
            (p / "bomb.yaml").write_text(ALIAS_BOMB.replace("laughs", "suggestions") + "\n"),
            ["codebook", "apply", str(p / "bomb.yaml")],
        )[-1],
        ExitCode.OTHER,
        ("bomb.yaml", "refused"),
    ),
    "a CSV of 150,000 rows": (
        lambda p: (
            (p / YEAR / "findings.csv").write_text(
                TINY_TABLES["findings"].splitlines()[0]
                + "\n"
                + "F9,audit,A1,Text.,learning,multi-agency,\n" * 150_000
            ),
            _validate(p),
        )[-1],
        ExitCode.DATA,
        ("findings.csv", "150,000 rows", "100,000 rows a table may hold"),
    ),
    "a CSV 40,000 columns wide": (
        lambda p: (
            (p / YEAR / "findings.csv").write_text(("a," * 40_000 + "b\n") * 60),
            _validate(p),
        )[-1],
        ExitCode.DATA,
        ("findings.csv", "40,001 columns", "2,000,000 cells"),
    ),
    "a CSV of gigabytes": (
        lambda p: (_sparse(p / YEAR / "findings.csv", 3 * 1024**3), _validate(p))[-1],
        ExitCode.DATA,
        ("findings.csv", "3,221,225,472 bytes"),
    ),
    "a narrative block of megabytes": (
        lambda p: (
            (p / YEAR / "narrative").mkdir(),
            _sparse(p / YEAR / "narrative" / "foreword.md", 8 * 1024**2),
            _validate(p),
        )[-1],
        ExitCode.DATA,
        ("foreword.md", "a narrative block may take"),
    ),
    "an Excel zip bomb": (
        lambda p: (
            _workbook(
                p, lambda xml: xml.replace(b"</worksheet>", b" " * 80_000_000 + b"</worksheet>")
            ),
            _validate(p),
        )[-1],
        ExitCode.DATA,
        ("year.xlsx", "times its packed size", "zip bomb"),
    ),
    "an Excel sheet used to its last row": (
        lambda p: (
            _workbook(
                p,
                lambda xml: re.sub(
                    rb'<dimension ref="[^"]*"', b'<dimension ref="A1:K1048576"', xml
                ),
            ),
            _validate(p),
        )[-1],
        ExitCode.DATA,
        ("year.xlsx, sheet 'audits'", "row 1,048,576", "100,000 rows a table may hold"),
    ),
    "an Excel workbook of gigabytes": (
        lambda p: (
            [c.unlink() for c in (p / YEAR).glob("*.csv")],
            _sparse(p / YEAR / "year.xlsx", 2 * 1024**3),
            _validate(p),
        )[-1],
        ExitCode.DATA,
        ("year.xlsx", "2,147,483,648 bytes"),
    ),
}

TIMED = """
import sys, time
import pandas, openpyxl, pydantic  # imports are not the refusal
import workbook.inputs.loading, workbook.inputs.validation, workbook.coding.codebook
import workbook.coding.suggest, workbook.run.commands, workbook.run.runner
from workbook.inputs.checks import pandera_module
from workbook.run.cli import main
pandera_module()  # imported when a first table is validated: an import, not the refusal
started = time.process_time()  # this process's CPU: what the refusal costs, whatever else runs
code = main(sys.argv[1:])
sys.stderr.write(f"\\nrefused in {time.process_time() - started:.3f} s\\n")
sys.exit(code)
"""


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_refused_in_under_a_second_naming_it(project, name):
    make, code, says = HOSTILE[name]
    argv = make(project)
    argv = argv[-1] if isinstance(argv, tuple) else argv  # what was made, then the command
    environment = {**os.environ, "WORKBOOK_ROOT": str(project)}  # its codebook, if it has one
    environment.pop("WORKBOOK_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-c", TIMED, *argv],
        capture_output=True,
        text=True,
        timeout=120,  # a budget that does not hold would expand for minutes
        env=environment,
        cwd=project,
    )
    said = done.stdout + done.stderr
    assert done.returncode == code, said
    for words in says:
        assert words in said, said
    assert "Traceback" not in said
    seconds = float(re.search(r"refused in ([\d.]+) s", done.stderr)[1])
    assert seconds < 1.0, said
    problems = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(problems) <= 1, said  # one line for a person (list writes its table to stdout)


def test_workbook_list_lists_the_good_partnerships_and_marks_the_bad_one(project):
    _params(project, "small_number_threshold: lots\n", name="broken")
    _params(project, "", name="otherton")
    done = workbook("list", *folders(project))
    assert done.returncode == ExitCode.PARAMETERS  # a scheduler's health check sees it
    rows = {line.split()[0]: line for line in done.stdout.splitlines()}
    assert "Testshire Safeguarding Partnership" in rows["testshire"]
    assert "2019-20" in rows["testshire"]
    assert "(cannot be used)" in rows["broken"] and "'lots' is not a whole number" in rows["broken"]
    assert "(cannot be used)" not in rows["otherton"]
    assert "`workbook list` still lists" in EXIT_CODES[ExitCode.PARAMETERS]


# --- one line for a person, the whole error for a maintainer -------------------------------------


def test_a_defect_is_one_line_and_workbook_debug_shows_the_whole_error(project):
    """The same defect (a specification file broken by an install) read twice."""
    code = (
        "import sys, workbook.core.paths as p, pathlib\n"
        "p.SPECS_DIR = pathlib.Path(sys.argv[1])\n"
        "from workbook.run.cli import main\n"
        "sys.exit(main(['contract']))\n"
    )
    specs = project / "specs"
    shutil.copytree(paths.SPECS_DIR, specs)
    (specs / "contract.yaml").write_text(ALIAS_BOMB + "\n")
    environment = {k: v for k, v in os.environ.items() if k != "WORKBOOK_DEBUG"}
    plain = subprocess.run(
        [sys.executable, "-c", code, str(specs)], capture_output=True, text=True, env=environment
    )
    assert plain.returncode == ExitCode.DEFECT
    assert len(plain.stderr.strip().splitlines()) == 1, plain.stderr
    assert "contract.yaml: refused" in plain.stderr and "WORKBOOK_DEBUG=1" in plain.stderr
    debug = subprocess.run(
        [sys.executable, "-c", code, str(specs)],
        capture_output=True,
        text=True,
        env={**environment, "WORKBOOK_DEBUG": "1"},
    )
    assert "Traceback" in debug.stderr and "BudgetExceeded" in debug.stderr


# --- a batch that survives its workers -----------------------------------------------------------

SLOW_SECTION = """\
import time
import workbook.render.display as show
from workbook.inputs.report import open_report
report = open_report(partnership, year, data_dir, params_dir)
time.sleep(4)
show.heading(f"Reviews of {report.partnership.name}")
"""


def _small_project(root: Path, partnerships: list[str]) -> None:

    for partnership in partnerships:
        write_year(root, partnership)
        params = root / "params" / f"{partnership}.yaml"
        params.write_text(params.read_text() + "sections: [reviews_audits]\n")
    (root / "notebooks").mkdir()
    (root / "notebooks" / "03_reviews_audits.ipynb").write_text(
        json.dumps(stand_in_notebook(SLOW_SECTION))
    )


def _killer(outputs: Path, kills: dict[str, int], stop: threading.Event, killed: list) -> None:
    """Kill the Dask worker rendering a partnership (its pid is in its staging folder's name),
    as often as `kills` says."""
    seen = set()
    while not stop.is_set():
        for partnership, times in kills.items():
            for folder in (outputs / partnership).glob(".2019-20.*.partial"):
                pid = int(folder.name.split(".")[3])
                if pid in seen or sum(p == partnership for p, _ in killed) >= times:
                    continue
                seen.add(pid)
                time.sleep(1.0)  # mid-run: the kernel has started
                with __import__("contextlib").suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                killed.append((partnership, pid))
        time.sleep(0.1)


@pytest.mark.render
@pytest.mark.slow
def test_a_dask_batch_retries_a_run_once_when_its_worker_dies(tmp_path):
    """A LocalCluster of real worker processes: testshire's worker is killed mid-run (retried
    on another worker, rendered, and the summary says so); otherton's is killed on both tries
    (reported as failed); thirdshire renders as if nothing happened."""
    from distributed import LocalCluster

    from workbook.run.batch import summary_table
    from workbook.run.dask_batch import run_on_dask
    from workbook.run.runner import RunSettings

    partnerships = ["testshire", "otherton", "thirdshire"]
    _small_project(tmp_path, partnerships)
    settings = RunSettings(
        tmp_path / "data", tmp_path / "params", tmp_path / "outputs", tmp_path / "notebooks"
    )
    stop, killed = threading.Event(), []
    killer = threading.Thread(
        target=_killer,
        args=(tmp_path / "outputs", {"testshire": 1, "otherton": 2}, stop, killed),
        daemon=True,
    )
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        killer.start()
        try:
            results = run_on_dask(
                [(p, "2019-20") for p in partnerships], settings, cluster.scheduler_address
            )
        finally:
            stop.set()
            killer.join()
    got = {r.partnership: r for r in results}
    assert [p for p, _ in killed] == ["testshire", "otherton", "otherton"] or sorted(
        p for p, _ in killed
    ) == ["otherton", "otherton", "testshire"], killed
    assert got["testshire"].status == "rendered" and "retried on" in got["testshire"].retried
    assert got["otherton"].status == "failed"
    assert "died 2 times" in got["otherton"].message
    assert got["thirdshire"].status == "rendered" and not got["thirdshire"].retried
    table = summary_table(results)
    assert "2 rendered, 0 skipped, 1 failed (1 retried after a worker died)" in table
    assert "the worker that first ran it died" in table
    for partnership in partnerships:
        assert not list((tmp_path / "outputs" / partnership).glob(".2019-20.*.partial"))
    for _, pid in killed:
        assert not list(Path(tempfile.gettempdir()).glob(f"{KERNEL_FOLDER_PREFIX}*.{pid}.*"))
