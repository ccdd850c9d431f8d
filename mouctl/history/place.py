"""Where the network is: its repository, its folder in it, and git's plain answers.

Read-only commands (`log`, `diff`) ask git a few plain questions; GitPython (~100 ms to
import and open) is opened only when a command needs it (`Location.repo`). One
`git rev-parse` finds the repository; when git does not simply answer (no repository,
a bare one, no commit yet, a repository of another user), the repository is opened
with GitPython as before, which words the refusal.

Imports nothing heavy (no pydantic, YAML or GitPython): a warm `log` runs on this.
"""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from mouctl.errors import GitError
from mouctl.history import gitread
from mouctl.source.names import NETWORK_FILE, SPLIT_KINDS

DATA_DIRS = SPLIT_KINDS  # partners/, qualifications/


class Location:
    """A network folder inside a git repository."""

    def __init__(self, repo, folder: Path, prefix: str, *, root: Path | None = None,
                 git_dir: Path | None = None, common_dir: Path | None = None,
                 head: str | None = None) -> None:
        self._repo = repo  # git.Repo, or None until a command needs it
        self.folder = folder
        self.prefix = prefix  # the folder relative to the repository root, '' or 'sub/dir/'
        self.root = root  # the top of the working tree
        self._git_dir, self._common_dir = git_dir, common_dir
        self.has_head = git_dir is not None  # git answered with a commit at HEAD
        self._head = head  # the commit HEAD names, as git answered (None: not asked)
        self._asked: dict[tuple[str, ...], subprocess.Popen] = {}  # questions running

    @property
    def repo(self):
        """The git.Repo (GitPython), opened on first use."""
        if self._repo is None:
            from mouctl.history import repo as gitrepo

            # At the top git found (GitPython would not follow a symbolic link to it).
            self._repo = gitrepo.open_repository(self.root or self.folder)
        return self._repo

    @property
    def git_dir(self) -> Path:
        """This worktree's git folder (absolute)."""
        return self._git_dir or Path(self.repo.git_dir)

    @property
    def common_dir(self) -> Path:
        """The git folder shared by all worktrees (objects, refs, mouctl's cache)."""
        return self._common_dir or Path(self.repo.common_dir)

    def head_commit(self) -> str:
        """The id of the commit HEAD names (GitError when there is none yet)."""
        if self._head is None:
            self.require_commits()
            self._head = self.repo.head.commit.hexsha
        return self._head

    def require_commits(self) -> None:
        """GitError when the repository has no commit yet."""
        if not self.has_head:
            from mouctl.history import repo as gitrepo

            gitrepo.require_commits(self.repo)

    def data_paths(self, prefix: str | None = None) -> list[str]:
        """Repository paths of the network's data (for `git log`/`git status`)."""
        p = self.prefix if prefix is None else prefix
        return [f"{p}{NETWORK_FILE}", *(f"{p}{kind}" for kind in DATA_DIRS)]

    def git(self, *args: str) -> str:
        """git's output for a read-only question on this repository (GitError if it
        fails); paths start at the top of the working tree, as with GitPython."""
        running = self._asked.pop(args, None)
        if running is None:
            out = gitread.run(self.git_dir, *args, cwd=self.root)
        else:
            out, said = running.communicate()
            if running.returncode:
                raise gitread.refusal(f"git {args[0]}", said.decode("utf-8", "replace"))
        return out.decode("utf-8", "surrogateescape")

    def ask(self, *args: str) -> None:
        """Start git on a read-only question that `git(*args)` takes the answer of
        later: questions asked together run side by side, and beside mouctl's own
        work, instead of one after the other (each is a process of a few ms)."""
        if args not in self._asked:
            try:
                self._asked[args] = subprocess.Popen(
                    gitread.command(self.git_dir, *args), stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE, env=gitread.git_env(), cwd=self.root)
            except OSError:
                pass  # `git(*args)` runs it again and says why it cannot

    def close(self) -> None:
        """Wait for the questions asked but not taken (a command that stopped early)."""
        for running in self._asked.values():
            running.communicate()
        self._asked = {}


def locate(folder: Path) -> Location:
    """The repository holding the network folder, or GitError (not a repository, bare)."""
    found = _answered(folder)
    if isinstance(found, Location):
        return found
    from mouctl.history import repo as gitrepo

    if found is _NOT_A_REPOSITORY:
        # git itself says so: no need for GitPython (~40 ms to import and search) to
        # say it again; `render` of a folder outside git asks this on every run.
        raise gitrepo.not_a_repository(folder)

    repo = gitrepo.open_repository(folder)
    root = gitrepo.work_tree(repo).resolve()
    return _inside(repo, folder, root)


_NOT_A_REPOSITORY = object()  # git's plain answer: no repository holds the folder


def _answered(folder: Path) -> Location | object | None:
    """The location when `git rev-parse` simply answers (with a commit at HEAD);
    `_NOT_A_REPOSITORY` when git plainly finds no repository; else None."""
    if not folder.is_dir():
        return None
    try:
        proc = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--path-format=absolute",
             "--show-toplevel", "--git-dir", "--git-common-dir", "--verify", "-q", "HEAD"],
            capture_output=True, env=gitread.git_env(), check=False)
    except OSError:  # no git: `repo.require_git` says so
        return None
    lines = proc.stdout.decode("utf-8", "surrogateescape").splitlines()
    if proc.returncode and not lines:
        said = proc.stderr.decode("utf-8", "replace")
        # Only git's plain "not a git repository"; a refusal (another user's
        # repository, a damaged one) is worded by the GitPython path.
        if said.startswith("fatal: not a git repository") and "\n" not in said.strip():
            return _NOT_A_REPOSITORY
        return None
    if proc.returncode or len(lines) != 4:
        return None
    top, git_dir, common, head = lines
    root = Path(top).resolve()
    return _inside(None, folder, root, git_dir=Path(git_dir), common_dir=Path(common),
                   head=head)


def _inside(repo, folder: Path, root: Path, **dirs) -> Location:
    here = folder.resolve()
    if here != root and root not in here.parents:
        raise GitError(f"'{folder}' is outside the working tree of {root}",
                       "point --network at a folder inside the repository")
    rel = PurePosixPath(*here.relative_to(root).parts).as_posix()
    return Location(repo, folder, "" if rel in ("", ".") else rel + "/", root=root, **dirs)


def commit_with_network(loc: Location, rev: str) -> str | None:
    """The commit `rev` names when the network is in its folder there, in one question
    to git; None otherwise (the caller then asks GitPython, which words a refusal)."""
    return commits_with_network(loc, [rev])[rev]


def commits_with_network(loc: Location, revs: list[str]) -> dict[str, str | None]:
    """`commit_with_network` of each revision, all in one question to git."""
    asked = [rev for rev in dict.fromkeys(revs) if rev and not any(c in rev for c in
                                                                    "\n\r\x00")]
    found = iter(gitread.object_ids(loc.git_dir, [
        spec for rev in asked
        for spec in (f"{rev}^{{commit}}", f"{rev}^{{commit}}:{loc.prefix}{NETWORK_FILE}")]))
    out: dict[str, str | None] = dict.fromkeys(revs)
    for rev in asked:
        commit, network = next(found, None), next(found, None)
        if commit and commit[1] == "commit" and network and network[1] == "blob":
            out[rev] = commit[0]
    return out


def followed_paths(loc: Location) -> list[str]:
    """Every path network.yaml had in the history, following renames (newest first)."""
    out = loc.git("log", "--follow", "--name-only", "--format=", "--",
                  f"{loc.prefix}{NETWORK_FILE}")
    seen: list[str] = []
    for line in out.splitlines():
        if line.strip() and line not in seen:
            seen.append(line)
    return seen


def tags_by_commit(loc: Location, release: callable) -> dict[str, list[str]]:
    """{commit: names of the tags on it that `release(name)` accepts}, in one git call.

    A tag's commit is the object it names (an annotated tag's target, a lightweight
    tag's own), as `revisions.releases_in` takes it.
    """
    out = loc.git("for-each-ref", "--format=%(refname:strip=2)%00%(objectname)%00"
                  "%(objecttype)%00%(*objectname)", "refs/tags")
    found: dict[str, list[str]] = {}
    for line in out.splitlines():
        name, oid, kind, target = (line.split("\x00") + ["", "", ""])[:4]
        if release(name):
            found.setdefault(target if kind == "tag" else oid, []).append(name)
    return found
