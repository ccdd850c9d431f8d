"""The only importer of GitPython: open, create and commit to a network's repository.

GitPython imports in ~100 ms, so this module is imported only by commands that
use git. Every git failure becomes a GitError with a hint.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mouctl.errors import GitError


def git_available() -> bool:
    """True when a git executable is on PATH."""
    return shutil.which("git") is not None


def require_git() -> None:
    """Raise GitError when git is missing."""
    if not git_available():
        raise GitError("git is not installed (no `git` on PATH)",
                       "install git (https://git-scm.com), or use --no-git where offered")


def _git():
    require_git()
    import git  # noqa: PLC0415 - lazy: keeps `mouctl --help` fast

    return git


def open_repository(folder: Path):
    """The git.Repo holding `folder` (searching parents), or GitError."""
    git = _git()
    try:
        return git.Repo(folder, search_parent_directories=True)
    except git.InvalidGitRepositoryError:
        raise GitError(f"'{folder}' is not in a git repository",
                       "run `git init` there (mouctl init does it for you), "
                       "or point at the network with --network DIR") from None
    except git.NoSuchPathError:
        raise GitError(f"'{folder}' does not exist", "check the --network path") from None


def init_with_commit(folder: Path, message: str) -> str:
    """`git init` in `folder`, commit every file in it, return the commit hash."""
    git = _git()
    try:
        repo = git.Repo.init(folder, initial_branch="main")
    except TypeError:  # pragma: no cover - very old git without --initial-branch
        repo = git.Repo.init(folder)
    except git.GitCommandError as exc:
        raise GitError(f"git init failed: {exc.stderr.strip()}", None) from None
    try:
        repo.git.add("--all")
        repo.git.commit("-m", message, "--no-verify", "--quiet", env=identity_env(repo))
    except git.GitCommandError as exc:
        raise GitError(f"git commit failed: {(exc.stderr or '').strip()}",
                       "check `git config user.name` and `user.email`") from None
    return repo.head.commit.hexsha


def identity_env(repo) -> dict[str, str]:
    """Author and committer for git when none is configured, so a commit never fails."""
    import os

    if all(os.environ.get(v) for v in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL",
                                        "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")):
        return {}
    reader = repo.config_reader()
    name = reader.get_value("user", "name", default="")
    email = reader.get_value("user", "email", default="")
    if name and email:
        return {}
    fallback = {"name": name or "mouctl", "email": email or "mouctl@localhost"}
    return {f"GIT_{who}_{what.upper()}": os.environ.get(f"GIT_{who}_{what.upper()}", value)
            for who in ("AUTHOR", "COMMITTER") for what, value in fallback.items()}
