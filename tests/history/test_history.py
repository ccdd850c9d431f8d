"""history.py: the network at any revision, the version label, the releases.

Real git repositories in tmp with fixed dates; every git state of issue 4 part 6.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from mouctl.errors import GitError
from mouctl.history import revisions as history
from tests.gitnet import PARTNER, NetRepo, git

TODAY = dt.date(2026, 3, 1)


def points(loaded, unit_id: str):
    return next(u for _, u in loaded.network.units() if u.id == unit_id).ecvet_points


@pytest.fixture
def repo(tmp_path) -> NetRepo:
    r = NetRepo.create(tmp_path / "net")
    r.edit("ecvet_points: 20", "ecvet_points: 25")
    r.commit("More points for cold dishes")
    return r


def test_working_tree_includes_uncommitted_edits(repo):
    repo.edit("ecvet_points: 25", "ecvet_points: 28")
    loaded = history.network_at(repo.folder, None, today=TODAY)
    assert points(loaded, "cook-u1") == 28


@pytest.mark.parametrize("rev, expected", [("HEAD", 25), ("HEAD~1", 20), ("main", 25)])
def test_revisions(repo, rev, expected):
    loaded = history.network_at(repo.folder, rev, today=TODAY)
    assert loaded.errors == []
    assert points(loaded, "cook-u1") == expected


def test_hash_and_tag_revisions_name_files_by_revision(repo):
    first = repo.git("rev-parse", "HEAD~1").strip()
    repo.git("tag", "-a", "mou-v1.0", "-m", "first", first)
    assert points(history.network_at(repo.folder, first[:8], today=TODAY), "cook-u1") == 20
    loaded = history.network_at(repo.folder, "mou-v1.0", today=TODAY)
    assert points(loaded, "cook-u1") == 20
    assert loaded.files == ["mou-v1.0:network.yaml"]


def test_split_files_in_a_subfolder(tmp_path):
    r = NetRepo.create(tmp_path / "repo", sub="mou/network")
    text = r.network_yaml.read_text()
    start = text.index("  - id: tampereen-ammattiopisto")
    end = text.index("# Section 4")
    block = text[start:end]
    partner = "\n".join(line[4:] for line in block.splitlines()).strip() + "\n"
    (r.folder / "partners").mkdir()
    (r.folder / "partners" / f"{PARTNER}.yaml").write_text(partner)
    r.network_yaml.write_text(text[:start] + text[end:])
    r.commit("Split the partner abroad into its own file")
    loaded = history.network_at(r.folder, "HEAD", today=TODAY)
    assert loaded.errors == [], loaded.diagnostics
    assert [p.id for p in loaded.network.partners][-1] == PARTNER
    assert "HEAD:mou/network/partners/tampereen-ammattiopisto.yaml" in loaded.files
    old = history.network_at(r.folder, "HEAD~1", today=TODAY)
    assert old.files == ["HEAD~1:mou/network/network.yaml"]
    assert old.network.partners[-1].id == PARTNER


def test_invalid_data_at_a_revision_is_diagnosed_not_raised(repo):
    repo.edit("eqf_level: 4", "eqf_level: [4")
    repo.commit("Broken YAML")
    loaded = history.network_at(repo.folder, "HEAD", today=TODAY)
    assert loaded.network is None
    assert loaded.errors and loaded.errors[0].file == "HEAD:network.yaml"
    assert loaded.errors[0].line is not None


def test_unknown_revision(repo):
    with pytest.raises(GitError, match="unknown revision 'mou-v9'") as err:
        history.network_at(repo.folder, "mou-v9", today=TODAY)
    assert "mouctl log" in err.value.hint


def test_not_a_repository(tmp_path):
    NetRepo.create(tmp_path / "r")
    shutil.rmtree(tmp_path / "r" / ".git")
    with pytest.raises(GitError, match="not in a git repository"):
        history.network_at(tmp_path / "r", "HEAD", today=TODAY)
    assert history.describe_version(tmp_path / "r") == "draft (not in git)"


def test_no_commits(tmp_path):
    r = NetRepo.create(tmp_path / "r", commit=False)
    with pytest.raises(GitError, match="no commits yet"):
        history.network_at(r.folder, "HEAD", today=TODAY)
    assert history.describe_version(r.folder) == "draft (no commits yet)"
    assert history.releases(r.folder) == []


def test_detached_head_reads_and_labels(repo):
    repo.git("checkout", "-q", "--detach", "HEAD~1")
    assert points(history.network_at(repo.folder, "HEAD", today=TODAY), "cook-u1") == 20
    assert history.describe_version(repo.folder).startswith("commit ")


def test_shallow_clone_unknown_old_revision(repo, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    assert points(history.network_at(clone, "HEAD", today=TODAY), "cook-u1") == 25
    with pytest.raises(GitError, match="unknown revision 'HEAD~1'") as err:
        history.network_at(clone, "HEAD~1", today=TODAY)
    assert "git fetch --unshallow" in err.value.hint


def test_network_folder_renamed(tmp_path):
    r = NetRepo.create(tmp_path / "repo", sub="old")
    r.git("mv", "old", "new")
    r.commit("Move the network")
    folder = r.root / "new"
    loaded = history.network_at(folder, "HEAD~1", today=TODAY)
    assert loaded.errors == []
    assert loaded.files == ["HEAD~1:old/network.yaml"]


def test_network_added_later(tmp_path):
    r = NetRepo(tmp_path / "repo")
    (r.root / "README.md").write_text("notes\n")
    r.commit("Notes first")
    (r.root / "net").mkdir()
    shutil.copy(NetRepo.create(tmp_path / "other").network_yaml, r.root / "net")
    r.commit("Add the network")
    with pytest.raises(GitError, match="no network.yaml in 'net/' at revision 'HEAD~1'"):
        history.network_at(r.root / "net", "HEAD~1", today=TODAY)


def test_network_deleted_in_working_tree(repo):
    repo.network_yaml.unlink()
    # The last commit still has it; the working tree does not.
    assert history.network_at(repo.folder, "HEAD", today=TODAY).network is not None
    with pytest.raises(Exception, match="no network.yaml"):
        history.network_at(repo.folder, None, today=TODAY)


def test_git_not_installed(repo, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(GitError, match="git is not installed"):
        history.network_at(repo.folder, "HEAD", today=TODAY)
    assert history.describe_version(repo.folder) == "draft (not in git)"


def test_describe_version_labels(repo):
    head = repo.head()[:7]
    assert history.describe_version(repo.folder) == f"commit {head}"
    repo.tag("mou-v1.0", "MoU release 1.0\n\nReason: first\n")
    assert history.describe_version(repo.folder) == "mou-v1.0"
    repo.edit("ecvet_points: 25", "ecvet_points: 26")
    assert history.describe_version(repo.folder) == f"draft (uncommitted changes on {head})"


def test_untracked_split_file_makes_a_draft(repo):
    (repo.folder / "partners").mkdir()
    (repo.folder / "partners" / "x.yaml").write_text("id: x\n")
    assert history.describe_version(repo.folder).startswith("draft (uncommitted")


def test_other_files_do_not_make_a_draft(repo):
    (repo.folder / "notes.txt").write_text("not data\n")
    assert history.describe_version(repo.folder).startswith("commit ")


def test_releases_newest_first_with_fingerprints(repo):
    repo.git("tag", "-a", "mou-v1.0", "-m",
             "MoU release 1.0\n\nReason: First signed version\n\n"
             "Data-Fingerprint: 0123456789ab\nDocument-Fingerprint: ba9876543210\n", "HEAD~1")
    repo.tag("mou-v1.10", "MoU release 1.10\n\nReason: Points\n")
    repo.git("tag", "mou-v1.2", "HEAD")  # lightweight: listed, but without a message
    repo.git("tag", "-a", "v3", "-m", "not a release")
    found = history.releases(repo.folder)
    assert [r.version for r in found] == ["1.10", "1.2", "1.0"]
    first = found[-1]
    assert first.reason == "First signed version"
    assert (first.data_fingerprint, first.document_fingerprint) == ("0123456789ab",
                                                                    "ba9876543210")
    assert first.commit == repo.git("rev-parse", "HEAD~1").strip()
    assert first.annotated and first.date.year == 2026
    assert not found[1].annotated
    assert history.last_release(repo.folder).tag == "mou-v1.10"
    assert history.find_release(repo.folder, "mou-v1.0").version == "1.0"
    assert history.find_release(repo.folder, "1.2").version == "1.2"
    with pytest.raises(GitError, match=r"no release 2\.0 \(releases: 1.10, 1.2, 1.0\)"):
        history.find_release(repo.folder, "2.0")


def test_unreadable_signature_file_is_a_clear_error(tmp_path):
    from mouctl.errors import MouError
    from mouctl.ledger import signatures

    (tmp_path / signatures.LEDGER).mkdir()  # a folder where the file belongs
    with pytest.raises(MouError, match="this is a folder"):
        signatures.read(tmp_path)
