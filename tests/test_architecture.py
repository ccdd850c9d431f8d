"""The house plan's import boundaries (docs/architecture.md), kept by import-linter.

The contracts live in pyproject.toml (`[tool.importlinter]`); this test runs the real
`lint-imports` on the package, and on a copy with a deliberate violation to show that
a broken boundary fails the suite.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _lint(root: Path, config: Path) -> subprocess.CompletedProcess:
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(lint), "--no-cache", str(config)], cwd=root,
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})


def test_the_import_contracts_hold():
    result = _lint(ROOT, ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_deliberate_violation_breaks_the_contract(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "mouctl", copy / "mouctl",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    # The model reaching for git and yaml, as a careless change might.
    (copy / "mouctl" / "model" / "shortcut.py").write_text(
        "import git\nimport yaml\n", encoding="utf-8")
    result = _lint(copy, copy / "pyproject.toml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "mouctl.model is not allowed to import git" in result.stdout
    assert "only mouctl.history imports GitPython BROKEN" in result.stdout
    assert "only mouctl.source.yamldoc imports PyYAML BROKEN" in result.stdout
