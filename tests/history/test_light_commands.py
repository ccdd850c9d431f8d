"""A warm `log` or `diff` of two commits loads only what it uses: no GitPython, and for
`log` no models or YAML; a part the cache lost is read again from git."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from benchmarks import synth
from benchmarks.generate import split_files
from mouctl.history.parsecache import FILE_NAME
from tests.conftest import ROOT
from tests.gitnet import git

_PROBE = """
import sys
from mouctl.cli import main
code = main(sys.argv[1:])
loaded = [m for m in ("git", "yaml", "mouctl.model.network") if m in sys.modules]
sys.stderr.write("LOADED " + ",".join(loaded) + "\\n")
raise SystemExit(code)
"""


def _split_history(root: Path) -> None:
    root.mkdir()
    git(root, "init", "-q", "--initial-branch=main")
    data = synth.network(synth.Size("T", 4, 2, 6))
    for i in range(3):
        if i:
            data["qualifications"][0]["units"][0]["ecvet_points"] = 1 + i
            data["partners"][1]["contact"]["phone"] = f"+49 421 00{i}"
        for name, text in split_files(data).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"version {i}", date=f"2026-01-0{i + 1}T10:00:00+00:00")


def _mouctl(root: Path, *args: str) -> tuple[str, list[str]]:
    proc = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=root,
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                               "HOME": str(root), "NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stderr.splitlines() if x.startswith("LOADED "))
    return proc.stdout, [m for m in line.removeprefix("LOADED ").split(",") if m]


def test_a_warm_log_imports_no_git_library_models_or_yaml(tmp_path) -> None:
    _split_history(tmp_path / "net")
    cold, _ = _mouctl(tmp_path / "net", "log")
    warm, loaded = _mouctl(tmp_path / "net", "log")
    assert warm == cold and "ecvet_points" not in warm
    assert loaded == []


def test_a_warm_diff_of_two_commits_opens_no_gitpython(tmp_path) -> None:
    _split_history(tmp_path / "net")
    cold, _ = _mouctl(tmp_path / "net", "diff", "HEAD~2", "HEAD")
    warm, loaded = _mouctl(tmp_path / "net", "diff", "HEAD~2", "HEAD")
    assert warm == cold and "ecvet_points" in warm and "-> 3" in warm
    assert "git" not in loaded


def test_a_part_the_cache_lost_is_read_again_from_git(tmp_path) -> None:
    _split_history(tmp_path / "net")
    before, _ = _mouctl(tmp_path / "net", "diff", "HEAD~2", "HEAD")
    db = tmp_path / "net" / ".git" / "mouctl-cache" / FILE_NAME
    with sqlite3.connect(db) as conn:
        assert conn.execute("DELETE FROM entry WHERE kind='part'").rowcount
    after, _ = _mouctl(tmp_path / "net", "diff", "HEAD~2", "HEAD")
    assert after == before
    with sqlite3.connect(db) as conn:  # and stored again
        assert conn.execute("SELECT COUNT(*) FROM entry WHERE kind='part'").fetchone()[0]
