"""`sign` and `release` stopped at every step: nothing is lost and the message is true.

Each multi-step change names its steps (`mouctl.steps.reached`). These tests run
mouctl as a real process whose `reached` kills it (SIGKILL: nothing can be held
back) or presses Ctrl-C (SIGINT) exactly at one step, then look at the files and
the repository, and follow what the next run says.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.gitnet import COORDINATOR, NetRepo, git

ROOT = Path(__file__).resolve().parents[2]
SIGN = ["sign", COORDINATOR, "--signatory", "Thomas Brandt", "--date", "2026-02-20",
        "--place", "Bremen"]
SIGN_STEPS = ["sign:commit-built", "sign:file-written", "commit:index-updated",
              "commit:branch-moved"]
RELEASE_STEPS = ["release:amendment-written", "release:tagged"]


def _mouctl(folder: Path, args: list[str], *, stop_at: str | None = None,
            how: int = signal.SIGKILL) -> subprocess.CompletedProcess:
    """Run mouctl in `folder`; with `stop_at`, signal `how` arrives at that step."""
    code = textwrap.dedent(f"""
        import os, sys
        from mouctl import steps
        from mouctl.cli import main

        def reached(name):
            if name == {stop_at!r}:
                os.kill(os.getpid(), {int(how)})
        steps.reached = reached
        sys.exit(main({args!r}))
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MOUCTL_TODAY": "2026-03-01"}
    return subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True,
                          text=True, env=env, timeout=120)


@pytest.fixture
def released(tmp_path) -> NetRepo:
    repo = NetRepo.create(tmp_path / "net")
    result = _mouctl(repo.folder, ["release", "1.0", "-m", "First version"])
    assert result.returncode == 0, result.stderr
    return repo


def _committed_ledger(repo: NetRepo) -> str:
    return git(repo.root, "show", "HEAD:signatures.yaml", check=False)


def _working_ledger(repo: NetRepo) -> str:
    path = repo.folder / "signatures.yaml"
    return path.read_text(encoding="utf-8") if path.exists() else ""


@pytest.mark.parametrize("step", SIGN_STEPS)
def test_sign_killed_at_any_step_loses_nothing_and_the_next_run_says_why(released, step):
    head = released.head()
    result = _mouctl(released.folder, SIGN, stop_at=step, how=signal.SIGKILL)
    assert result.returncode == -signal.SIGKILL

    committed = COORDINATOR in _committed_ledger(released)
    in_file = COORDINATOR in _working_ledger(released)
    # Never a commit whose entry the working file lacks (`git commit -a` would drop it).
    assert in_file or not committed
    if step == "sign:commit-built":
        assert released.head() == head and not in_file  # nothing visible changed

    again = _mouctl(released.folder, SIGN)
    if committed:
        assert again.returncode == 1
        assert f"{COORDINATOR} has signed release 1.0 already" in again.stderr
    elif in_file:  # written, not committed: the next run names it and says to keep it
        assert again.returncode == 1
        assert "holds signatures that are not committed yet: " \
               f"{COORDINATOR} for release 1.0 (line 5)" in again.stderr
        hint = ('keep them: git add -- signatures.yaml && git commit -m "Record signatures" '
                "-- signatures.yaml")
        assert hint in again.stderr
        git(released.root, "add", "--", "signatures.yaml")  # the hint, as a user types it
        git(released.root, "commit", "-q", "-m", "Record signatures", "--",
            "signatures.yaml")
    else:
        assert again.returncode == 0, again.stderr
    assert COORDINATOR in _committed_ledger(released)
    assert _committed_ledger(released) == _working_ledger(released)
    assert git(released.root, "status", "--porcelain") == ""


def test_sign_stopped_by_ctrl_c_before_its_critical_steps_changes_nothing(released):
    head = released.head()
    result = _mouctl(released.folder, SIGN, stop_at="sign:commit-built", how=signal.SIGINT)
    assert result.returncode == 130
    assert result.stderr == "error: interrupted; nothing was changed\n"
    assert released.head() == head
    assert not (released.folder / "signatures.yaml").exists()
    assert git(released.root, "status", "--porcelain") == ""


@pytest.mark.parametrize("step", SIGN_STEPS[1:])
def test_ctrl_c_during_the_critical_steps_of_sign_completes_them_and_says_so(released, step):
    result = _mouctl(released.folder, SIGN, stop_at=step, how=signal.SIGINT)
    assert result.returncode == 130, result.stderr
    head = released.head()
    assert f"error: interrupted, but only after {COORDINATOR}'s signature of mou-v1.0 was " \
           f"recorded in signatures.yaml and committed as {head[:7]}; nothing was lost" \
           in result.stderr
    assert COORDINATOR in _committed_ledger(released)
    assert _committed_ledger(released) == _working_ledger(released)
    assert git(released.root, "status", "--porcelain") == ""


@pytest.fixture
def amended(released) -> NetRepo:
    released.edit("ecvet_points: 30", "ecvet_points: 25")
    released.commit("Fewer points for the first unit")
    return released


AMEND = ["release", "1.1", "-m", "Points corrected", "--amendment", "amendment-1.md"]


@pytest.mark.parametrize("step", RELEASE_STEPS)
def test_release_killed_at_any_step_is_completed_by_running_it_again(amended, step):
    result = _mouctl(amended.folder, AMEND, stop_at=step, how=signal.SIGKILL)
    assert result.returncode == -signal.SIGKILL
    tagged = "mou-v1.1" in git(amended.root, "tag", "-l")
    assert (amended.folder / "amendment-1.md").exists()  # written before the tag
    again = _mouctl(amended.folder, AMEND)
    if tagged:
        assert again.returncode == 1
        assert "release 1.1 exists already (tag mou-v1.1)" in again.stderr
    else:  # the identical document is found and the release completed
        assert again.returncode == 0, again.stderr
        assert "mou-v1.1" in git(amended.root, "tag", "-l")
    assert (amended.folder / "amendment-1.md").read_text(encoding="utf-8").startswith(
        "# Amendment No. 1")


@pytest.mark.parametrize("step", RELEASE_STEPS)
def test_ctrl_c_during_release_completes_it_and_says_so(amended, step):
    result = _mouctl(amended.folder, AMEND, stop_at=step, how=signal.SIGINT)
    assert result.returncode == 130, result.stderr
    assert "error: interrupted, but only after release mou-v1.1 was made on commit " \
           f"{amended.head()[:7]} and Amendment No. 1 written to amendment-1.md; nothing " \
           "was lost" in result.stderr
    assert "mou-v1.1" in git(amended.root, "tag", "-l")
    assert (amended.folder / "amendment-1.md").exists()


def test_a_release_whose_tag_git_refuses_leaves_no_amendment(amended):
    git(amended.root, "update-ref", "refs/tags/mou-v1.1/x", amended.head())  # blocks the tag
    result = _mouctl(amended.folder, AMEND)
    assert result.returncode == 1
    assert "git could not create the tag mou-v1.1" in result.stderr
    assert "nothing was released" in result.stderr
    assert not (amended.folder / "amendment-1.md").exists()
