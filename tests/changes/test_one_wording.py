"""One wording of a change: `diff`, the release tag and `release`'s output agree."""

from __future__ import annotations

from tests.gitnet import NetRepo


def test_diff_and_release_word_a_change_the_same_way(tmp_path, run):
    r = NetRepo.create(tmp_path / "net")
    assert run("release", "1.0", "-m", "First", cwd=r.folder).code == 0
    r.edit("ecvet_points: 20", "ecvet_points: 25")
    r.commit("More points for the unit")
    diff = run("diff", "mou-v1.0", "HEAD", cwd=r.folder)
    line = next(x.strip()[2:].split("  [")[0] for x in diff.stdout.splitlines()
                if "ecvet_points" in x)
    released = run("release", "1.1", "-m", "Points", cwd=r.folder)
    assert released.code == 0, released.output
    assert f"  - {line}" in released.stderr
    tag = r.git("tag", "-l", "--format=%(contents)", "mou-v1.1")
    assert line in tag
