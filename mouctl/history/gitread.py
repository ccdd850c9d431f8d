"""Read git objects in bulk for the history engine: trees and blobs by id.

One `git cat-file` process answers every question of a command (a round trip per
object costs microseconds, a process per object milliseconds). Git runs on the
repository the network is in, named explicitly: a GIT_DIR or GIT_WORK_TREE left in
the environment cannot point it at another repository, so what the cache files
under this repository's ids really comes from this repository.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from mouctl.errors import GitError, GitRefused

# Variables with which git would read another repository, index or object store.
_REDIRECTS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
              "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE",
              "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM")
BLOB_MODES = (b"100644", b"100755", b"120000")
SYMLINK, TREE = b"120000", b"40000"
_CHUNK = 1000


def git_env() -> dict[str, str]:
    """The environment for git without variables that redirect it elsewhere."""
    env = {k: v for k, v in os.environ.items() if k not in _REDIRECTS}
    env["GIT_OPTIONAL_LOCKS"] = "0"  # a question never rewrites the index (repo.py)
    return env


def command(git_dir: Path, *args: str) -> list[str]:
    """A git command line bound to this repository's git folder."""
    return ["git", f"--git-dir={git_dir}", *args]


def run(git_dir: Path, *args: str, input: bytes | None = None,
        cwd: Path | None = None) -> bytes:
    """Run git on this repository; GitError with git's message when it fails. `cwd`:
    the top of the working tree, where paths given to git start."""
    proc = subprocess.run(command(git_dir, *args), input=input, capture_output=True,
                          env=git_env(), check=False, cwd=cwd)
    if proc.returncode:
        raise refusal(f"git {args[0]}", proc.stderr.decode("utf-8", "replace"))
    return proc.stdout


def refusal(what: str, stderr: str) -> GitError:
    """git's refusal in git's words, with what it means for a network and what to do:
    a partial clone that cannot fetch what it lacks, a repository of another user."""
    # GitPython wraps git's text as `stderr: '...'`: unwrapped, git's words remain.
    text = stderr.strip()
    if text.startswith("stderr:"):
        text = text[len("stderr:"):].strip().removeprefix("'").removesuffix("'")
    lines = [line.strip().removeprefix("fatal: ").removeprefix("error: ")
             for line in text.splitlines() if line.strip()]
    said = "; ".join(lines) or "no message"
    if any("promisor remote" in line for line in lines):
        cause = next((line for line in lines if "promisor remote" not in line), said)
        return GitRefused(
            "this is a partial clone (made with `git clone --filter`): the files of an "
            "older version are not in it, and git could not fetch them from its remote: "
            f"{cause}", "connect to the network (or make the remote reachable) and run "
            "again, so that git can fetch them; or work in a full clone (`git clone` "
            "without --filter)")
    if any("dubious ownership" in line for line in lines):
        return ownership_refusal(lines)
    return GitError(f"{what} failed: {said}", None)


def ownership_refusal(lines: list[str]) -> GitError:
    """git's refusal of a repository another user owns, with git's own remedy."""
    head = next(line for line in lines if "dubious ownership" in line)
    remedy = next((line for line in lines if "safe.directory" in line),
                  "git config --global --add safe.directory <the folder>")
    return GitRefused(f"git refuses to use this repository: {head} (it belongs to another "
                    "user than the one running mouctl)",
                    f"if you trust the folder, tell git so: {remedy}; or run mouctl as "
                    "the folder's owner")


def object_ids(git_dir: Path, specs: list[str]) -> list[tuple[str, str] | None]:
    """(object id, type) of each `rev:path` spec, None where missing: one git process."""
    if not specs:
        return []
    out = run(git_dir, "cat-file", "--batch-check=%(objectname) %(objecttype)",
              input=("\n".join(specs) + "\n").encode("utf-8", "surrogateescape"))
    found: list[tuple[str, str] | None] = []
    for line in out.decode("utf-8", "replace").splitlines():
        oid, _, kind = line.rpartition(" ")
        found.append(None if kind in ("missing", "ambiguous") or " " in oid else (oid, kind))
    return found


def tree_entries(data: bytes) -> list[tuple[bytes, str, str]]:
    """(mode, name, object id) of each entry of a raw tree object."""
    out, pos = [], 0
    while pos < len(data):
        space = data.index(b" ", pos)
        nul = data.index(b"\x00", space)
        out.append((data[pos:space], data[space + 1:nul].decode("utf-8", "surrogateescape"),
                    data[nul + 1:nul + 21].hex()))
        pos = nul + 21
    return out


class Objects:
    """A `git cat-file --batch` process kept open for the whole command."""

    def __init__(self, git_dir: Path) -> None:
        self.git_dir = git_dir
        self.proc: subprocess.Popen | None = None
        self.errors = None  # git's standard error, a temporary file

    def read(self, oid: str) -> bytes | None:
        """The content of object `oid`, None when the repository lacks it."""
        return next(self.read_many([oid]))[1]

    def read_many(self, oids: list[str]):
        """(oid, content or None) of each object, asked in chunks: one round trip each."""
        if self.proc is None:
            # git's complaints go to a file, not a pipe nobody reads (which could
            # fill and stall git): they say why git stopped, if it does.
            try:
                self.errors = tempfile.TemporaryFile()
            except OSError:  # no usable temporary folder: git's words are lost, not more
                self.errors = None
            self.proc = subprocess.Popen(command(self.git_dir, "cat-file", "--batch"),
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=self.errors or subprocess.DEVNULL,
                                         env=git_env())
        stdin, stdout = self.proc.stdin, self.proc.stdout
        assert stdin is not None and stdout is not None
        # A chunk of requests (41 bytes each) fits in the pipe, so writing it never
        # waits for us to read git's answers.
        for start in range(0, len(oids), _CHUNK):
            chunk = oids[start:start + _CHUNK]
            try:
                stdin.write("".join(f"{oid}\n" for oid in chunk).encode())
                stdin.flush()
            except (BrokenPipeError, OSError):
                raise self._stopped() from None
            for oid in chunk:
                line = stdout.readline()
                if not line:  # git ended without answering: say why
                    raise self._stopped()
                header = line.split()
                if len(header) != 3:  # "<oid> missing"
                    yield oid, None
                    continue
                data = stdout.read(int(header[2]))
                stdout.read(1)  # the newline after the content
                yield oid, data

    def _stopped(self) -> GitError:
        """Why git stopped answering, in its words."""
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        said = ""
        if self.errors is not None:
            self.errors.seek(0)
            said = self.errors.read(1 << 16).decode("utf-8", "replace")
        self.close()
        return refusal("git cat-file", said) if said.strip() else GitError(
            "git cat-file stopped unexpectedly", None)

    def close(self) -> None:
        """End the git process."""
        if self.proc is not None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
            self.proc = None
        if self.errors is not None:
            self.errors.close()
            self.errors = None
