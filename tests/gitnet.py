"""Real git repositories holding a network, for the history tests.

Every commit gets a fixed author and an explicit date, so hashes are stable and
golden files can show them.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from mouctl import scaffold

COORDINATOR = "berufsschule-am-hafen"
PARTNER = "tampereen-ammattiopisto"


def git(cwd: Path, *args: str, date: str = "2026-01-15T10:00:00+00:00",
        check: bool = True) -> str:
    """Run real git with the commit dates set to `date`."""
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env,
                          check=False)
    if check and proc.returncode:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout


class NetRepo:
    """A git repository with a scaffolded network in `root / sub`."""

    def __init__(self, root: Path, sub: str = "", existing: bool = False) -> None:
        self.root = root
        self.folder = root / sub if sub else root
        self.day = 0
        if not existing:
            root.mkdir(parents=True, exist_ok=True)
            git(root, "init", "-q", "--initial-branch=main")

    @classmethod
    def create(cls, root: Path, sub: str = "", commit: bool = True) -> NetRepo:
        repo = cls(root, sub)
        files = scaffold._files(name="EuroCook Network", coordinator="Berufsschule am Hafen",
                                country="DE", today=dt.date(2026, 1, 15))
        repo.folder.mkdir(parents=True, exist_ok=True)
        (repo.folder / "network.yaml").write_text(files["network.yaml"], encoding="utf-8")
        if commit:
            repo.commit("Start the MoU")
        return repo

    @property
    def network_yaml(self) -> Path:
        return self.folder / "network.yaml"

    def edit(self, old: str, new: str, path: str = "network.yaml") -> None:
        file = self.folder / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    def next_date(self) -> str:
        self.day += 1
        return (dt.datetime(2026, 1, 15, 10, tzinfo=dt.UTC)
                + dt.timedelta(days=self.day)).isoformat()

    def commit(self, message: str, *paths: str) -> str:
        """Commit (everything, or `paths`) on the next day; return the hash."""
        date = self.next_date()
        git(self.root, "add", *(paths or ("-A",)))
        git(self.root, "commit", "-q", "-m", message, date=date)
        return self.head()

    def head(self) -> str:
        return git(self.root, "rev-parse", "HEAD").strip()

    def tag(self, name: str, message: str) -> None:
        git(self.root, "tag", "-a", name, "-m", message, date=self.next_date())

    def git(self, *args: str, check: bool = True) -> str:
        return git(self.root, *args, date=self.next_date(), check=check)
