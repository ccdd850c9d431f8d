"""The versions of the MoU: the commits that changed the network data (`mouctl log`).

Each version is summarised in the domain's words by comparing the network at the
commit with the network at its first parent (`changes.compare`). Parsing a
version is the slow part, so parsed versions are cached by their blob ids and
summaries by commit (`parsecache`); a warm `log` reads no network file at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from mouctl.history import repo as gitrepo
from mouctl.history import revisions as history
from mouctl.history.parsecache import Cache
from mouctl.model.network import Network
from mouctl.source import loader as source
from mouctl.text import plural

Progress = Callable[[int, int], None]
_MEMO_SIZE = 8
_MAX_CACHED_VERSION = 256 * 1024
_FIELDS = "%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%s"


@dataclass
class Version:
    """One commit that changed the network data."""

    commit: str
    date: str  # author date, ISO 8601
    author: str
    email: str
    subject: str
    releases: list[str] = field(default_factory=list)
    summary: str = ""
    substantive: bool | None = None  # None: not comparable (first or invalid version)
    valid: bool = True
    changes: int = 0

    @property
    def short(self) -> str:
        return self.commit[:7]

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Log:
    versions: list[Version]
    shallow: bool  # history may be cut short: older versions are missing


def log(folder: Path, *, since: str | None = None, limit: int | None = None,
        progress: Progress | None = None) -> Log:
    """The versions of the network in `folder`, newest first."""
    loc = history.locate(folder)
    gitrepo.require_commits(loc.repo)
    prefixes = _prefixes(loc)
    args = ["--format=" + _FIELDS, "--no-color"]
    if since:
        args.append(f"--since={since}")
    if limit:
        args.append(f"-n{limit}")
    paths = [f":(literal){p}" for prefix in prefixes for p in loc.data_paths(prefix)]
    out = loc.repo.git.log(*args, "--", *paths)
    tags: dict[str, list[str]] = {}
    for release in history.releases(folder):
        tags.setdefault(release.commit, []).append(release.tag)
    found = [_version(line, tags) for line in out.splitlines() if line]
    versions = [v for v, _ in found]
    _summarise(loc, prefixes, versions, {v.commit: p for v, p in found}, progress)
    return Log(versions, gitrepo.is_shallow(loc.repo))


def _prefixes(loc: history.Location) -> list[str]:
    """The network folder now, then where it was before renames."""
    found = [loc.prefix]
    for path in history.followed_paths(loc):
        prefix = path[: -len(source.NETWORK_FILE)]
        if path.endswith(source.NETWORK_FILE) and prefix not in found:
            found.append(prefix)
    return found


def _version(line: str, tags: dict[str, list[str]]) -> tuple[Version, str | None]:
    commit, parents, author, email, date, subject = line.split("\x1f", 5)
    first = parents.split()[0] if parents.strip() else None
    return Version(commit, date, author, email, subject, sorted(tags.get(commit, []))), first


def _summarise(loc: history.Location, prefixes: list[str], versions: list[Version],
               parents: dict[str, str | None], progress: Progress | None) -> None:
    summaries = Cache(Path(loc.repo.common_dir), "log")
    todo = []
    for version in versions:
        cached = summaries.get(summaries.key([version.commit, loc.prefix]))
        if cached is None:
            todo.append(version)
        else:
            _apply(version, cached)
    if not todo:
        return
    # Walking the whole history: a large network would add megabytes per version to
    # .git, so only small versions are kept; the one-line summaries are always cached.
    reader = Reader(loc, prefixes, parsed_cache(loc), max_cached=_MAX_CACHED_VERSION)
    reader.prepare([v.commit for v in todo] + [p for v in todo if (p := parents[v.commit])])
    cut = gitrepo.shallow_commits(loc.repo)
    for done, version in enumerate(todo, 1):
        cached = reader.summary(version.commit, parents[version.commit],
                                cut=version.commit in cut)
        summaries.put(summaries.key([version.commit, loc.prefix]), cached)
        _apply(version, cached)
        if progress:
            progress(done, len(todo))


def _apply(version: Version, cached: dict) -> None:
    version.summary = cached["summary"]
    version.substantive = cached["substantive"]
    version.valid = cached["valid"]
    version.changes = cached["changes"]


def parsed_cache(loc: history.Location) -> Cache:
    """The cache of parsed versions in the repository's git folder."""
    return Cache(Path(loc.repo.common_dir), "networks")


class Reader:
    """Reads and compares versions, parsing each distinct set of blobs once."""

    def __init__(self, loc: history.Location, prefixes: list[str], parsed: Cache, *,
                 max_cached: int | None = None) -> None:
        self.loc, self.prefixes, self.parsed = loc, prefixes, parsed
        self.max_cached = max_cached  # bytes; larger parsed versions are not written
        self.memo: dict[str, dict] = {}
        self.keys: dict[str, tuple] = {}  # commit -> (prefix, object ids of the data)
        self.blobs: dict[str, bytes] = {}

    def prepare(self, commits: list[str]) -> None:
        """Look up the data's object ids at all these commits in one go."""
        kinds = (source.NETWORK_FILE, *history.DATA_DIRS)
        unique = list(dict.fromkeys(commits))
        specs = [f"{sha}:{prefix}{kind}" for sha in unique for prefix in self.prefixes
                 for kind in kinds]
        ids = iter(history.object_ids(self.loc, specs))
        for sha in unique:
            for prefix in self.prefixes:
                main, *dirs = (next(ids) for _ in kinds)
                if sha not in self.keys and main is not None and main[1] == "blob":
                    self.keys[sha] = (prefix, main[0],
                                      *(d[0] if d and d[1] == "tree" else None for d in dirs))
        # Versions not parsed before, with everything in network.yaml (no split
        # files), are read in one go rather than object by object.
        wanted = []
        for key in dict.fromkeys(self.keys.values()):
            # Cached versions are read when needed (`_parsed`), so memory stays flat.
            if not self.parsed.has(self.parsed.key(["ids", *key])) and not any(key[2:]):
                wanted.append(key[1])
        self.blobs = history.read_blobs(self.loc, wanted)

    def summary(self, sha: str, parent: str | None, *, cut: bool = False) -> dict:
        """What changed from `parent` to `sha` (both prepared), for `log`."""
        from mouctl.changes import compare as changes

        new = self._at(sha)
        old = self._at(parent) if parent else None
        if new is None:
            return _entry("network removed", None, False)
        if not new["valid"]:
            return _entry(f"data invalid: {new['problem']}", None, False)
        model = self._model(new)
        if cut:
            return _entry("oldest version in this shallow clone: " + _contents(model), None,
                          True)
        if old is None:
            return _entry("first version: " + _contents(model), None, True)
        if not old["valid"]:
            return _entry("data valid again: " + _contents(model), None, True)
        found = changes.compare(self._model(old), model)
        if not found:
            return _entry("no change to the agreement (formatting, comments or files moved)",
                          False, True)
        return _entry(changes.summarise(found), changes.needs_resigning(found), True,
                      len(found))

    def _model(self, parsed: dict) -> Network:
        """The model of a valid parsed version, validated once per run."""
        if "model" not in parsed:
            parsed["model"] = Network.model_validate(parsed["network"])
        return parsed["model"]

    def _at(self, sha: str) -> dict | None:
        key = self.keys.get(sha)
        if key is None:
            return None
        if key[1] in self.blobs and not any(key[2:]):
            return self._parsed(["ids", *key], lambda: _parse_files(
                {source.NETWORK_FILE: self.blobs[key[1]]}, [], key[0]))
        return self._parsed(["ids", *key], lambda: _parse(
            history.commit_object(self.loc, sha), key[0]))

    def _parsed(self, parts: list, parse) -> dict:
        digest = self.parsed.key(parts)
        if digest not in self.memo:
            found = self.parsed.get(digest)
            if found is None:
                found = parse()
                self.parsed.put(digest, found, max_bytes=self.max_cached)
            self.memo[digest] = found
            # `log` walks newest to oldest, each version compared with its parent:
            # only the last few parsed versions are needed again, so memory stays flat.
            while len(self.memo) > _MEMO_SIZE:
                self.memo.pop(next(iter(self.memo)))
        return self.memo[digest]

    def model(self, commit) -> Network | None:
        """The valid network at `commit`, else None."""
        found = self.network(commit)
        return self._model(found) if found and found["valid"] else None

    def network(self, commit) -> dict | None:
        """{valid, network | problem} at `commit`; None when there is no network."""
        for prefix in self.prefixes:
            key = history.data_key(commit, prefix)
            if key and key[0][0] == source.NETWORK_FILE:
                return self._parsed([prefix, key], lambda p=prefix: _parse(commit, p))
        return None


def _parse(commit, prefix: str) -> dict:
    files, problems = history.read_data(commit, prefix)
    return _parse_files(files, problems, prefix)


def _parse_files(files: dict[str, bytes], problems: list, prefix: str) -> dict:
    # Errors do not depend on the date (only warnings about validity do).
    loaded = source.load_documents(files, today=dt.date(2000, 1, 1),
                                   display=lambda n: f"{prefix}{n}")
    errors = [d for d in problems + loaded.diagnostics if d.severity == "error"]
    if loaded.network is None or errors:
        first = errors[0] if errors else None
        problem = plural(len(errors), "error") + (f", first: {first.where()}: {first.message}"
                                               if first else "")
        return {"valid": False, "problem": problem}
    return {"valid": True, "network": loaded.network.model_dump(mode="json")}


def _entry(summary: str, substantive: bool | None, valid: bool, count: int = 0) -> dict:
    return {"summary": summary, "substantive": substantive, "valid": valid, "changes": count}


def _contents(network: Network) -> str:
    def count(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return ", ".join((count(len(network.partners), "partner"),
                      count(len(network.qualifications), "qualification"),
                      count(len(network.units()), "unit")))


def table(versions: list[Version]) -> list[str]:
    """`log`'s text form: one aligned line per version (never wrapped)."""
    rows = [("commit", "date", "author", "release", "what changed")]
    for v in versions:
        rows.append((v.short, v.date[:10], v.author, ", ".join(v.releases) or "-",
                     v.summary))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return ["  ".join(cell.ljust(w) for cell, w in zip(r[:4], widths, strict=True)) + "  "
            + r[4] for r in rows]
