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
        repo = git.Repo(folder, search_parent_directories=True)
    except git.InvalidGitRepositoryError:
        raise not_a_repository(folder) from None
    except git.NoSuchPathError:
        raise GitError(f"'{folder}' does not exist", "check the --network path") from None
    _bind(repo)
    # Questions (status, diff) never write: without this `git status` refreshes the
    # index when its timestamps are stale, so a read-only command could fail on a full
    # disk, a file size limit or a held index.lock, depending on the clock.
    repo.git.update_environment(GIT_OPTIONAL_LOCKS="0")
    _require_trusted(repo)
    return repo


def not_a_repository(folder: Path) -> GitError:
    """The error for a network folder that no git repository holds."""
    return GitError(f"'{folder}' is not in a git repository",
                    "run `git init` there (mouctl init does it for you), "
                    "or point at the network with --network DIR")


def _require_trusted(repo) -> None:
    """git's own refusal to use a repository another user owns, in git's words (else
    every later question would fail as if the repository had no commits)."""
    git = _git()
    try:
        repo.git.rev_parse("--git-dir")
    except git.GitCommandError as exc:
        from mouctl.history import gitread

        raise gitread.refusal("git", str(exc.stderr or "")) from None


# Variables with which git would read another repository than the one opened.
_REDIRECTS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
              "GIT_COMMON_DIR")


def _bind(repo) -> None:
    """Make every git command of `repo` act on it, whatever GIT_DIR & co. say.

    The network's folder decides the repository; a GIT_DIR left in the environment
    would otherwise make `git log` list another repository's commits while mouctl
    caches under this one's.
    """
    import os

    if not any(v in os.environ for v in _REDIRECTS):
        return
    git_dir = Path(repo.git_dir)
    common = Path(repo.common_dir)
    repo.git.update_environment(
        GIT_DIR=str(git_dir), GIT_COMMON_DIR=str(common), GIT_INDEX_FILE=str(git_dir / "index"),
        GIT_OBJECT_DIRECTORY=str(common / "objects"),
        **({"GIT_WORK_TREE": repo.working_tree_dir} if repo.working_tree_dir else {}))


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
        raise GitError(f"git commit failed: {_stderr(exc)}",
                       "check `git config user.name` and `user.email`") from None
    return repo.head.commit.hexsha


def recorded_identity(repo, author: str | None = None) -> dict[str, str]:
    """The environment naming who makes a release or records a signature.

    `author` ("Name <email>") wins; else git's own identity (GIT_AUTHOR_* or
    user.name/user.email). Without one, GitError: the record must say who made it,
    never a made-up `mouctl@localhost`.
    """
    if author is not None:
        return _named_identity(author)
    reader = repo.config_reader()
    return _identity(lambda key: reader.get_value("user", key, default=""))


def identity_from_git(git_dir: Path, author: str | None = None) -> dict[str, str]:
    """`recorded_identity` with git's own answer for user.name and user.email (one
    `git config`, no GitPython): what `git tag` itself would record."""
    if author is not None:
        return _named_identity(author)
    import subprocess
    from functools import cache

    from mouctl.history import gitread

    @cache
    def configured() -> dict[str, str]:
        proc = subprocess.run(gitread.command(git_dir, "config", "--get-regexp",
                                              r"^user\.(name|email)$"),
                              capture_output=True, env=gitread.git_env(), check=False)
        if proc.returncode not in (0, 1):  # 1: neither is set
            raise gitread.refusal("git config", proc.stderr.decode("utf-8", "replace"))
        found = {}
        for line in proc.stdout.decode("utf-8", "surrogateescape").splitlines():
            key, _, value = line.partition(" ")
            found[key.removeprefix("user.")] = value  # the last one set wins, as in git
        return found

    return _identity(lambda key: configured().get(key, ""))


def _named_identity(author: str) -> dict[str, str]:
    """The identity `--author "Name <email>"` names (UsageError if it names none)."""
    import re

    match = re.match(r"^\s*([^<>]*[^<>\s])\s*<([^<>\s]+@[^<>\s]+)>\s*$", author)
    if not match:
        from mouctl.errors import UsageError

        raise UsageError(f"--author '{author}' is not `Name <email>`",
                         'write it as --author "Anna Berger <a.berger@example.org>"')
    name, email = match.groups()
    return {f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER")
            for what, value in (("NAME", name), ("EMAIL", email))}


def _identity(configured) -> dict[str, str]:
    """Author and committer from git's variables, else `configured(key)` (user.name,
    user.email), else $EMAIL; GitError when any is missing."""
    import os

    found = {}
    for who in ("AUTHOR", "COMMITTER"):
        for what, key in (("NAME", "name"), ("EMAIL", "email")):
            value = (os.environ.get(f"GIT_{who}_{what}")
                     or configured(key)
                     or (os.environ.get("EMAIL", "") if what == "EMAIL" else ""))
            found[f"GIT_{who}_{what}"] = str(value).strip()
    if not all(found.values()):
        raise GitError("git does not know who you are, so the record would not say who "
                       "made it; nothing was changed",
                       'set your name and e-mail once: git config --global user.name "Your '
                       'Name" && git config --global user.email you@example.org, or pass '
                       '--author "Name <email>"')
    return found


def identity_env(repo) -> dict[str, str]:
    """Author and committer for git when none is configured, so a commit never fails
    (for `init`'s first commit only: releases and signatures use `recorded_identity`)."""
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


def is_shallow(repo) -> bool:
    """True in a shallow clone, where older commits (and releases) may be missing."""
    return (Path(repo.git_dir) / "shallow").is_file()


def has_commits(repo) -> bool:
    """False in a freshly initialised repository."""
    return repo.head.is_valid()


def require_commits(repo) -> None:
    """GitError when the repository has no commit yet."""
    if not has_commits(repo):
        raise GitError("the repository has no commits yet",
                       "commit the network first: git add -A && git commit -m \"First draft\"")


def resolve_commit(repo, rev: str):
    """The commit `rev` names (tag, branch, HEAD~2, hash), or GitError saying why not."""
    import gitdb.exc  # noqa: PLC0415

    git = _git()
    require_commits(repo)
    try:
        commit = repo.rev_parse(f"{rev}^{{commit}}")
        commit.tree  # noqa: B018 - reads the object: a shallow clone may name it yet lack it
        return commit
    except (git.BadName, git.BadObject, gitdb.exc.BadName, gitdb.exc.BadObject,
            ValueError, IndexError, KeyError):
        pass
    hint = ("list the versions with `mouctl log` and the releases with "
            "`git tag -l 'mou-v*'`")
    if is_shallow(repo):
        hint = ("this is a shallow clone, so older commits are missing: run "
                "`git fetch --unshallow`; or " + hint)
    raise GitError(f"unknown revision '{rev}'", hint)


def require_branch(repo, action: str) -> str:
    """The checked-out branch name, or GitError on a detached HEAD."""
    require_commits(repo)
    if repo.head.is_detached:
        raise GitError(
            f"HEAD is detached (at {repo.head.commit.hexsha[:7]}), so {action} would be "
            "on no branch",
            "switch to the branch first, e.g. `git switch main`")
    return repo.active_branch.name


def work_tree(repo) -> Path:
    """The repository's working tree, or GitError for a bare repository."""
    if repo.bare or repo.working_tree_dir is None:
        raise GitError(f"'{repo.git_dir}' is a bare repository without a working tree",
                       "run mouctl in a clone with the network files checked out")
    return Path(repo.working_tree_dir)


class Committed:
    """A commit made by `commit_one_file`, with what is needed to take it back."""

    def __init__(self, commit: str, branch: str, previous: str, index_before: str) -> None:
        self.commit, self.branch = commit, branch
        self.previous, self.index_before = previous, index_before


class Built:
    """A commit object made by `build_commit`: in the object store, on no branch yet."""

    def __init__(self, commit: str, blob: str, path: str, branch: str, head: str,
                 message: str) -> None:
        self.commit, self.blob, self.path = commit, blob, path
        self.branch, self.head, self.message = branch, head, message


def commit_one_file(repo, path: str, data: bytes, message: str,
                    identity: dict[str, str] | None = None) -> Committed:
    """Commit `data` as the repository file `path` on the current branch.

    Only that file goes into the commit: the user's other staged work stays staged
    and out of it (the commit is built in a private index). The branch moves only
    if nobody moved it meanwhile (compare-and-swap), and the real index entry for
    `path` is updated to match; on any failure both are as they were.
    """
    return publish(repo, build_commit(repo, path, data, message, identity))


def build_commit(repo, path: str, data: bytes, message: str,
                 identity: dict[str, str] | None = None) -> Built:
    """The commit of `data` as `path` on top of HEAD, as objects only: nothing a user
    sees changes yet (`publish` moves the branch)."""
    import io
    import os
    import tempfile

    from gitdb import IStream  # noqa: PLC0415 - comes with GitPython

    git = _git()
    branch = require_branch(repo, "the commit")
    head = repo.head.commit.hexsha
    env = identity if identity is not None else identity_env(repo)
    index = None
    try:
        blob = repo.odb.store(IStream(b"blob", len(data), io.BytesIO(data))).hexsha
        blob = blob.decode() if isinstance(blob, bytes) else blob
        fd, index = tempfile.mkstemp(prefix="mouctl-index-", dir=repo.git_dir)
        os.close(fd)
        os.unlink(index)  # git creates it; an empty file would not be a valid index
        private = {**env, "GIT_INDEX_FILE": index}
        repo.git.read_tree(head, env=private)
        repo.git.update_index("--add", "--cacheinfo", f"100644,{blob},{path}", env=private)
        tree = repo.git.write_tree(env=private)
        commit = repo.git.commit_tree(tree, "-p", head, "-m", message, env=env)
    except git.GitCommandError as exc:
        said = _stderr(exc)
        raise GitError(f"git could not build the commit: {_first_line(said)}; nothing was "
                       "changed", _refused_hint(said, "fix the cause git names and run "
                                                "again")) from None
    except OSError as exc:  # a read-only .git, a full disk, a file-size limit
        raise GitError(f"cannot write to the git repository {repo.git_dir}: "
                       f"{exc.strerror or exc}",
                       "nothing was changed; check that the .git folder is writable and "
                       "the disk has space") from None
    finally:
        if index is not None and os.path.exists(index):
            os.unlink(index)
    return Built(commit, blob, path, branch, head, message)


def publish(repo, built: Built) -> Committed:
    """Put a built commit on its branch: the index entry of its file, then the branch
    (only if it is still where it was); on failure both are as they were."""
    from mouctl import steps

    git = _git()
    path, branch = built.path, built.branch
    before = repo.git.ls_files("-s", "--", f":(literal){path}")
    try:
        repo.git.update_index("--add", "--cacheinfo", f"100644,{built.blob},{path}")
    except git.GitCommandError as exc:
        said = _stderr(exc)
        raise GitError(f"git refused to update its index: {_first_line(said)}",
                       _refused_hint(said, "wait for any other git command to finish (or "
                                     "remove a stale .git/index.lock), then run again")
                       ) from None
    steps.reached("commit:index-updated")
    try:
        repo.git.update_ref("-m", f"mouctl: {built.message.splitlines()[0]}",
                            f"refs/heads/{branch}", built.commit, built.head)
    except git.GitCommandError as exc:
        restore_index_entry(repo, path, before)
        said = _stderr(exc)
        # Only git's compare-and-swap failure means someone else moved the branch; a
        # held lock or a read-only .git is a refusal, named as what it is.
        moved = "but expected" in said or " is at " in said
        raise GitError(f"the branch {branch} moved while committing: {_first_line(said)}"
                       if moved else f"git refused to move the branch {branch}: "
                       f"{_first_line(said)}",
                       "run the command again" if moved else
                       _refused_hint(said, "fix the cause git names, then run again")
                       ) from None
    steps.reached("commit:branch-moved")
    return Committed(built.commit, branch, built.head, before)


def restore_index_entry(repo, path: str, ls_files_line: str) -> None:
    """Put the index entry of `path` back as `git ls-files -s` showed it."""
    if ls_files_line.strip():
        mode, blob, _rest = ls_files_line.split(" ", 2)
        repo.git.update_index("--cacheinfo", f"{mode},{blob},{path}")
    else:
        repo.git.update_index("--force-remove", "--", path)


def undo_commit(repo, path: str, done: Committed) -> None:
    """Take back a `commit_one_file`: the branch (if still there) and the index entry."""
    git = _git()
    try:
        repo.git.update_ref(f"refs/heads/{done.branch}", done.previous, done.commit)
        restore_index_entry(repo, path, done.index_before)
    except git.GitCommandError as exc:
        raise GitError(f"could not take back commit {done.commit[:7]}: {_stderr(exc)}",
                       None) from None


def _first_line(said: str) -> str:
    """git's message up to its first line break (the rest is advice for git users)."""
    return said.strip().splitlines()[0].strip().rstrip(".") if said.strip() else "no message"


def _refused_hint(said: str, otherwise: str) -> str:
    """What to do about a refused ref or index update, from what git said."""
    import re

    lock = re.search(r"Unable to create '([^']+\.lock)': File exists", said)
    if lock:
        return (f"another git command is running in this repository, or one stopped and "
                f"left its lock file behind: wait for it to finish, or remove "
                f"{lock.group(1)} if no git command is running, then run again")
    if "SIGXFSZ" in said or "File too large" in said:
        return ("a file size limit (`ulimit -f`) stopped git from writing: raise it, then "
                "run again")
    if any(words in said for words in ("Permission denied", "Read-only file system",
                                       "insufficient permission")):
        return ("the git folder cannot be written (its permissions, or a read-only "
                "disk): make it writable for you, then run again")
    return otherwise


def _stderr(exc) -> str:
    """git's own message from a GitCommandError, without GitPython's wrapping; for a
    git killed by a signal (a file size limit, out of memory) the signal, named."""
    return _said(exc.stderr or "", getattr(exc, "status", None))


def said_by(stderr: bytes, status: int) -> str:
    """`_stderr` of a git run without GitPython (its standard error and exit status):
    the same words as for the GitCommandError GitPython would have raised."""
    text = stderr.decode("utf-8", "surrogateescape")
    text = text[:-1] if text.endswith("\n") else text  # as GitPython reads it
    return _said(f"\n  stderr: '{text}'" if text else "", status)


def _said(stderr: str, status) -> str:
    text = stderr.strip()
    if text.startswith("stderr:"):
        text = text[len("stderr:"):].strip().strip("'").strip()
    if not text and isinstance(status, int) and status < 0:
        import signal

        try:
            name = signal.Signals(-status).name
            text = f"git was stopped by {name} ({signal.strsignal(-status)})"
        except ValueError:
            text = f"git was stopped by signal {-status}"
    return text.removeprefix("error: ").removeprefix("fatal: ")


def failure(exc) -> GitError:
    """A git command that failed where no message of the command's own applies."""
    command = " ".join(str(a) for a in (getattr(exc, "command", None) or ["git"])[:2])
    said = _stderr(exc) or "no message"
    return GitError(f"{command} failed: {_first_line(said)}",
                    _refused_hint(said, "fix the cause git names (disk space, a file size "
                                  "limit, permissions), then run again"))


def shallow_commits(repo) -> set[str]:
    """The commits whose parents a shallow clone left out (empty when not shallow)."""
    path = Path(repo.git_dir) / "shallow"
    if not path.is_file():
        path = Path(repo.common_dir) / "shallow"
    try:
        return set(path.read_text().split())
    except OSError:
        return set()
