"""git's own refusals reported as what they are, in git's words.

Real repositories and real processes: a repository of another user (git's "dubious
ownership"), a blobless partial clone whose remote is gone, a held lock file, a
`.git` that cannot be written, and GIT_DIR pointing at another repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.gitnet import COORDINATOR, NetRepo, git

SIGN = ("sign", COORDINATOR, "--signatory", "Thomas Brandt", "--place", "Bremen",
        "--date", "2026-02-01")


@pytest.fixture
def released(tmp_path, run) -> NetRepo:
    repo = NetRepo.create(tmp_path / "net")
    assert run("release", "1.0", "-m", "First", cwd=repo.folder).code == 0
    return repo


def _state(repo: NetRepo) -> tuple:
    """The branch, the index, the working files and the tags: what a refusal keeps."""
    return (repo.head(), git(repo.root, "status", "--porcelain", "--untracked-files=all"),
            git(repo.root, "tag", "-l"), sorted(p.name for p in repo.folder.iterdir()))


@pytest.mark.skipif(os.geteuid() != 0, reason="giving the repository to another user "
                    "(chown) needs root")
@pytest.mark.parametrize("command", [["log"], ["status"], ["diff", "HEAD"], list(SIGN),
                                     ["render", "-o", "mou.md"]])
def test_a_repository_of_another_user_is_refused_in_gits_words(released, run, command):
    """Never "no commits", and never a document that calls itself "not in git"."""
    shutil.chown(released.root, "nobody")
    for path in released.root.rglob("*"):
        os.lchown(path, 65534, -1)
    result = run(*command, cwd=released.folder)
    assert result.code == 1, result.output
    assert "no commits" not in result.output and "Traceback" not in result.output
    assert (f"error: git refuses to use this repository: detected dubious ownership in "
            f"repository at '{released.root}' (it belongs to another user than the one "
            "running mouctl)") in result.stderr
    assert (f"hint: if you trust the folder, tell git so: git config --global --add "
            f"safe.directory {released.root}") in result.stderr


def test_a_partial_clone_without_its_remote_says_so(tmp_path, run):
    origin = NetRepo.create(tmp_path / "origin")
    assert run("release", "1.0", "-m", "First", cwd=origin.folder).code == 0
    origin.edit("ecvet_points: 30", "ecvet_points: 25")
    origin.commit("Fewer points")
    git(origin.root, "config", "uploadpack.allowFilter", "true")
    git(tmp_path, "clone", "-q", "--filter=blob:none", f"file://{origin.root}", "clone")
    shutil.rmtree(origin.root)  # offline: the remote is gone
    clone = tmp_path / "clone"
    for command in (["log"], ["status"], ["diff", "mou-v1.0"], list(SIGN)):
        result = run(*command, cwd=clone)
        assert result.code == 1, result.output
        assert "Traceback" not in result.output and "ownership" not in result.output
        assert ("error: this is a partial clone (made with `git clone --filter`): the "
                "files of an older version are not in it, and git could not fetch them "
                f"from its remote: '{origin.root}' does not appear to be a git "
                "repository") in result.stderr, result.stderr
        assert "hint: connect to the network (or make the remote reachable)" in \
            result.stderr
    assert not (clone / "signatures.yaml").exists()


def test_a_held_branch_lock_is_named_not_taken_for_a_moved_branch(released, run):
    lock = released.root / ".git" / "refs" / "heads" / "main.lock"
    lock.write_text("")
    before = _state(released)
    result = run(*SIGN, cwd=released.folder)
    assert result.code == 1, result.output
    assert "moved" not in result.stderr
    assert ("error: git refused to move the branch main: update_ref failed for ref "
            "'refs/heads/main': cannot lock ref 'refs/heads/main': Unable to create") \
        in result.stderr
    assert f"or remove {lock} if no git command is running, then run again" \
        in result.stderr
    assert _state(released) == before
    lock.unlink()
    assert run(*SIGN, cwd=released.folder).code == 0


def test_a_held_tag_lock_is_named_by_release(released, run):
    released.edit("ecvet_points: 30", "ecvet_points: 25")
    released.commit("Fewer points")
    lock = released.root / ".git" / "refs" / "tags" / "mou-v1.1.lock"
    lock.write_text("")
    result = run("release", "1.1", "-m", "Points", cwd=released.folder)
    assert result.code == 1, result.output
    assert ("error: git could not create the tag mou-v1.1: cannot lock ref "
            "'refs/tags/mou-v1.1'") in result.stderr
    assert "; nothing was released" in result.stderr
    assert f"remove {lock} if no git command is running" in result.stderr
    assert git(released.root, "tag", "-l") == "mou-v1.0\n"


def _without_write_permission(repo: NetRepo, *args: str) -> subprocess.CompletedProcess:
    """Run mouctl unable to write `.git`: read-only modes, and as root without the
    capability that lets root ignore them (setpriv drops it for this process only)."""
    for path in [repo.root / ".git", *(repo.root / ".git").rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~0o222)
    prefix = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("as root, a read-only .git needs setpriv to drop CAP_DAC_OVERRIDE")
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        return subprocess.run([*prefix, sys.executable, "-m", "mouctl", *args],
                              cwd=repo.folder, env=env, capture_output=True, text=True,
                              timeout=120)
    finally:
        for path in [repo.root / ".git", *(repo.root / ".git").rglob("*")]:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o200)


def test_sign_with_a_read_only_git_folder_is_clear_and_writes_nothing(released):
    before = _state(released)
    proc = _without_write_permission(released, *SIGN)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert (f"error: cannot write to the git repository {released.root / '.git'} "
            "(mouctl-sign.lock: Permission denied); nothing was changed") in proc.stderr
    assert "make the .git folder writable for you" in proc.stderr
    assert _state(released) == before
    assert not (released.folder / "signatures.yaml").exists()


def test_sign_with_git_objects_read_only_is_clear_and_writes_nothing(released, run):
    """The lock can be taken (it exists from an earlier sign), but git cannot store the
    commit: refused before the ledger is written."""
    assert run(*SIGN, cwd=released.folder).code == 0
    before = _state(released), (released.folder / "signatures.yaml").read_bytes()
    lock = released.root / ".git" / "mouctl-sign.lock"
    proc = _without_write_permission(released, "sign", "tampereen-ammattiopisto",
                                     "--signatory", "Jukka Mäkinen", "--place", "Tampere",
                                     "--date", "2026-02-02")
    assert lock.exists()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "error: cannot write to the git repository" in proc.stderr or \
        "error: git could not build the commit: insufficient permission" in proc.stderr
    assert (_state(released), (released.folder / "signatures.yaml").read_bytes()) == before


def test_git_dir_in_the_environment_does_not_redirect_any_command(tmp_path, run):
    """Decided: the network's folder names its repository; GIT_DIR, GIT_WORK_TREE and
    GIT_INDEX_FILE left in the environment are not followed (they would make mouctl
    read, cache or commit in another repository)."""
    mine = NetRepo.create(tmp_path / "mine")
    other = NetRepo.create(tmp_path / "other")
    other.edit("ecvet_points: 30", "ecvet_points: 10")
    other.commit("Other data")
    env = {"GIT_DIR": str(other.root / ".git"), "GIT_WORK_TREE": str(other.root),
           "GIT_INDEX_FILE": str(other.root / ".git" / "index")}
    other_head = other.head()
    assert run("release", "1.0", "-m", "First", cwd=mine.folder, env=env).code == 0
    assert git(mine.root, "tag", "-l") == "mou-v1.0\n" and git(other.root, "tag", "-l") == ""
    signed = run(*SIGN, cwd=mine.folder, env=env)
    assert signed.code == 0, signed.output
    assert "Record berufsschule-am-hafen" in git(mine.root, "log", "-1", "--format=%s")
    assert other.head() == other_head
    assert git(other.root, "status", "--porcelain") == ""
    status = run("status", cwd=mine.folder, env=env)
    assert status.code == 0 and "signed      berufsschule-am-hafen" in status.stdout
    diff = run("diff", "mou-v1.0", cwd=mine.folder, env=env)
    assert diff.code == 0 and "No changes from mou-v1.0" in diff.stdout, diff.output


@pytest.mark.parametrize("limit", [0, 200, 400])
def test_sign_under_a_file_size_limit_is_clear_and_writes_nothing(released, limit):
    """RLIMIT_FSIZE kills git (SIGXFSZ) or refuses mouctl's own write (EFBIG) at some
    step: each is a message, never an internal error, and nothing is half-written."""
    import resource

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    before = _state(released)
    proc = subprocess.run([sys.executable, "-m", "mouctl", *SIGN], cwd=released.folder,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=120, preexec_fn=limited)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert ("git was stopped by SIGXFSZ (File size limit exceeded)" in proc.stderr
            or "cannot write signatures.yaml: File too large" in proc.stderr), proc.stderr
    assert "nothing was changed" in proc.stderr
    assert _state(released) == before


def test_release_with_a_read_only_git_folder_is_clear_and_leaves_no_amendment(released):
    released.edit("ecvet_points: 30", "ecvet_points: 25")
    released.commit("Fewer points")
    before = _state(released)
    proc = _without_write_permission(released, "release", "1.1", "-m", "Points",
                                     "--amendment", "amendment.md")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert ("error: git could not create the tag mou-v1.1: insufficient permission for "
            "adding an object to repository database .git/objects; nothing was released") \
        in proc.stderr
    assert "hint: the git folder cannot be written" in proc.stderr
    assert _state(released) == before
