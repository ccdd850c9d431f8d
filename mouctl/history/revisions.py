"""The network's git history: its data at any revision, its version label, its releases.

With `repo.py` the only importer of GitPython. Everything else reads past
versions through here and gets plain values back (`source.Loaded`, `Release`).
A revision is anything git accepts (tag, branch, `HEAD~2`, hash); `None` means the
working tree with uncommitted edits.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from mouctl.errors import GitError, GitRefused
from mouctl.history import repo as gitrepo
from mouctl.history import tags as release_notes
from mouctl.history.place import DATA_DIRS, Location, followed_paths, locate  # noqa: F401
from mouctl.source import loader as source
from mouctl.source.diagnostics import Diagnostic

_SYMLINK_MODE = 0o120000


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
    mou: int = 1  # which MoU: 1, or 2 for the new MoU that replaced it (`mou2-v1.0`) ...
    trailers: dict[str, str] = field(default_factory=dict)

    @property
    def short(self) -> str:
        return self.commit[:7]

    @property
    def signers(self) -> list[str] | None:
        """Who signs this release: None for every partner, else the ids (maybe none)."""
        value = self.trailers.get(release_notes.SIGNERS)
        if value is None:
            return None
        return [] if value == "none" else [v.strip() for v in value.split(",") if v.strip()]

    @property
    def supersedes(self) -> str | None:
        """The tag of the last release of the MoU this one replaces (a new MoU's first)."""
        return self.trailers.get(release_notes.SUPERSEDES)


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
    from mouctl.trace import note

    commit = gitrepo.resolve_commit(loc.repo, rev)
    prefix = network_prefix_at(loc, commit, rev)
    files, problems = read_data(commit, prefix)
    note("read the network at %s (commit %s, folder '%s'): %s", rev, commit.hexsha[:10],
         prefix or ".", ", ".join(sorted(files)) or "no files")
    loaded = source.load_documents(files, today=today, display=lambda n: f"{rev}:{prefix}{n}")
    loaded.diagnostics = problems + loaded.diagnostics
    if problems:  # a file or folder that could not be read: the network is incomplete
        loaded.network = None
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


def read_data(commit, prefix: str) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """The network files at `commit` under `prefix`, as `source.load_documents` takes them."""
    files: dict[str, bytes] = {}
    problems: list[Diagnostic] = odd_data_entries(commit, prefix)
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


def odd_data_entries(commit, prefix: str) -> list[Diagnostic]:
    """What `validate` refuses in the working tree, at a revision: `partners` as a
    file or as a git submodule, data files named `*.YAML`."""
    out = []
    for kind in DATA_DIRS:
        shown = f"{commit.hexsha[:7]}:{prefix}{kind}"
        try:
            item = commit.tree / f"{prefix}{kind}"
        except KeyError:
            continue
        if item.type == "submodule":
            out.append(source.submodule(kind, shown))
        elif item.type != "tree":
            out.append(source.not_a_folder(kind, shown))
        else:
            out += [p for b in item.blobs
                    if (p := source.wrong_case(b.name, f"{shown}/{b.name}")) is not None]
    return out


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


def has_uncommitted_changes(loc: Location, annexes: list[str] | tuple = ()) -> bool:
    """True when the network's files differ from HEAD (edited, staged, new or deleted);
    `annexes`: the annex files the network names, which count like its data."""
    return bool(loc.git(*_status_question(loc, annexes)).strip())


def _status_question(loc: Location, annexes=()) -> tuple[str, ...]:
    specs = [f":(literal){p}" for p in (*loc.data_paths(), *annex_paths(loc, annexes))]
    return ("status", "--porcelain", "--untracked-files=all", "--", *specs)


def ask_about_edits(loc: Location, head: str) -> None:
    """Ask git now what `has_uncommitted_changes(loc)` and `template_changes(...,
    head)` ask later (`Location.ask`): the three questions run side by side."""
    loc.ask(*_status_question(loc))
    for question in _change_questions(loc, head, None, [_templates_spec(loc)]) or []:
        loc.ask(*question)


def _templates_spec(loc: Location) -> str:
    return f":(literal){loc.prefix}{TEMPLATES_DIR}"


def annex_paths(loc: Location, annexes) -> list[str]:
    """Repository paths of the annex files `annexes` (relative to the network folder)."""
    return [f"{loc.prefix}{name}" for name in annexes
            if not PurePosixPath(name).is_absolute() and ".." not in PurePosixPath(name).parts]


def describe_version(folder: Path, annexes: list[str] | tuple = ()) -> str:
    """The version label for a rendered footer: `mou-v1.1`, `commit 3f2a9c1` or a draft
    (`annexes`: the annex files the network names; an uncommitted edit makes a draft)."""
    if not gitrepo.git_available():
        return "draft (not in git)"
    try:
        loc = locate(folder)
    except GitRefused:
        raise  # in git, but git refuses to read it: a document must not say "not in git"
    except GitError:
        return "draft (not in git)"
    if not gitrepo.has_commits(loc.repo):
        return "draft (no commits yet)"
    head = loc.repo.head.commit
    if has_uncommitted_changes(loc, annexes):
        return f"draft (uncommitted changes on {head.hexsha[:7]})"
    at_head = [r for r in releases_in(loc) if r.commit == head.hexsha]
    return at_head[0].tag if at_head else f"commit {head.hexsha[:7]}"


def version_label(folder: Path, rev: str | None = None, annexes: list[str] | tuple = ()
                  ) -> str:
    """The one rule for what a document made from the network at `rev` calls its
    version: the release whose data, templates and annex files it equals, else
    `commit abc1234`; for the working tree (`rev` None) a draft unless it equals a
    committed release."""
    return edition(folder, rev, annexes=annexes).label


TEMPLATES_DIR = "templates"  # a network's own templates: they count like its data


def release_edition(release: Release):
    """The edition of a release's document: its tag, version and date."""
    from mouctl.render.edition import Edition

    when = release.date.date() if release.date else None
    return Edition(label=release.tag, release=release.tag, version=release.version,
                   date=when)


def edition(folder: Path, rev: str | None = None, *, today: dt.date | None = None,
            annexes: list[str] | tuple = ()):
    """The edition of a document made from the network at `rev` (None: working tree).

    It is a release when the network's data, its `templates/` and its annex files
    (`annexes`, relative to the network folder) equal that release's, also after later
    commits that only add signatures; otherwise a draft dated today (working tree) or
    by its commit.
    """
    from mouctl.render.edition import Edition

    today = today or dt.date.today()
    label = describe_version(folder, annexes) if rev is None else None
    if label is not None and not label.startswith(("mou-v", "commit ")):
        return Edition(label=label, date=today)  # uncommitted or not in git
    loc = locate(folder)
    commit = loc.repo.head.commit if rev is None else gitrepo.resolve_commit(loc.repo, rev)
    paths = [f":(literal){p}" for p in (*loc.data_paths(), f"{loc.prefix}{TEMPLATES_DIR}",
                                        *annex_paths(loc, annexes))]
    if rev is None and loc.repo.git.status("--porcelain", "--untracked-files=all", "--",
                                           *paths).strip():
        return Edition(label=f"draft (uncommitted changes on {commit.hexsha[:7]})", date=today)
    for release in releases(folder):
        if release.commit == commit.hexsha or not loc.repo.git.diff(
                "--name-only", release.commit, commit.hexsha, "--", *paths).strip():
            return release_edition(release)
    stamp = dt.datetime.fromtimestamp(commit.committed_date, dt.UTC).date()
    return Edition(label=f"commit {commit.hexsha[:7]}", date=today if rev is None else stamp)


def template_changes(folder: Path, old: str, new: str | None = None, *,
                     loc: Location | None = None) -> list[str]:
    """The network's template files (`templates/...`) that differ from `old` to `new`
    (None: the working tree, new files included), relative to the network folder.
    `loc`: the repository already open (a session's), so it is not opened again."""
    if loc is None:
        if not gitrepo.git_available():
            return []
        try:
            loc = locate(folder)
        except GitRefused:
            raise
        except GitError:
            return []
    spec = _templates_spec(loc)
    names = _changed_paths(loc, old, new, [spec])
    if names is None:
        base = gitrepo.resolve_commit(loc.repo, old).hexsha
        if new is None:
            names = loc.repo.git.diff("--name-only", base, "--", spec).splitlines()
            names += loc.repo.git.ls_files("--others", "--exclude-standard", "--", spec,
                                           ).splitlines()
        else:
            names = loc.repo.git.diff("--name-only", base,
                                      gitrepo.resolve_commit(loc.repo, new).hexsha, "--",
                                      spec).splitlines()
    # git prints paths from the repository's root; show them from the network folder.
    return sorted({name.removeprefix(loc.prefix) for name in names if name})


def _changed_paths(loc: Location, old: str, new: str | None, specs: list[str]
                   ) -> list[str] | None:
    """The paths among `specs` that differ from commit `old` to `new` (None: the
    working tree, untracked files included), asked of git without GitPython; None
    when git does not simply answer (GitPython then resolves the revisions and words
    why not)."""
    questions = _change_questions(loc, old, new, specs)
    if questions is None:
        return None
    try:
        return [name for question in questions for name in loc.git(*question).splitlines()]
    except GitError:
        return None


def _change_questions(loc: Location, old: str, new: str | None, specs: list[str]
                      ) -> list[tuple[str, ...]] | None:
    """The git questions `_changed_paths` asks (None: not plain revisions)."""
    if not (_plain(old) and (new is None or _plain(new))):
        return None
    if new is not None:
        return [("diff", "--name-only", f"{old}^{{commit}}", f"{new}^{{commit}}", "--",
                 *specs)]
    return [("diff", "--name-only", f"{old}^{{commit}}", "--", *specs),
            ("ls-files", "--others", "--exclude-standard", "--", *specs)]


def _plain(rev: str) -> bool:
    """A revision git can be given as an argument as it is (not an option, one line)."""
    return bool(rev) and not rev.startswith("-") and not any(c in rev for c in "\n\r\x00")


def annex_names(*networks) -> list[str]:
    """The annex files (relative to the network folder) that every one of `networks`
    names, each once: the files whose text partners agree to in all of them. A file
    only one side names is a change of the data (`learning-outcomes-annex`) instead."""
    named = [annex_files(n) for n in networks if n is not None]
    return sorted(set.intersection(*named)) if named else []


def annex_files(network) -> set[str]:
    """The annex files (relative to the network folder) that `network` names."""
    from mouctl.source import checks

    return {a.file for _, a in checks.annexes(network) if a.file is not None
            and not PurePosixPath(a.file).is_absolute()
            and ".." not in PurePosixPath(a.file).parts}


def annex_changes(loc: Location, old: str, new: str | None, names: list[str]) -> list[str]:
    """The annex files among `names` whose text differs from `old` to `new` (None: the
    working tree, uncommitted and untracked edits included); the one place that says it.

    Git compares blob ids (content addresses), and only the named paths: cheap.
    """
    if not names:
        return []
    specs = [f":(literal){loc.prefix}{name}" for name in names]
    found = _changed_paths(loc, old, new, specs)
    if found is None:
        # Not plain revisions, or git refused: GitPython resolves them (and words why
        # not), then the same questions are asked through it.
        base = gitrepo.resolve_commit(loc.repo, old).hexsha
        target = None if new is None else gitrepo.resolve_commit(loc.repo, new).hexsha
        found = [name for question in _change_questions(loc, base, target, specs) or []
                 for name in loc.repo.git.execute(["git", *question]).splitlines()]
    changed = {name.removeprefix(loc.prefix) for name in found if name}
    # git prints `annexes/x.md` also for a file named `./annexes/x.md` in the data.
    return [name for name in names if PurePosixPath(name).as_posix() in changed]


def annex_files_at(folder: Path, rev: str, names: list[str]) -> dict[str, bytes]:
    """The contents of the annex files `names` as committed at `rev` (from git, not
    the working tree); a file missing there or a symbolic link is left out."""
    loc = locate(folder)
    commit = gitrepo.resolve_commit(loc.repo, rev)
    prefix = network_prefix_at(loc, commit, rev)
    found: dict[str, bytes] = {}
    for name in names:
        if PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
            continue  # validation refuses it; never read outside the network folder
        blob = _blob(commit.tree, f"{prefix}{name}")
        if blob is not None and blob.mode != _SYMLINK_MODE:
            found[name] = blob.data_stream.read()
    return found


def annex_texts(folder: Path, rev: str | None, network) -> dict[str, bytes]:
    """The contents of the annex files `network` names, at `rev` (None: the working
    tree, read safely from the folder): what a document of that version annexes."""
    names = annex_names(network)
    if rev is not None:
        return annex_files_at(folder, rev, names)
    found = {name: source.read_annex(folder, name) for name in names}
    return {name: content for name, content in found.items() if content is not None}


def annex_text_changes(loc: Location, old: str, new: str | None, before, after) -> list:
    """The annex text changes (`changes.compare.Change`, substantive) from the network
    `before` at `old` to the network `after` at `new` (None: the working tree)."""
    from mouctl.changes import compare as changes

    return changes.annex_changes(annex_changes(loc, old, new, annex_names(before, after)))


def releases(folder: Path) -> list[Release]:
    """The releases (tags `mou-v*`, `mou2-v*` ...), the newest MoU's newest version first."""
    return releases_in(locate(folder))


def releases_in(loc: Location) -> list[Release]:
    """`releases` of a repository already open (release tags on a commit only: see
    `not_releases` for the others)."""
    from mouctl.history import tagread

    plain = tagread.release_tags(loc, release_notes.parse_tag)
    if plain is not None:  # git's plain answer (no GitPython), the usual case
        found = [_plain_release(tag) for tag in plain]
    elif not gitrepo.has_commits(loc.repo):
        return []
    else:
        found = [_release(ref) for ref in loc.repo.tags if release_notes.parse_tag(ref.name)
                 and _target_kind(ref) in ("commit", "missing")]  # missing: a shallow clone
    found.sort(key=lambda r: (r.mou, release_notes.version_key(r.version),
                              r.date or dt.datetime.min.replace(tzinfo=dt.UTC)), reverse=True)
    return found


def last_release(folder: Path) -> Release | None:
    """The newest release, or None before the first one."""
    found = releases(folder)
    return found[0] if found else None


def find_release(folder: Path, version: str) -> Release:
    """The release `version` of the current MoU (`1.1`), or by tag (`mou-v1.1`)."""
    return pick_release(releases(folder), version)


def pick_release(found: list[Release], version: str) -> Release:
    """The release `version` among `found` (of the current MoU unless given as a tag),
    or GitError listing them."""
    by_tag = release_notes.parse_tag(version)
    current = found[0].mou if found else 1
    mou, wanted = by_tag if by_tag else (current, version)
    if release_notes.is_version(wanted):
        key = release_notes.version_key(wanted)
        for release in found:
            if release.mou == mou and release_notes.version_key(release.version) == key:
                return release
    known = ", ".join(r.version if r.mou == current else r.tag for r in found) or "none yet"
    raise GitError(f"there is no release {version} (releases: {known})",
                   "create one with `mouctl release VERSION -m REASON`")


def not_releases(loc: Location) -> list[str]:
    """Notes on tags named like releases that point at a file or a folder (a tree),
    not at a commit: they are not releases, and every command passes over them."""
    if not gitrepo.has_commits(loc.repo):
        return []
    out = []
    for ref in loc.repo.tags:
        if release_notes.parse_tag(ref.name):
            kind = _target_kind(ref)
            if kind not in ("commit", "missing"):
                what = {"blob": "a file (blob)", "tree": "a folder (tree)"}.get(kind, kind)
                out.append(f"the tag {ref.name} points at {what}, not at a commit, so it is "
                           f"not a release and was passed over (remove it with `git tag -d "
                           f"{ref.name}`, or make the release with `mouctl release`)")
    return out


def _target_kind(ref) -> str:
    """What a tag names in the end (tags of tags followed): commit, tree or blob;
    `missing` when the object is not in this clone."""
    import gitdb.exc  # noqa: PLC0415

    try:
        target = ref.tag.object if ref.tag is not None else ref.object
        for _ in range(8):  # a tag of a tag of ...: bounded
            if target.type != "tag":
                return target.type
            target = target.object
    except (ValueError, gitdb.exc.BadObject, gitdb.exc.BadName, KeyError):
        return "missing"
    return "tag"


def _release(ref) -> Release:
    mou, version = release_notes.parse_tag(ref.name) or (1, "")
    tag = ref.tag  # None for a lightweight tag
    # The tag object names the commit without reading it, which matters in a
    # shallow clone where the commit itself may be missing.
    commit = tag.object.hexsha if tag is not None else ref.object.hexsha
    if tag is None:
        return Release(version, ref.name, commit, None, None, "", "", None, None, False,
                       commit, mou)
    parsed = release_notes.parse_message(version, tag.message)
    date = _tag_date(ref.name, tag.hexsha, tag.tagged_date, tag.tagger_tz_offset)
    return Release(version, ref.name, commit, date, tag.tagger.name if tag.tagger else None,
                   tag.message, parsed.reason, parsed.data_fingerprint,
                   parsed.document_fingerprint, True, tag.hexsha, mou, parsed.trailers)


def _plain_release(ref) -> Release:
    """`_release` of a tag read with git's plain answers (`tagread.TagRef`)."""
    mou, version = release_notes.parse_tag(ref.name) or (1, "")
    tag = ref.annotated
    if tag is None:
        return Release(version, ref.name, ref.oid, None, None, "", "", None, None, False,
                       ref.oid, mou)
    parsed = release_notes.parse_message(version, tag.message)
    date = _tag_date(ref.name, tag.tag_id, tag.tagged_date, tag.tz_offset)
    return Release(version, ref.name, tag.target, date, tag.tagger, tag.message,
                   parsed.reason, parsed.data_fingerprint, parsed.document_fingerprint, True,
                   tag.tag_id, mou, parsed.trailers)


def _tag_date(name: str, tag_id: str, tagged_date: int, tz_offset: int) -> dt.datetime:
    """The date of an annotated tag; GitError naming the tag when git holds an
    impossible one (a zone beyond +-24 h, a year past 9999), which a hand-made
    tag can carry and which would otherwise break every history command."""
    offset = -tz_offset
    try:
        return dt.datetime.fromtimestamp(tagged_date,
                                         dt.timezone(dt.timedelta(seconds=offset)))
    except (ValueError, OverflowError, OSError):
        hours = f"{'+' if offset >= 0 else '-'}{abs(offset) // 3600:02d}" \
                f"{abs(offset) % 3600 // 60:02d}"
        raise GitError(f"the release tag {name} ({tag_id[:7]}) has a date outside what "
                       f"a calendar can show ({tagged_date} seconds, time zone {hours})",
                       f"re-create the tag with a real date: `git tag -d {name}` and "
                       "`mouctl release` again, or fix it where it was made") from None


def commit_object(loc: Location, sha: str):
    """The commit `sha` (40 hex digits) without asking git whether it exists first."""
    from git.objects import Commit  # noqa: PLC0415

    return Commit(loc.repo, bytes.fromhex(sha))
