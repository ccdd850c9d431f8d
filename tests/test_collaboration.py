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
    """A network made by `mouctl init` with both CI files (no git: the CI files are
    what matters here)."""
    import datetime as dt

    from mouctl import scaffold as sc

    folder = tmp_path_factory.mktemp("ci") / "net"
    sc.create(folder, name="CI Network", coordinator="Berufsschule am Hafen", country="DE",
              today=dt.date(2026, 3, 1), use_git=False, ci="github")
    (folder / ".gitlab-ci.yml").write_text(sc.ci_file("gitlab"), encoding="utf-8")
    return folder


@pytest.mark.parametrize("ci, present", [("github", ".github"), ("gitlab", ".gitlab-ci.yml"),
                                         ("none", None)])
def test_init_writes_the_ci_file_asked_for(run, tmp_path, ci, present):
    result = run("init", "net", "--yes", "--no-git", "--ci", ci, cwd=tmp_path)
    assert result.code == 0, result.output
    ci_entries = {p.name for p in (tmp_path / "net").iterdir()} & {".github", ".gitlab-ci.yml"}
    assert ci_entries == ({present} if present else set())
    assert ("MOUCTL_PACKAGE" in result.stderr) is (present is not None)


@pytest.mark.parametrize("name", CI_FILES)
def test_ci_installs_this_mouctl_through_one_variable_at_the_top(scaffold, name):
    from mouctl import __version__
    from mouctl.scaffold import install

    text = (scaffold / name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    variables = data["env"] if "env" in data else data["variables"]
    assert variables["MOUCTL_PACKAGE"] == install.current(__version__).spec
    assert __version__ in variables["MOUCTL_PACKAGE"]
    # Defined once, used by the one install command, documented for git and a wheel.
    assert text.count("MOUCTL_PACKAGE:") == 1
    assert text.count('pip install "$MOUCTL_PACKAGE"') == 1
    assert f"git+{install.repository()}@v{__version__}" in text and ".whl" in text


def test_install_spec_is_the_repository_of_pyproject():
    import tomllib

    from mouctl.scaffold import install

    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    assert urls["Repository"] == install.DEFAULT_REPOSITORY


def test_github_steps_run_with_pipefail(scaffold, tmp_path):
    """`mouctl status | tee` fails when mouctl fails (GitHub's `shell: bash`)."""
    flow = yaml.safe_load((scaffold / ".github/workflows/mou.yml").read_text())
    assert flow["defaults"]["run"]["shell"] == "bash"
    (status,) = [s for s in flow["jobs"]["mou"]["steps"] if s.get("name") == "Signatures"]
    assert "| tee" in status["run"]
    # What GitHub runs for `shell: bash`, on a folder that is no network.
    env = {**env_with_mouctl(tmp_path), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary")}
    proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                           status["run"]], cwd=tmp_path, env=env, capture_output=True,
                          text=True)
    assert proc.returncode != 0


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


def test_gitlab_note_is_edited_in_place(scaffold, tmp_path):
    """The note step against a stand-in for GitLab's notes API: the first push adds
    one note, the second edits it, and other people's notes stay."""
    import http.server
    import json
    import threading

    notes = [{"id": 1, "body": "Looks good to me"}]
    calls = []

    class Api(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _reply(self, data):
            body = json.dumps(data).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def _form(self):
            from urllib.parse import parse_qs

            length = int(self.headers["Content-Length"])
            return parse_qs(self.rfile.read(length).decode())["body"][0]

        def do_GET(self):  # noqa: N802 - http.server's naming
            calls.append(("GET", self.path, self.headers["PRIVATE-TOKEN"]))
            self._reply(notes)

        def do_POST(self):  # noqa: N802
            calls.append(("POST", self.path))
            notes.append({"id": len(notes) + 1, "body": self._form()})
            self._reply(notes[-1])

        def do_PUT(self):  # noqa: N802
            calls.append(("PUT", self.path))
            note = next(n for n in notes if self.path.endswith(f"/notes/{n['id']}"))
            note["body"] = self._form()
            self._reply(note)

    server = http.server.HTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ci = yaml.safe_load((scaffold / ".gitlab-ci.yml").read_text())
    (step,) = [s for s in ci["amendment"]["script"] if "MOUCTL_GITLAB_TOKEN" in s]
    (tmp_path / "out").mkdir()
    env = {**os.environ, "MOUCTL_GITLAB_TOKEN": "secret", "CI_PROJECT_ID": "7",
           "CI_MERGE_REQUEST_IID": "3",
           "CI_API_V4_URL": f"http://127.0.0.1:{server.server_port}/api/v4"}
    try:
        for text in ("first diff", "second diff"):
            (tmp_path / "out" / "amendment.md").write_text(text)
            proc = subprocess.run(["bash", "-eo", "pipefail", "-c", step], cwd=tmp_path,
                                  env=env, capture_output=True, text=True, timeout=60)
            assert proc.returncode == 0, proc.stderr
    finally:
        server.shutdown()
    assert [c[0] for c in calls] == ["GET", "POST", "GET", "PUT"]
    assert calls[0][1].startswith("/api/v4/projects/7/merge_requests/3/notes")
    assert calls[0][2] == "secret"
    assert len(notes) == 2 and notes[0]["body"] == "Looks good to me"
    assert notes[1]["body"].endswith("second diff")


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


def _readme_hook_snippet() -> tuple[dict, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("**Validate on every commit with pre-commit.**")
    section = text[start:text.index("\n## ", start)]
    snippet = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    return yaml.safe_load(snippet), section


def test_readme_pre_commit_snippet_agrees_with_the_hook():
    import tomllib

    from mouctl.scaffold import install

    config, section = _readme_hook_snippet()
    (repo,) = config["repos"]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    # The tag the release workflow creates for this version, on the repository of pyproject.
    assert repo["rev"] == f"v{version}" and repo["repo"] == install.DEFAULT_REPOSITORY
    release = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text())
    assert release[True]["push"]["tags"] == ["v*"]  # PyYAML reads the key `on` as True
    (hook,) = repo["hooks"]
    manifest = _manifest()
    assert hook["id"] == manifest["id"]
    # What the README says the hook runs is what it runs.
    assert f"the hook runs `{manifest['entry']}`" in section
    assert ("--strict" in manifest["entry"]) is ("unless you add `--strict`" not in section)


@pytest.mark.parametrize("name", ["ci.yml", "release.yml"])
def test_mouctls_own_workflows_pass_the_schema(name):
    path = ROOT / ".github" / "workflows" / name
    proc = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.github-workflows", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mouctls_ci_runs_the_readme_test_command_on_supported_pythons():
    import tomllib

    flow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    job = flow["jobs"]["test"]
    runs = [s.get("run", "") for s in job["steps"]]
    assert "bash .ci/run" in runs
    minimum = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "requires-python"].removeprefix(">=")
    assert job["strategy"]["matrix"]["python-version"][0] == minimum
