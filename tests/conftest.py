"""Shared fixtures: isolated HOME and git identity, golden files, CLI runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = ROOT / "examples"

# A fixed identity and clock for every git commit made in tests: stable hashes.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Coordinator",
    "GIT_AUTHOR_EMAIL": "coordinator@example.org",
    "GIT_COMMITTER_NAME": "Test Coordinator",
    "GIT_COMMITTER_EMAIL": "coordinator@example.org",
    "GIT_AUTHOR_DATE": "2026-01-15T10:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-01-15T10:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
    "MOUCTL_TODAY": "2026-03-01",
    "NO_COLOR": "1",
    "COLUMNS": "200",
}


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output")


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory, monkeypatch):
    """Tests never touch the real $HOME or the user's git config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))  # compiled templates
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("MOUCTL_DEBUG", raising=False)


@pytest.fixture
def golden(request):
    """Compare text with tests/golden/NAME; --update-golden rewrites it."""
    update = request.config.getoption("--update-golden")

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            if not update:
                pytest.fail(f"golden file {name} was missing and has been written; "
                            "review it and run again")
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"output differs from golden file {name} " \
                                   "(run pytest --update-golden and review the diff)"

    return check


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def run(tmp_path):
    """Run mouctl as a real process (the way users run it) in `cwd`."""

    def _run(*args: str, cwd: Path | None = None, input: str | None = None,
             env: dict | None = None) -> Result:
        full_env = {**os.environ, **(env or {})}
        full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
        proc = subprocess.run([sys.executable, "-m", "mouctl", *args], cwd=cwd or tmp_path,
                              input=input, capture_output=True, text=True, env=full_env,
                              timeout=120)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return _run


@pytest.fixture
def network(tmp_path):
    """A copy of a fixture network folder from tests/networks, in tmp."""

    def _copy(name: str) -> Path:
        src = Path(__file__).parent / "networks" / name
        dst = tmp_path / name
        shutil.copytree(src, dst)
        return dst

    return _copy


def git(cwd: Path, *args: str) -> str:
    """Run real git in `cwd` and return its output."""
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


def env_with_mouctl(folder: Path) -> dict:
    """os.environ with a `mouctl` on PATH that runs this checkout, as if installed.

    For tests that run shell text meant for users (the README, CI steps, hooks).
    """
    bin_dir = folder / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    shim = bin_dir / "mouctl"
    shim.write_text(f"#!/bin/sh\nexec {sys.executable} -m mouctl \"$@\"\n")
    shim.chmod(0o755)
    return {**os.environ, "PYTHONPATH": str(ROOT),
            "PATH": f"{bin_dir}{os.pathsep}{os.path.dirname(sys.executable)}{os.pathsep}"
                    f"{os.environ['PATH']}"}
