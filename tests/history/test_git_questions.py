"""Questions asked of git ahead (`Location.ask`) answer exactly as asked at once."""

from __future__ import annotations

import pytest

from mouctl.errors import GitError
from mouctl.history.place import locate
from tests.gitnet import NetRepo


def test_an_asked_question_answers_as_one_asked_at_once(tmp_path) -> None:
    repo = NetRepo.create(tmp_path / "net")
    repo.edit("ecvet_points: 20", "ecvet_points: 25")  # uncommitted: status names it
    question = ("status", "--porcelain", "--untracked-files=all")
    loc = locate(repo.folder)
    loc.ask(*question)
    answer = loc.git(*question)
    assert "network.yaml" in answer
    assert answer == locate(repo.folder).git(*question)
    assert loc.git(*question) == answer  # taken once; asked again, it runs again


def test_an_asked_question_that_git_refuses_is_the_same_error(tmp_path) -> None:
    repo = NetRepo.create(tmp_path / "net")
    question = ("diff", "--name-only", "no-such-release^{commit}")
    loc = locate(repo.folder)
    loc.ask(*question)
    with pytest.raises(GitError) as asked:
        loc.git(*question)
    with pytest.raises(GitError) as at_once:
        loc.git(*question)
    assert asked.value.message == at_once.value.message
    assert "no-such-release" in asked.value.message


def test_questions_never_taken_are_waited_for(tmp_path) -> None:
    repo = NetRepo.create(tmp_path / "net")
    loc = locate(repo.folder)
    loc.ask("status", "--porcelain")
    loc.ask("log", "--oneline")
    running = list(loc._asked.values())
    loc.close()
    assert loc._asked == {} and all(p.returncode == 0 for p in running)
