"""`release`, `status` and `sign` open the repository once and read each release once."""

from __future__ import annotations

import pytest

from mouctl.cli import main
from mouctl.history import engine
from mouctl.history import repo as gitrepo
from tests.gitnet import COORDINATOR, PARTNER, NetRepo


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


def _calls(monkeypatch, name: str) -> list:
    """The keys of what the history engine's method `name` is called with."""
    seen: list = []
    real = getattr(engine.Engine, name)

    def counting(self, item):
        seen.append(item.key)
        return real(self, item)

    monkeypatch.setattr(engine.Engine, name, counting)
    return seen


@pytest.fixture
def versions_read(monkeypatch) -> list:
    """The versions the history engine builds (each tree once per command)."""
    return _calls(monkeypatch, "_in_parts")


def test_release_status_and_sign_open_the_repository_at_most_once(tmp_path, opened,
                                                          versions_read) -> None:
    repo = NetRepo.create(tmp_path / "net")
    folder = str(repo.folder)
    assert main(["release", "1.0", "-m", "First version", "-N", folder]) == 0
    assert len(opened) == 0  # release asks git itself: GitPython is never opened
    repo.edit("ecvet_points: 20", "ecvet_points: 25")
    repo.commit("More points")
    for command, most in ((["release", "1.1", "-m", "More points", "-N", folder], 0),
                          (["status", "-N", folder], 1),
                          (["sign", COORDINATOR, "--signatory", "Anna Berger", "--place",
                            "Hamburg", "--date", "2026-02-01", "--force", "-N", folder], 1)):
        opened.clear()
        versions_read.clear()
        assert main(command) == 0, command
        assert len(opened) <= most, command
        assert len(versions_read) == len(set(versions_read)), command  # each read once


def _two_releases(tmp_path) -> NetRepo:
    repo = NetRepo.create(tmp_path / "net")
    folder = str(repo.folder)
    assert main(["release", "1.0", "-m", "First version", "-N", folder]) == 0
    repo.edit("ecvet_points: 20", "ecvet_points: 25")
    repo.commit("More points")
    assert main(["release", "1.1", "-m", "More points", "-N", folder]) == 0
    return repo


def _cold(repo: NetRepo) -> None:
    """Forget every cached answer, as in a fresh clone."""
    import shutil

    shutil.rmtree(repo.root / ".git" / "mouctl-cache", ignore_errors=True)


def _tree_key(repo: NetRepo, rev: str) -> str:
    from mouctl.history.session import Session

    with Session(repo.folder) as session:
        return session.version(rev).key


def test_status_reads_only_the_releases_that_can_bind_somebody(tmp_path, opened,
                                                               versions_read) -> None:
    repo = _two_releases(tmp_path)
    old, new = _tree_key(repo, "mou-v1.0"), _tree_key(repo, "mou-v1.1")
    _cold(repo)
    versions_read.clear()
    # Nobody signed: the superseded mou-v1.0 binds nobody, so its data is not read.
    assert main(["status", "-N", str(repo.folder)]) == 0
    assert versions_read == [new]
    # Once the ledger has an entry of this MoU, a bond can carry along its chain:
    # every release of it is read (and checked against its tag), each once.
    assert main(["sign", COORDINATOR, "--signatory", "Anna Berger", "--place", "Hamburg",
                 "--date", "2026-02-01", "--force", "--release", "1.0",
                 "-N", str(repo.folder)]) == 0
    _cold(repo)
    versions_read.clear()
    main(["status", "-N", str(repo.folder)])
    assert sorted(versions_read) == sorted([old, new])


def test_a_release_fingerprint_is_computed_only_when_compared(tmp_path, opened,
                                                              monkeypatch) -> None:
    from mouctl.history.session import Session

    repo = _two_releases(tmp_path)
    _cold(repo)
    digested = _calls(monkeypatch, "fingerprint")
    with Session(repo.folder) as session:
        found = session.releases()
        data = session.release_data(found)
        assert all(d.valid and d.fingerprint is None for d in data.values())
        assert digested == []
        # Asked for, it is the data fingerprint the tag recorded when it was released,
        # and it is kept under the tag object's id for the next command.
        assert session.release_fingerprint(found[0]) == found[0].data_fingerprint
    with Session(repo.folder) as session:
        again = session.release_data(session.releases())
        assert again[found[0].tag].fingerprint == found[0].data_fingerprint
        assert again[found[1].tag].fingerprint is None


def test_sign_reads_the_release_signed_and_those_the_ledger_names(tmp_path, opened,
                                                                  versions_read) -> None:
    repo = _two_releases(tmp_path)
    old, new = _tree_key(repo, "mou-v1.0"), _tree_key(repo, "mou-v1.1")
    sign = ["sign", COORDINATOR, "--signatory", "Anna Berger", "--place", "Hamburg",
            "--date", "2026-02-01", "--force", "-N", str(repo.folder)]
    _cold(repo)
    versions_read.clear()
    assert main([*sign, "--release", "1.0"]) == 0
    assert versions_read == [old]  # mou-v1.1 is named by no entry: its data is not read
    _cold(repo)
    versions_read.clear()
    assert main(sign) == 0  # signs mou-v1.1; the ledger names mou-v1.0, audited with it
    assert sorted(versions_read) == sorted([old, new])


def test_a_release_is_rendered_once_per_renderer(tmp_path, opened, monkeypatch) -> None:
    """`status` words the latest release again to compare it with the released
    document; what `release` rendered is remembered, until the renderer changes."""
    from mouctl.ledger import printed
    from mouctl.ledger import release as releases

    repo = NetRepo.create(tmp_path / "net")
    folder = str(repo.folder)
    assert main(["release", "1.0", "-m", "First version", "-N", folder]) == 0
    rendered: list = []
    real = releases.document_fingerprint

    def counting(*args, **kwargs):
        rendered.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(releases, "document_fingerprint", counting)
    assert main(["status", "-N", folder]) == 0
    assert rendered == []
    monkeypatch.setattr(printed, "renderer", lambda: "another mouctl")
    assert main(["status", "-N", folder]) == 0
    assert main(["status", "-N", folder]) == 0
    assert rendered == ["mou-v1.0"]
    # Templates changed since the release: said so, without rendering anything.
    (repo.folder / "templates").mkdir()
    (repo.folder / "templates" / "mou.md.j2").write_text(
        '{% extends "default/mou.md.j2" %}\n', encoding="utf-8")
    repo.commit("Own templates")
    main(["status", "-N", folder])
    assert rendered == ["mou-v1.0"]


# -- which releases status reads: the same answer as reading every release ----------

def _release(repo: NetRepo, version: str, old: str, new: str) -> None:
    repo.edit(old, new)
    repo.commit(f"Towards {version}")
    assert main(["release", version, "-m", f"Release {version}", "-N", str(repo.folder)]) == 0


def _sign(repo: NetRepo, partner: str, version: str) -> None:
    assert main(["sign", partner, "--signatory", "Someone", "--place", "Bremen", "--date",
                 "2026-02-01", "--force", "--release", version, "-N", str(repo.folder)]) == 0


SUBSTANTIVE = [("ecvet_points: 20", "ecvet_points: 25"), ("ecvet_points: 25", "ecvet_points: 30"),
               ("ecvet_points: 30", "ecvet_points: 35")]
ADMINISTRATIVE = [("name: Maria Keller", "name: Maria Keller-Hansen"),
                  ("name: Maria Keller-Hansen", "name: Maria Keller-Hansen-Berg")]


@pytest.mark.parametrize("story", [
    # a first release nobody signed; an amendment signed by one, carried by an
    # administrative change; a new amendment nobody signed yet
    ["1.0", "S1.1", "sign 1.1 all", "A1.2", "S1.3"],
    # the newest release carries the bonds of the amendment before it
    ["1.0", "S1.1", "sign 1.1 all", "S1.2", "sign 1.2 one", "A1.3"],
    # an unsigned run between two signed ones
    ["1.0", "sign 1.0 all", "S1.1", "A1.2", "S1.3", "sign 1.3 all", "A2.0"],
])
def test_status_reads_fewer_releases_for_the_same_answer(tmp_path, opened, monkeypatch,
                                                         story) -> None:
    import datetime as dt

    from mouctl.ledger import binding
    from mouctl.ledger import status as statuses

    repo = NetRepo.create(tmp_path / "net")
    substantive, administrative = iter(SUBSTANTIVE), iter(ADMINISTRATIVE)
    for step in story:
        if step.startswith("sign"):
            _, version, who = step.split()
            for partner in ([COORDINATOR, PARTNER] if who == "all" else [COORDINATOR]):
                _sign(repo, partner, version)
        elif step[0] in "SA":
            _release(repo, step[1:], *next(substantive if step[0] == "S" else administrative))
        else:
            assert main(["release", step, "-m", "First", "-N", str(repo.folder)]) == 0
    today = dt.date(2026, 3, 1)

    def answer():
        _cold(repo)
        report = statuses.build(repo.folder, today=today)
        return statuses.lines(report), report.as_dict()

    from mouctl.history.session import Session
    from mouctl.ledger import signatures

    with Session(repo.folder) as session:
        found = session.releases()
        assert len(binding.releases_to_read(found, signatures.read(repo.folder))) \
            < len(found)  # an unsigned run is left unread
    fewer = answer()
    monkeypatch.setattr(binding, "releases_to_read", lambda found, ledger: found)
    assert fewer == answer()
