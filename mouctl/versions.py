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

from mouctl import gitrepo, history, source
from mouctl.model import Network
from mouctl.parsecache import Cache

Progress = Callable[[int, int], None]
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
    versions = [_version(line, tags) for line in out.splitlines() if line]
    _summarise(loc, prefixes, versions, progress)
    return Log(versions, gitrepo.is_shallow(loc.repo))


def _prefixes(loc: history.Location) -> list[str]:
    """The network folder now, then where it was before renames."""
    found = [loc.prefix]
    for path in history.followed_paths(loc):
        prefix = path[: -len(source.NETWORK_FILE)]
        if path.endswith(source.NETWORK_FILE) and prefix not in found:
            found.append(prefix)
    return found


def _version(line: str, tags: dict[str, list[str]]) -> Version:
    commit, _parents, author, email, date, subject = line.split("\x1f", 5)
    return Version(commit, date, author, email, subject, sorted(tags.get(commit, [])))


def _summarise(loc: history.Location, prefixes: list[str], versions: list[Version],
               progress: Progress | None) -> None:
    git_dir = Path(loc.repo.common_dir)
    summaries = Cache(git_dir, "log")
    reader = Reader(loc, prefixes, parsed_cache(loc))
    for done, version in enumerate(versions, 1):
        key = summaries.key([version.commit, loc.prefix])
        cached = summaries.get(key)
        if cached is None:
            cached = reader.summary(version.commit)
            summaries.put(key, cached)
        version.summary = cached["summary"]
        version.substantive = cached["substantive"]
        version.valid = cached["valid"]
        version.changes = cached["changes"]
        if progress:
            progress(done, len(versions))


def parsed_cache(loc: history.Location) -> Cache:
    """The cache of parsed versions in the repository's git folder."""
    return Cache(Path(loc.repo.common_dir), "networks")


class Reader:
    """Reads and compares versions, parsing each distinct set of blobs once."""

    def __init__(self, loc: history.Location, prefixes: list[str], parsed: Cache) -> None:
        self.loc, self.prefixes, self.parsed = loc, prefixes, parsed
        self.memo: dict[str, dict] = {}

    def summary(self, commit_id: str) -> dict:
        from mouctl import changes

        commit = self.loc.repo.commit(commit_id)
        new = self.network(commit)
        try:
            old = self.network(commit.parents[0]) if commit.parents else None
        except ValueError:  # the parent is not in this shallow clone
            if new is None or not new["valid"]:
                return _entry("oldest version in this shallow clone", None, bool(new))
            model = Network.model_validate(new["network"])
            return _entry("oldest version in this shallow clone: " + _contents(model), None,
                          True)
        if new is None:
            return _entry("network removed", None, False)
        if not new["valid"]:
            return _entry(f"data invalid: {new['problem']}", None, False)
        model = Network.model_validate(new["network"])
        if old is None:
            return _entry("first version: " + _contents(model), None, True)
        if not old["valid"]:
            return _entry("data valid again: " + _contents(model), None, True)
        found = changes.compare(Network.model_validate(old["network"]), model)
        if not found:
            return _entry("no change to the agreement (formatting, comments or files moved)",
                          False, True)
        return _entry(changes.summarise(found), changes.needs_resigning(found), True,
                      len(found))

    def model(self, commit) -> Network | None:
        """The valid network at `commit`, else None."""
        found = self.network(commit)
        return Network.model_validate(found["network"]) if found and found["valid"] else None

    def network(self, commit) -> dict | None:
        """{valid, network | problem} at `commit`; None when there is no network."""
        for prefix in self.prefixes:
            key = history.data_key(commit, prefix)
            if key and key[0][0] == source.NETWORK_FILE:
                break
        else:
            return None
        digest = self.parsed.key([prefix, key])
        if digest in self.memo:
            return self.memo[digest]
        found = self.parsed.get(digest)
        if found is None:
            found = _parse(commit, prefix)
            self.parsed.put(digest, found)
        self.memo[digest] = found
        return found


def _parse(commit, prefix: str) -> dict:
    files, problems = history.read_data(commit, prefix)
    # Errors do not depend on the date (only warnings about validity do).
    loaded = source.load_documents(files, today=dt.date(2000, 1, 1),
                                   display=lambda n: f"{prefix}{n}")
    errors = [d for d in problems + loaded.diagnostics if d.severity == "error"]
    if loaded.network is None or errors:
        first = errors[0] if errors else None
        problem = f"{len(errors)} error(s)" + (f", first: {first.where()}: {first.message}"
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
