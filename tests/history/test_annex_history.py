"""Annex files are signed with the data: their text changes are substantive amendments,
a document made at a revision prints the annexes of that revision, and an uncommitted
annex edit makes a draft that cannot be released."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from mouctl import api
from mouctl.history import comparison as comparisons
from mouctl.history import revisions
from mouctl.ledger import release as releases
from mouctl.ledger import status as statuses
from tests.gitnet import COORDINATOR, PARTNER, NetRepo

TODAY = dt.date(2026, 3, 1)
ANNEX = "annexes/units.md"
OLD_TEXT = "# Unit 1\n\nThe learner prepares a cold buffet for 20 guests.\n"
NEW_TEXT = "# Unit 1\n\nThe learner prepares a cold buffet for 80 guests.\n"


@pytest.fixture
def released(tmp_path, monkeypatch):
    """A network whose first unit keeps its learning outcomes in annexes/units.md,
    released as 1.0."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-02-10T10:00:00+00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-02-10T10:00:00+00:00")
    repo = NetRepo.create(tmp_path / "net", commit=False)
    repo.edit("      - id: cook-u1\n",
              f"      - id: cook-u1\n        learning_outcomes_annex: {{file: {ANNEX}}}\n")
    (repo.folder / "annexes").mkdir()
    (repo.folder / ANNEX).write_text(OLD_TEXT, encoding="utf-8")
    repo.commit("Start the MoU with its annex")
    plan = releases.plan(repo.folder, "1.0", "first MoU", today=TODAY)
    releases.create(repo.folder, plan, today=TODAY)
    return repo


def edit_annex(repo: NetRepo) -> None:
    (repo.folder / ANNEX).write_text(NEW_TEXT, encoding="utf-8")


def test_a_committed_annex_edit_is_a_substantive_change(released, run, golden):
    edit_annex(released)
    released.commit("Bigger buffet")
    found = comparisons.compare_revisions(released.folder, "mou-v1.0", "HEAD")
    annex = [c for c in found.changes if c.section == "annexes"]
    assert [(c.item, c.rule, c.substantive) for c in annex] == [(ANNEX, "annex-text", True)]
    assert found.substantive and found.exit_code == comparisons.SUBSTANTIVE
    assert found.must_sign == [COORDINATOR, PARTNER]

    shown = run("diff", "--exit-code", cwd=released.folder)
    assert shown.code == comparisons.SUBSTANTIVE, shown.stderr
    assert f"Annex file {ANNEX}: its text changed  [substantive: annex-text]" in shown.stdout
    golden("diff/annex-text-changed.txt", shown.stdout)
    as_json = json.loads(run("diff", "--format", "json", cwd=released.folder).stdout)
    assert as_json["substantive"] and as_json["changes"][0]["rule"] == "annex-text"
    # The rendered redline compares each version with its own annex text.
    redline = run("diff", "mou-v1.0", "HEAD", "--rendered", cwd=released.folder).stdout
    assert f"@ {ANNEX}" in redline and "[-20-]{+80+}" in redline


def test_an_annex_edit_alone_can_be_released_and_everyone_signs(released, run):
    edit_annex(released)
    released.commit("Bigger buffet")
    status = statuses.build(released.folder, today=TODAY)
    assert [c.item for c in status.substantive] == [ANNEX]
    assert status.must_sign == [COORDINATOR, PARTNER]

    made = run("release", "1.1", "-m", "Bigger buffet", cwd=released.folder)
    assert made.code == 0, made.stderr
    assert f"Annex file {ANNEX}: its text changed" in made.stdout + made.stderr
    tag = revisions.find_release(released.folder, "1.1")
    assert f"Annex file {ANNEX}: its text changed" in tag.message
    assert tag.signers is None  # every partner signs


def test_an_unchanged_annex_is_no_change(released, run):
    (released.folder / ANNEX).write_text(OLD_TEXT, encoding="utf-8")  # same bytes again
    assert comparisons.compare_revisions(released.folder).changes == []
    refused = run("release", "1.1", "-m", "nothing", cwd=released.folder)
    assert refused.code != 0 and "nothing changed in the agreement" in refused.stderr


def test_render_at_a_release_prints_the_annex_of_that_release(released):
    edit_annex(released)
    released.commit("Bigger buffet")
    made = api.render_document(released.folder, "md", at="mou-v1.0", today=TODAY)
    text = made.data.decode()
    assert "cold buffet for 20 guests" in text and "80 guests" not in text
    assert made.version == "mou-v1.0"
    assert not [w for w in made.warnings if "annex" in w]
    now = api.render_document(released.folder, "md", today=TODAY).data.decode()
    assert "cold buffet for 80 guests" in now


def test_an_uncommitted_annex_edit_is_a_draft_and_cannot_be_released(released, run):
    assert revisions.edition(released.folder, today=TODAY,
                             annexes=[ANNEX]).label == "mou-v1.0"
    edit_annex(released)
    made = api.render_document(released.folder, "md", today=TODAY)
    assert made.version.startswith("draft (uncommitted changes on ")
    assert "**Draft of 1 March 2026**" in made.data.decode()
    assert api.version_label(released.folder).startswith("draft")

    released.edit("Berufsschule am Hafen", "Berufsschule am Hafen Bremen")
    released.commit("New name", "network.yaml")  # the annex edit stays uncommitted
    refused = run("release", "1.1", "-m", "new name", cwd=released.folder)
    assert refused.code != 0
    assert f"the annex file(s) {ANNEX} have uncommitted changes" in refused.stderr
    assert [r.tag for r in revisions.releases(released.folder)] == ["mou-v1.0"]


def test_annex_changes_asked_through_gitpython_are_those_git_answers(released, monkeypatch):
    # A revision git cannot be given as it is goes through GitPython, which resolves it
    # and asks the same questions: the same files come out, edited and untracked alike.
    repo = released
    edit_annex(repo)
    loc = revisions.locate(repo.folder)
    names = [ANNEX, "annexes/new.md"]
    (repo.folder / "annexes" / "new.md").write_text("# New\n", encoding="utf-8")
    def both(new):
        plain = revisions.annex_changes(loc, "mou-v1.0", new, names)
        with monkeypatch.context() as patched:
            patched.setattr(revisions, "_changed_paths", lambda *args: None)
            assert revisions.annex_changes(loc, "mou-v1.0", new, names) == plain
        return plain

    assert both(None) == [ANNEX, "annexes/new.md"]  # the working tree
    repo.commit("Edit the annex")
    assert both("HEAD") == [ANNEX, "annexes/new.md"]
