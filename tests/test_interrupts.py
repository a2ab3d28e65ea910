"""An interrupted run (SIGINT, SIGTERM) ends with one line and exit 130/143, and leaves the
reports of the run before it intact, or replaces them whole: never a mix, never a temporary."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.interrupts import Terminated, deferred, exit_code, raise_on_sigterm

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
ONE_SEED = sorted(SEEDS.glob("*.txt"))[0]
REPORTS = ("facts.csv", "findings.csv", "report.json", "report.html")

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")


@pytest.fixture(autouse=True)
def interruptible() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt here and in the commands started, as in a terminal, also
    when the tests were started with SIGINT ignored (a background job of a script)."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


# The command, with a hook that says where it is, so that the signal lands mid-run every time.
CHILD = """
import os, signal, sys, time
import checker.pipeline as pipeline
import checker.report.html as html
from checker import cli

phase, signum, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
if phase == "reading":
    read = pipeline.document_claims

    def slow(document, *args, **kwargs):
        print("reading", flush=True)
        time.sleep(120)
        yield from read(document, *args, **kwargs)

    pipeline.document_claims = slow
elif phase == "writing":  # the signal arrives while the last file is being made
    render = html.stream_html

    def signal_then_render(*args, **kwargs):
        os.kill(os.getpid(), signum)
        return render(*args, **kwargs)

    html.stream_html = signal_then_render
else:  # the signal arrives once the first report file is in place
    replace = os.replace

    def replace_then_signal(source, target):
        replace(source, target)
        if os.path.basename(target) == "facts.csv":
            os.kill(os.getpid(), signum)

    os.replace = replace_then_signal
sys.exit(cli.main(argv))
"""


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """A report folder holding the reports of an earlier run."""
    out = tmp_path / "reports"
    out.mkdir()
    for name in REPORTS:
        (out / name).write_bytes(f"earlier {name}\n".encode())
    return out


def _command(out: Path) -> list[str]:
    return ["report", str(ONE_SEED), "--out", str(out), "--quiet", "--no-cache"]


def _reports(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


@pytest.mark.parametrize(
    ("signum", "code", "line"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
)
def test_a_signal_while_reading_leaves_the_previous_reports(
    previous: Path, signum: int, code: int, line: str
) -> None:
    before = _reports(previous)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, "reading", "0", *_command(previous)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "reading\n"
        child.send_signal(signum)
        _, err = child.communicate(timeout=60)
    finally:
        child.kill()
    assert child.returncode == code
    assert err == f"numcheck: error: {line}\n"
    assert _reports(previous) == before  # and no temporary file beside them


def test_a_signal_while_writing_leaves_the_previous_reports(previous: Path) -> None:
    before = _reports(previous)
    completed = _interrupted("writing", previous)
    assert completed.returncode == 143
    assert completed.stderr == "numcheck: error: terminated\n"
    assert _reports(previous) == before  # and no temporary file beside them


def test_a_signal_while_renaming_waits_until_the_reports_are_replaced_whole(
    previous: Path,
) -> None:
    before = _reports(previous)
    completed = _interrupted("renaming", previous)
    assert completed.returncode == 143
    assert completed.stderr == "numcheck: error: terminated\n"
    after = _reports(previous)
    assert sorted(after) == sorted(before)
    assert all(after[name] != before[name] for name in REPORTS)  # all new, none left behind
    assert after["facts.csv"].startswith(b"claim_id,")


def _interrupted(phase: str, out: Path) -> subprocess.CompletedProcess[str]:
    """The command, sending itself SIGTERM at `phase`."""
    return subprocess.run(
        [sys.executable, "-c", CHILD, phase, str(int(signal.SIGTERM)), *_command(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deferred_signals_take_effect_when_the_block_ends() -> None:
    before = signal.getsignal(signal.SIGTERM)
    restore = raise_on_sigterm()
    try:
        done = []
        with pytest.raises(Terminated) as raised, deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            done.append("after the signal")
        assert done == ["after the signal"]
        assert exit_code(raised.value.signum) == 143
        with pytest.raises(KeyboardInterrupt), deferred():
            os.kill(os.getpid(), signal.SIGINT)
        # an error inside the block goes first
        with pytest.raises(OSError), deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            raise OSError("disk full")
    finally:
        restore()
    assert signal.getsignal(signal.SIGTERM) == before


def test_raise_on_sigterm_is_undone() -> None:
    before = signal.getsignal(signal.SIGTERM)
    restore = raise_on_sigterm()
    assert signal.getsignal(signal.SIGTERM) != before
    restore()
    assert signal.getsignal(signal.SIGTERM) == before


def test_the_command_restores_sigterm(tmp_path: Path) -> None:
    from checker import cli

    before = signal.getsignal(signal.SIGTERM)
    shutil.copy(ONE_SEED, tmp_path / ONE_SEED.name)
    assert cli.main(["extract", str(tmp_path), "--out", str(tmp_path / "facts.csv")]) == 0
    assert signal.getsignal(signal.SIGTERM) == before


def test_workers_end_when_the_run_is_killed(tmp_path: Path) -> None:
    """SIGKILL leaves a run no chance to stop its workers: they notice and end on their own."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for copy in range(40):  # work enough that the workers are busy when the run dies
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, corpus / f"{copy:02d}-{seed.name}")
    run = subprocess.Popen(
        [sys.executable, "-m", "checker", "report", str(corpus), "--jobs", "2", "--no-cache",
         "--out", str(tmp_path / "out")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    children: list[int] = []
    deadline = 60
    while not children and deadline and run.poll() is None:
        found = subprocess.run(["pgrep", "-P", str(run.pid)], capture_output=True, text=True)
        children = [int(pid) for pid in found.stdout.split()]
        deadline -= 1
        if not children:
            subprocess.run(["sleep", "0.5"], check=False)
    if not children:
        run.kill()
        pytest.skip("the run ended before its workers could be seen")
    run.kill()
    run.wait()
    for _ in range(20):  # the workers look for their parent once a second
        alive = [pid for pid in children if _alive(pid)]
        if not alive:
            break
        subprocess.run(["sleep", "0.5"], check=False)
    assert not [pid for pid in children if _alive(pid)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())  # a zombie is gone
