"""`release`, `status` and `sign` open the repository once and read each release once."""

from __future__ import annotations

import pytest

from mouctl.cli import main
from mouctl.history import engine
from mouctl.history import repo as gitrepo
from tests.gitnet import COORDINATOR, NetRepo


@pytest.fixture
def opened(monkeypatch) -> list:
    """Every repository opened (the real one is opened; the call is only counted)."""
    calls: list = []
    real = gitrepo.open_repository

    def counting(folder):
        calls.append(folder)
        return real(folder)

    monkeypatch.setattr(gitrepo, "open_repository", counting)
    monkeypatch.setenv("MOUCTL_TODAY", "2026-03-01")
    return calls


@pytest.fixture
def versions_read(monkeypatch) -> list:
    """The versions the history engine builds (each tree once per command)."""
    built: list = []
    real = engine.Engine._in_parts

    def counting(self, tree):
        built.append(tree.key)
        return real(self, tree)

    monkeypatch.setattr(engine.Engine, "_in_parts", counting)
    return built


def test_release_status_and_sign_open_the_repository_once(tmp_path, opened,
                                                          versions_read) -> None:
    repo = NetRepo.create(tmp_path / "net")
    folder = str(repo.folder)
    assert main(["release", "1.0", "-m", "First version", "-N", folder]) == 0
    assert len(opened) == 1
    repo.edit("ecvet_points: 20", "ecvet_points: 25")
    repo.commit("More points")
    for command in (["release", "1.1", "-m", "More points", "-N", folder],
                    ["status", "-N", folder],
                    ["sign", COORDINATOR, "--signatory", "Anna Berger", "--place", "Hamburg",
                     "--date", "2026-02-01", "--force", "-N", folder]):
        opened.clear()
        versions_read.clear()
        assert main(command) == 0, command
        assert len(opened) == 1, command
        assert len(versions_read) == len(set(versions_read)), command  # each read once
