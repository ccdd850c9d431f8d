"""Releases read with git's plain answers (`tagread`) are exactly GitPython's reading."""

from __future__ import annotations

import datetime as dt
import os
import subprocess

from mouctl.history import revisions, tagread
from mouctl.history import tags as release_notes
from mouctl.history.place import locate
from tests.gitnet import NetRepo, git


def _through_gitpython(loc) -> list:
    """`releases_in` as it read the tags before `tagread` (GitPython only)."""
    found = [revisions._release(ref) for ref in loc.repo.tags
             if release_notes.parse_tag(ref.name)
             and revisions._target_kind(ref) in ("commit", "missing")]
    found.sort(key=lambda r: (r.mou, release_notes.version_key(r.version),
                              r.date or dt.datetime.min.replace(tzinfo=dt.UTC)), reverse=True)
    return found


def _tag_with_message(repo: NetRepo, name: str, message: str, target: str = "HEAD",
                      *, tagger: str = "Anna Berger", date: str = "1767312000 +0530") -> None:
    env = {"GIT_COMMITTER_NAME": tagger, "GIT_COMMITTER_EMAIL": "a.berger@example.org",
           "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "tag", "-a", name, "--cleanup=verbatim", "-F", "-", target],
                   cwd=repo.root, input=message.encode("utf-8"), check=True,
                   env={**os.environ, **env})


def test_plain_reading_equals_gitpython_on_odd_tags(tmp_path) -> None:
    repo = NetRepo.create(tmp_path / "net")
    _tag_with_message(repo, "mou-v1.0", "MoU release 1.0\n\nReason: First\n\n"
                      "Data-Fingerprint: 0123456789ab\nDocument-Fingerprint: ba9876543210\n")
    repo.edit("ecvet_points: 20", "ecvet_points: 25")
    repo.commit("More points")
    # A tagger with an accent, a zone west of UTC, carriage returns and no final newline.
    _tag_with_message(repo, "mou-v1.1", "MoU release 1.1\r\n\nReason: Mäkinen's points\n\n"
                      "Data-Fingerprint: 0123456789ab", tagger="Jukka Mäkinen",
                      date="1767312000 -0345")
    git(repo.root, "tag", "mou-v1.2")  # lightweight
    git(repo.root, "tag", "not-a-release")
    tree = git(repo.root, "rev-parse", "HEAD^{tree}").strip()
    git(repo.root, "tag", "mou-v2.0", tree)  # a tree: never a release
    _tag_with_message(repo, "mou2-v1.0", "", date="1767312000 +0000")  # no message at all
    loc = locate(repo.folder)
    plain = tagread.release_tags(loc, release_notes.parse_tag)
    assert plain is not None and {t.name for t in plain} == {
        "mou-v1.0", "mou-v1.1", "mou-v1.2", "mou2-v1.0"}
    assert revisions.releases_in(loc) == _through_gitpython(locate(repo.folder))


def test_a_tag_of_a_tag_is_left_to_gitpython(tmp_path) -> None:
    repo = NetRepo.create(tmp_path / "net")
    _tag_with_message(repo, "inner", "inner tag\n")
    _tag_with_message(repo, "mou-v1.0", "MoU release 1.0\n\nReason: First\n", "inner")
    loc = locate(repo.folder)
    assert tagread.release_tags(loc, release_notes.parse_tag) is None
    assert revisions.releases_in(loc) == _through_gitpython(locate(repo.folder))
