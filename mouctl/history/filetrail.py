"""The rewrites of one file in the history of HEAD: every commit that did more to it
than append.

The signature ledger is append-only, so a commit whose version of the file does not
start with its parent's version took something out (a revert, a hand edit, a merge
that dropped a side's entries). Finding those needs only the file's blob at each
commit and its parents, read in bulk through one `git cat-file`, and a byte
comparison; nothing is parsed unless a commit rewrote the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mouctl.history import gitread


@dataclass(frozen=True)
class Rewrite:
    """A commit whose version of the file is not its parent's with text appended."""

    commit: str
    message: str
    before: bytes  # the file in the parent
    after: bytes | None  # the file in the commit; None when the commit deleted it


def rewrites(git_dir: Path, path: str) -> list[Rewrite]:
    """The rewrites of `path` (a repository path) among the commits reachable from
    HEAD, newest first; GitError when git cannot answer."""
    listed = gitread.run(git_dir, "rev-list", "--parents", "HEAD").decode().split("\n")
    pairs = [(line.split()[0], parent) for line in listed if line.strip()
             for parent in line.split()[1:]]
    commits = list(dict.fromkeys(sha for pair in pairs for sha in pair))
    found = gitread.object_ids(git_dir, [f"{sha}:{path}" for sha in commits])
    blob = {sha: (f[0] if f and f[1] == "blob" else None)
            for sha, f in zip(commits, found, strict=True)}
    changed = [(sha, parent) for sha, parent in pairs
               if blob[parent] is not None and blob[sha] != blob[parent]]
    if not changed:
        return []
    objects = gitread.Objects(git_dir)
    try:
        wanted = list(dict.fromkeys(b for sha, parent in changed
                                    for b in (blob[sha], blob[parent]) if b))
        data = dict(objects.read_many(wanted))
    finally:
        objects.close()
    out = []
    for sha, parent in changed:
        before, after = data.get(blob[parent]) or b"", data.get(blob[sha]) if blob[sha] else None
        if after is None or not after.startswith(before):
            out.append((sha, before, after))
    messages = _messages(git_dir, list(dict.fromkeys(sha for sha, _, _ in out)))
    return [Rewrite(sha, messages.get(sha, ""), before, after) for sha, before, after in out]


def _messages(git_dir: Path, commits: list[str]) -> dict[str, str]:
    """{commit: full message} of these commits, from one git process."""
    if not commits:
        return {}
    out = gitread.run(git_dir, "log", "--no-walk=unsorted", "--format=%H%n%B%x00", *commits)
    messages = {}
    for record in out.decode("utf-8", "replace").split("\x00"):
        sha, _, body = record.strip("\n").partition("\n")
        if sha:
            messages[sha] = body.strip()
    return messages
