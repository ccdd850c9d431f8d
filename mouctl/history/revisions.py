"""The network's git history: its data at any revision, its version label, its releases.

With `repo.py` the only importer of GitPython. Everything else reads past
versions through here and gets plain values back (`source.Loaded`, `Release`).
A revision is anything git accepts (tag, branch, `HEAD~2`, hash); `None` means the
working tree with uncommitted edits.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mouctl.errors import GitError
from mouctl.history import repo as gitrepo
from mouctl.history import tags as release_notes
from mouctl.source import loader as source
from mouctl.source.diagnostics import Diagnostic

DATA_DIRS = source.SPLIT_KINDS  # partners/, qualifications/
_SYMLINK_MODE = 0o120000


@dataclass
class Location:
    """A network folder inside a git repository."""

    repo: object  # git.Repo (not typed here: GitPython is imported lazily)
    folder: Path
    prefix: str  # the folder relative to the repository root, '' or 'sub/dir/'

    def data_paths(self, prefix: str | None = None) -> list[str]:
        """Repository paths of the network's data (for `git log`/`git status`)."""
        p = self.prefix if prefix is None else prefix
        return [f"{p}{source.NETWORK_FILE}", *(f"{p}{kind}" for kind in DATA_DIRS)]


@dataclass
class Release:
    """A release of the MoU: an annotated tag `mou-vVERSION`."""

    version: str
    tag: str
    commit: str
    date: dt.datetime | None
    tagger: str | None
    message: str
    reason: str
    data_fingerprint: str | None
    document_fingerprint: str | None
    annotated: bool
    tag_id: str = ""  # the tag object's id (a lightweight tag: the commit's); names its data

    @property
    def short(self) -> str:
        return self.commit[:7]


def locate(folder: Path) -> Location:
    """The repository holding the network folder, or GitError (not a repository, bare)."""
    repo = gitrepo.open_repository(folder)
    root = gitrepo.work_tree(repo).resolve()
    here = folder.resolve()
    if here != root and root not in here.parents:
        raise GitError(f"'{folder}' is outside the working tree of {root}",
                       "point --network at a folder inside the repository")
    rel = PurePosixPath(*here.relative_to(root).parts).as_posix()
    return Location(repo, folder, "" if rel in ("", ".") else rel + "/")


def network_at(folder: Path, rev: str | None, *, today: dt.date | None = None
               ) -> source.Loaded:
    """The network in `folder` at revision `rev` (None: the working tree, edits included).

    Invalid data at that revision comes back as diagnostics, never as an exception;
    GitError only when the revision or the network cannot be found at all.
    """
    if rev is None:
        return source.load(folder, today=today)
    return network_in(locate(folder), rev, today=today)


def network_in(loc: Location, rev: str, *, today: dt.date | None = None) -> source.Loaded:
    """`network_at` a committed revision, in a repository already open."""
    commit = gitrepo.resolve_commit(loc.repo, rev)
    prefix = network_prefix_at(loc, commit, rev)
    files, problems = read_data(commit, prefix)
    loaded = source.load_documents(files, today=today, display=lambda n: f"{rev}:{prefix}{n}")
    loaded.diagnostics = problems + loaded.diagnostics
    return loaded


def network_prefix_at(loc: Location, commit, rev: str) -> str:
    """Where the network folder was at `commit`: here, or where a rename came from."""
    if _blob(commit.tree, f"{loc.prefix}{source.NETWORK_FILE}") is not None:
        return loc.prefix
    for path in followed_paths(loc):
        prefix = path[: -len(source.NETWORK_FILE)]
        if _blob(commit.tree, path) is not None:
            return prefix
    where = f"'{loc.prefix}'" if loc.prefix else "the repository root"
    raise GitError(
        f"there is no {source.NETWORK_FILE} in {where} at revision '{rev}' "
        f"({commit.hexsha[:7]}): the network was added later, or deleted or moved there",
        "see the network's versions with `mouctl log`, and pick one of them")


def followed_paths(loc: Location) -> list[str]:
    """Every path network.yaml had in the history, following renames (newest first)."""
    out = loc.repo.git.log("--follow", "--name-only", "--format=", "--",
                           f"{loc.prefix}{source.NETWORK_FILE}")
    seen: list[str] = []
    for line in out.splitlines():
        if line.strip() and line not in seen:
            seen.append(line)
    return seen


def read_data(commit, prefix: str) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """The network files at `commit` under `prefix`, as `source.load_documents` takes them."""
    files: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    for name, blob in data_blobs(commit, prefix):
        if blob.mode == _SYMLINK_MODE:
            # A link's blob is its target's name, not the file: the same refusal
            # as for links in the working tree.
            problems.append(Diagnostic(
                "error", "outside-network", "the file is a symbolic link; it was not read",
                f"{commit.hexsha[:7]}:{prefix}{name}",
                hint="copy the file into the network folder instead of linking to it"))
            continue
        files[name] = blob.data_stream.read()
    return files, problems


def data_blobs(commit, prefix: str) -> list[tuple[str, object]]:
    """(relative name, blob) of network.yaml and the split files at `commit`."""
    out = []
    main = _blob(commit.tree, f"{prefix}{source.NETWORK_FILE}")
    if main is not None:
        out.append((source.NETWORK_FILE, main))
    for kind in DATA_DIRS:
        sub = _tree(commit.tree, f"{prefix}{kind}")
        if sub is None:
            continue
        out += sorted((f"{kind}/{b.name}", b) for b in sub.blobs
                      if os.path.splitext(b.name)[1] in (".yaml", ".yml"))
    return out


def data_key(commit, prefix: str) -> tuple[tuple[str, str], ...]:
    """The blob ids of the network's files at `commit`: equal keys, equal data."""
    return tuple((name, blob.hexsha) for name, blob in data_blobs(commit, prefix))


def _tree(tree, path: str):
    try:
        item = tree / path.rstrip("/") if path.strip("/") else tree
    except KeyError:
        return None
    return item if item.type == "tree" else None


def _blob(tree, path: str):
    try:
        item = tree / path
    except KeyError:
        return None
    return item if item.type == "blob" else None


def has_uncommitted_changes(loc: Location) -> bool:
    """True when the network's files differ from HEAD (edited, staged, new or deleted)."""
    specs = [f":(literal){p}" for p in loc.data_paths()]
    out = loc.repo.git.status("--porcelain", "--untracked-files=all", "--", *specs)
    return bool(out.strip())


def describe_version(folder: Path) -> str:
    """The version label for a rendered footer: `mou-v1.1`, `commit 3f2a9c1` or a draft."""
    if not gitrepo.git_available():
        return "draft (not in git)"
    try:
        loc = locate(folder)
    except GitError:
        return "draft (not in git)"
    if not gitrepo.has_commits(loc.repo):
        return "draft (no commits yet)"
    head = loc.repo.head.commit
    if has_uncommitted_changes(loc):
        return f"draft (uncommitted changes on {head.hexsha[:7]})"
    at_head = [r for r in releases_in(loc) if r.commit == head.hexsha]
    return at_head[0].tag if at_head else f"commit {head.hexsha[:7]}"


def version_label(folder: Path, rev: str | None = None) -> str:
    """The one rule for what a document made from the network at `rev` calls its
    version: the release tag on that commit, else `commit abc1234`; for the working
    tree (`rev` None) a draft unless it is exactly a committed release."""
    if rev is None:
        return describe_version(folder)
    loc = locate(folder)
    commit = gitrepo.resolve_commit(loc.repo, rev)
    tags = [r.tag for r in releases(folder) if r.commit == commit.hexsha]
    return tags[0] if tags else f"commit {commit.hexsha[:7]}"


def releases(folder: Path) -> list[Release]:
    """The releases (tags `mou-v*`), newest version first."""
    return releases_in(locate(folder))


def releases_in(loc: Location) -> list[Release]:
    """`releases` of a repository already open."""
    if not gitrepo.has_commits(loc.repo):
        return []
    found = [_release(ref) for ref in loc.repo.tags if release_notes.version_of(ref.name)]
    found.sort(key=lambda r: (release_notes.version_key(r.version),
                              r.date or dt.datetime.min.replace(tzinfo=dt.UTC)), reverse=True)
    return found


def last_release(folder: Path) -> Release | None:
    """The newest release, or None before the first one."""
    found = releases(folder)
    return found[0] if found else None


def find_release(folder: Path, version: str) -> Release:
    """The release `version` (`1.1` or `mou-v1.1`), or GitError listing the known ones."""
    return pick_release(releases(folder), version)


def pick_release(found: list[Release], version: str) -> Release:
    """The release `version` among `found`, or GitError listing them."""
    wanted = release_notes.version_of(version) or version
    if release_notes.is_version(wanted):
        key = release_notes.version_key(wanted)
        for release in found:
            if release_notes.version_key(release.version) == key:
                return release
    known = ", ".join(r.version for r in found) or "none yet"
    raise GitError(f"there is no release {version} (releases: {known})",
                   "create one with `mouctl release VERSION -m REASON`")


def _release(ref) -> Release:
    version = release_notes.version_of(ref.name) or ""
    tag = ref.tag  # None for a lightweight tag
    # The tag object names the commit without reading it, which matters in a
    # shallow clone where the commit itself may be missing.
    commit = tag.object.hexsha if tag is not None else ref.object.hexsha
    if tag is None:
        return Release(version, ref.name, commit, None, None, "", "", None, None, False,
                       commit)
    parsed = release_notes.parse_message(version, tag.message)
    date = dt.datetime.fromtimestamp(tag.tagged_date,
                                     dt.timezone(dt.timedelta(seconds=-tag.tagger_tz_offset)))
    return Release(version, ref.name, commit, date, tag.tagger.name if tag.tagger else None,
                   tag.message, parsed.reason, parsed.data_fingerprint,
                   parsed.document_fingerprint, True, tag.hexsha)


def object_ids(loc: Location, specs: list[str]) -> list[tuple[str, str] | None]:
    """(object id, type) of each `rev:path` spec, None where missing: one git process.

    `log` asks this for every version at once; asking object by object would cost
    a round trip to git each, which dominates on long histories.
    """
    if not specs:
        return []
    import subprocess

    proc = subprocess.run(
        ["git", "cat-file", "--batch-check=%(objectname) %(objecttype)"],
        input="\n".join(specs) + "\n", cwd=loc.repo.working_tree_dir, capture_output=True,
        text=True, check=False)
    if proc.returncode:
        raise GitError(f"git cat-file failed: {proc.stderr.strip()}", None)
    found: list[tuple[str, str] | None] = []
    for line in proc.stdout.splitlines():
        oid, _, kind = line.rpartition(" ")
        found.append(None if kind in ("missing", "ambiguous") or " " in oid else (oid, kind))
    return found


def commit_object(loc: Location, sha: str):
    """The commit `sha` (40 hex digits) without asking git whether it exists first."""
    from git.objects import Commit  # noqa: PLC0415

    return Commit(loc.repo, bytes.fromhex(sha))


def read_blobs(loc: Location, oids: list[str]) -> dict[str, bytes]:
    """The contents of these blobs, read by one `git cat-file --batch` process."""
    if not oids:
        return {}
    import subprocess

    proc = subprocess.run(["git", "cat-file", "--batch"], input="\n".join(oids).encode() + b"\n",
                          cwd=loc.repo.working_tree_dir, capture_output=True, check=False)
    if proc.returncode:
        raise GitError(f"git cat-file failed: {proc.stderr.decode(errors='replace').strip()}",
                       None)
    out, found, pos = proc.stdout, {}, 0
    for oid in oids:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) != 3:  # "<oid> missing"
            continue
        size = int(header[2])
        found[oid] = out[pos:pos + size]
        pos += size + 1  # the content is followed by a newline
    return found
