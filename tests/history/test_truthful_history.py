"""History and ledger that say the truth, and text from git that cannot reach a terminal raw.

Real repositories (tests/gitnet.py), real processes: hand-made tags with impossible
dates, a shallow clone without tags, escape sequences in git authors and messages.
"""

from __future__ import annotations

import os
import subprocess

from tests.gitnet import COORDINATOR, NetRepo, git


def _tag_object(repo: NetRepo, name: str, tagger_date: str) -> None:
    """A tag made by hand, as git would never write it (the date is raw text)."""
    body = (f"object {repo.head()}\ntype commit\ntag {name}\n"
            f"tagger Hand Maker <hand@example.org> {tagger_date}\n\nMoU release 1.0\n")
    sha = subprocess.run(["git", "hash-object", "-t", "tag", "-w", "--stdin",
                          "--literally"], cwd=repo.root, input=body, text=True,
                         capture_output=True, check=True).stdout.strip()
    git(repo.root, "update-ref", f"refs/tags/{name}", sha)


def test_a_release_tag_with_an_impossible_time_zone_is_a_located_error(tmp_path, run):
    repo = NetRepo.create(tmp_path / "net")
    _tag_object(repo, "mou-v1.0", "1767000000 +9959")
    result = run("status", cwd=repo.folder)
    assert result.code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert "error: the release tag mou-v1.0 (" in result.stderr
    assert "has a date outside what a calendar can show (1767000000 seconds, time zone " \
           "+9959)" in result.stderr
    assert "hint: re-create the tag with a real date" in result.stderr


def test_a_shallow_clone_without_tags_makes_no_second_first_release(tmp_path, run):
    repo = NetRepo.create(tmp_path / "origin")
    assert run("release", "1.0", "-m", "First", cwd=repo.folder).code == 0
    repo.edit("ecvet_points: 30", "ecvet_points: 25")
    repo.commit("Fewer points")
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-tags", f"file://{repo.root}", "clone")
    result = run("release", "1.1", "-m", "Points", cwd=tmp_path / "clone")
    assert result.code == 1, result.output
    assert "this is a shallow clone without release tags" in result.stderr
    assert "git fetch --unshallow --tags" in result.stderr
    assert git(tmp_path / "clone", "tag", "-l") == ""


def test_a_version_in_other_digits_is_refused(tmp_path, run):
    repo = NetRepo.create(tmp_path / "net")
    result = run("release", "２.０", "-m", "First", cwd=repo.folder)
    assert result.code == 2, result.output
    assert "is not a version number" in result.stderr
    assert git(repo.root, "tag", "-l") == ""


def test_an_empty_signatory_is_a_usage_error(tmp_path, run):
    repo = NetRepo.create(tmp_path / "net")
    assert run("release", "1.0", "-m", "First", cwd=repo.folder).code == 0
    result = run("sign", COORDINATOR, "--signatory", " ", "--place", "Bremen",
                 cwd=repo.folder)
    assert result.code == 2, result.output
    assert "error: --signatory is empty; nothing was changed" in result.stderr


def test_escape_sequences_from_git_authors_and_messages_never_reach_the_terminal(
        tmp_path, run):
    repo = NetRepo.create(tmp_path / "net")
    repo.edit("ecvet_points: 30", "ecvet_points: 25")
    git(repo.root, "add", "-A")
    env = {**os.environ, "GIT_AUTHOR_NAME": "Eve \x1b[2J\x1b]0;owned\x07 \u202eesrever"}
    subprocess.run(["git", "commit", "-q", "-m", "Points"], cwd=repo.root, env=env,
                   check=True)
    result = run("log", cwd=repo.folder)
    assert result.code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "\\x1b" in result.stdout or "\\u202e" in result.stdout


def test_a_submodule_partners_folder_is_refused_alike_now_and_at_past_revisions(
        tmp_path, run):
    """`validate` refuses `partners/` as a git submodule; `release`, `log`, `diff` and
    `render --at` read git's trees and refuse it with the same words."""
    source = tmp_path / "partners-repo"
    source.mkdir()
    git(source, "init", "-q")
    (source / "lyon.yaml").write_text("id: lyon\nname: Lycée de Lyon\ncountry: FR\n"
                                      "roles: [sending, receiving]\n", encoding="utf-8")
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "Lyon")
    repo = NetRepo.create(tmp_path / "net")
    git(repo.root, "-c", "protocol.file.allow=always", "submodule", "add", "-q",
        str(source), "partners")
    repo.commit("Partners as a submodule")
    words = "'partners/' is a separate git repository (a submodule)"
    validate = run("validate", cwd=repo.folder)
    assert validate.code == 1 and words in validate.output, validate.output
    release = run("release", "1.0", "-m", "First", cwd=repo.folder)
    assert release.code == 1 and words in release.stderr, release.output
    assert git(repo.root, "tag", "-l") == ""
    # Now an ordinary folder again: the past revision keeps being refused, not read as if
    # it had no partners/ at all.
    git(repo.root, "rm", "-q", "-f", "partners")
    repo.commit("Partners back in network.yaml")
    shown = f"{git(repo.root, 'rev-parse', '--short=7', 'HEAD~1').strip()}:partners"
    for command in (["diff", "HEAD~2", "HEAD~1"], ["render", "--at", "HEAD~1", "-o",
                                                   str(tmp_path / "old.md")]):
        result = run(*command, cwd=repo.folder)
        assert result.code == 1, result.output
        assert f"{shown}: error: {words}" in result.stderr, result.stderr
    assert not (tmp_path / "old.md").exists()
    log = run("log", cwd=repo.folder)
    assert log.code == 0 and f"data invalid: 1 error, first: {shown}: {words}" \
        in log.stdout, log.output
    assert run("release", "1.0", "-m", "First", cwd=repo.folder).code == 0
