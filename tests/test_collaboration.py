"""Working together: the CI files `mouctl init` writes and the pre-commit hook."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT, env_with_mouctl, git

HOOKS = ROOT / ".pre-commit-hooks.yaml"
CI_FILES = {".github/workflows/mou.yml": "vendor.github-workflows",
            ".gitlab-ci.yml": "vendor.gitlab-ci"}


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory):
    """A network made by `mouctl init` (no git: the CI files are what matters here)."""
    from mouctl import scaffold as sc

    folder = tmp_path_factory.mktemp("ci") / "net"
    import datetime as dt

    sc.create(folder, name="CI Network", coordinator="Berufsschule am Hafen", country="DE",
              today=dt.date(2026, 3, 1), use_git=False)
    return folder


@pytest.mark.parametrize("name", CI_FILES)
def test_init_writes_ci_files_that_are_valid_yaml(scaffold, name):
    data = yaml.safe_load((scaffold / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    text = (scaffold / name).read_text(encoding="utf-8")
    for step in ("mouctl validate", "mouctl render", "mouctl diff"):
        assert step in text, (name, step)
    assert "@MOUCTL_VERSION@" not in text


@pytest.mark.parametrize("name", CI_FILES)
def test_ci_files_pass_the_official_schemas(scaffold, name):
    # check-jsonschema ships these schemas, so this works offline.
    proc = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           CI_FILES[name], str(scaffold / name)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_github_workflow_keeps_the_documents_and_comments_on_pull_requests(scaffold):
    flow = yaml.safe_load((scaffold / ".github/workflows/mou.yml").read_text())
    steps = flow["jobs"]["mou"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    assert any(u.startswith("actions/checkout@") and s["with"]["fetch-depth"] == 0
               for u, s in zip(uses, steps, strict=True))
    pr_steps = [s for s in steps if s.get("if") == "github.event_name == 'pull_request'"]
    assert any("gh pr comment" in s["run"] for s in pr_steps)
    assert any("mouctl diff" in s["run"] for s in pr_steps)


def test_gitlab_ci_keeps_the_documents_and_diffs_merge_requests(scaffold):
    ci = yaml.safe_load((scaffold / ".gitlab-ci.yml").read_text())
    assert "out/" in ci["mou"]["artifacts"]["paths"]
    assert ci["amendment"]["rules"][0]["if"] == '$CI_PIPELINE_SOURCE == "merge_request_event"'
    assert any("mouctl diff" in line for line in ci["amendment"]["script"])


def test_github_workflow_steps_run_on_the_new_network(scaffold, tmp_path):
    """The validate and render steps, run as the workflow runs them, succeed."""
    flow = yaml.safe_load((scaffold / ".github/workflows/mou.yml").read_text())
    net = tmp_path / "net"
    shutil.copytree(scaffold, net)
    runs = [s["run"] for s in flow["jobs"]["mou"]["steps"]
            if "run" in s and "if" not in s and "pip install" not in s["run"]
            and "status" not in s["run"]]  # status needs a git history
    env = _env_with_mouctl(tmp_path)
    for script in runs:
        proc = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=net, env=env,
                              capture_output=True, text=True)
        assert proc.returncode == 0, (script, proc.stderr)
    assert (net / "out" / "mou.md").stat().st_size > 1000


# ---- pre-commit ---------------------------------------------------------------

def _manifest() -> dict:
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(HOOKS))  # pre-commit's own schema check
    return hook


def test_hook_manifest_is_valid_for_pre_commit():
    hook = _manifest()
    assert hook["id"] == "mouctl-validate"
    assert hook["language"] == "python"
    assert hook["entry"].split()[:2] == ["mouctl", "validate"]
    assert hook["pass_filenames"] is False


@pytest.mark.parametrize("path, matches", [
    ("network.yaml", True), ("partners/hlt-innsbruck.yaml", True),
    ("qualifications/cook-at.yml", True), ("mou/network.yaml", True),
    ("README.md", False), ("partners/notes.txt", False), ("other.yaml", False),
])
def test_hook_runs_only_for_network_files(path, matches):
    assert bool(re.search(_manifest()["files"], path)) is matches


def _env_with_mouctl(tmp_path) -> dict:
    return {**env_with_mouctl(tmp_path), "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}


def _network_repo(tmp_path, example: str):
    repo = tmp_path / "network"
    shutil.copytree(EXAMPLES / example, repo,
                    ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "network")
    return repo


def _local_config(repo, hook: dict) -> None:
    """The manifest's hook as a `repo: local` hook on the mouctl found on PATH.

    A `language: python` hook from a remote repo makes pre-commit pip-install mouctl
    and its dependencies from PyPI (about 35 s, and impossible offline); everything
    else about the hook (entry, files, pass_filenames) is taken from the manifest,
    so this runs the hook as published. test_hook_installs_from_the_repository
    runs the real `pre-commit try-repo` when MOUCTL_TEST_PYPI=1.
    """
    local = {k: hook[k] for k in ("id", "name", "entry", "files", "pass_filenames")}
    local["language"] = "system"
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(repo, "add", ".pre-commit-config.yaml")
    git(repo, "commit", "-qm", "validate on every commit")


def _pre_commit(repo, env, *args):
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)


def test_pre_commit_hook_passes_on_an_example_and_stops_a_broken_commit(tmp_path):
    repo = _network_repo(tmp_path, "sector")
    env = _env_with_mouctl(tmp_path)
    _local_config(repo, _manifest())

    ok = _pre_commit(repo, env, "run", "--all-files")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "mouctl validate" in ok.stdout and "Passed" in ok.stdout

    # A typo in one partner file: the hook fails and names the file and line.
    partner = repo / "partners" / "cfp-jesolo.yaml"
    partner.write_text(partner.read_text().replace("country: IT", "country: Italy"))
    git(repo, "add", "-A")
    broken = _pre_commit(repo, env, "run")
    assert broken.returncode == 1
    assert "partners/cfp-jesolo.yaml:4:10" in broken.stdout

    # A change to an unrelated file does not run the hook at all.
    git(repo, "reset", "-q", "--hard")
    (repo / "NOTES.md").write_text("minutes of the meeting\n")
    git(repo, "add", "NOTES.md")
    skipped = _pre_commit(repo, env, "run")
    assert skipped.returncode == 0
    assert "no files to check" in skipped.stdout.lower()


@pytest.mark.skipif(os.environ.get("MOUCTL_TEST_PYPI") != "1",
                    reason="installs mouctl's dependencies from PyPI; set MOUCTL_TEST_PYPI=1")
def test_hook_installs_from_the_repository(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = _network_repo(tmp_path, "bilateral")
    env = _env_with_mouctl(tmp_path)
    proc = _pre_commit(repo, env, "try-repo", str(ROOT), "mouctl-validate", "--all-files")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


def test_github_pull_request_step_writes_the_amendment(tmp_path, run):
    """The workflow's diff step, on a pull request branch of a real repository."""
    run("init", "net", "--yes", "--name", "PR Network", cwd=tmp_path)
    repo = tmp_path / "net"
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")  # as actions/checkout has it
    git(repo, "switch", "-q", "-c", "more-points")
    data = repo / "network.yaml"
    data.write_text(data.read_text().replace("ecvet_points: 30", "ecvet_points: 40"))
    git(repo, "commit", "-qam", "cook-u2: 40 points")
    flow = yaml.safe_load((repo / ".github/workflows/mou.yml").read_text())
    (step,) = [s for s in flow["jobs"]["mou"]["steps"]
               if s.get("name") == "What the amendment changes"]
    (repo / "out").mkdir()
    summary = tmp_path / "summary.md"
    env = {**env_with_mouctl(tmp_path), "BASE_REF": "main",
           "GITHUB_STEP_SUMMARY": str(summary)}
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", step["run"]], cwd=repo, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    amendment = (repo / "out" / "amendment.md").read_text()
    assert "ecvet_points 30 -> 40" in amendment and "substantive" in amendment
    assert summary.read_text() == amendment
