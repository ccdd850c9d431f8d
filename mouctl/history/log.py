"""The versions of the MoU: the commits that changed the network data (`mouctl log`).

Each version is summarised in the domain's words by comparing the network at the
commit with the network at its first parent. The history engine (`engine`) reads
every version from parts parsed once and compares only what changed; summaries are
cached by commit (`parsecache`), so a warm `log` reads no network file at all: it
asks git three plain questions (where the folder was, the tags, the log) and reads
the cache, without importing the models, YAML or GitPython.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mouctl.history import place
from mouctl.history import tags as release_notes
from mouctl.history.parsecache import Cache, Store
from mouctl.source.names import NETWORK_FILE

if TYPE_CHECKING:  # a warm log reads summaries only: no models, YAML or GitPython
    from mouctl.history.engine import Engine
    from mouctl.model.network import Network

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


_SINCE_AGO = re.compile(r"^(\d+)\s+(second|minute|hour|day|week|month|year)s?\s+ago$")


def check_since(text: str) -> str:
    """`--since` as git reads it, limited to forms that cannot be misread: git takes
    any text (`garbage` means "now") and would list nothing without a word."""
    value = " ".join(text.strip().lower().split())
    if value in ("yesterday", "today") or _SINCE_AGO.match(value):
        return value
    try:
        dt.date.fromisoformat(value[:10])
        if len(value) == 10 or (len(value) >= 16 and value[10] in " t"):
            dt.datetime.fromisoformat(value.replace(" ", "T", 1))
            return value
    except ValueError:
        pass
    from mouctl.errors import UsageError

    raise UsageError(f"--since '{text}' is not a date mouctl understands",
                     "write a date (2026-01-31), a date and time (2026-01-31 14:00), "
                     "'yesterday', or 'N days|weeks|months|years ago'")


def log(folder: Path, *, since: str | None = None, limit: int | None = None,
        progress: Progress | None = None) -> Log:
    """The versions of the network in `folder`, newest first."""
    loc = place.locate(folder)
    loc.require_commits()
    prefixes = _prefixes(loc)
    args = ["--format=" + _FIELDS, "--no-color"]
    if since:
        args.append(f"--since={check_since(since)}")
    if limit:
        args.append(f"-n{limit}")
    paths = [f":(literal){p}" for prefix in prefixes for p in loc.data_paths(prefix)]
    out = loc.git("log", *args, "--", *paths)
    tags = place.tags_by_commit(loc, release_notes.parse_tag)
    found = [_version(line, tags) for line in out.splitlines() if line]
    versions = [v for v, _ in found]
    _summarise(loc, prefixes, versions, {v.commit: p for v, p in found}, progress)
    return Log(versions, _shallow(loc))


def _shallow(loc: place.Location) -> bool:
    """True in a shallow clone, where older commits (and releases) may be missing."""
    return (loc.git_dir / "shallow").is_file()


def _prefixes(loc: place.Location) -> list[str]:
    """The network folder now, then where it was before renames."""
    found = [loc.prefix]
    for path in place.followed_paths(loc):
        prefix = path[: -len(NETWORK_FILE)]
        if path.endswith(NETWORK_FILE) and prefix not in found:
            found.append(prefix)
    return found


def _version(line: str, tags: dict[str, list[str]]) -> tuple[Version, str | None]:
    commit, parents, author, email, date, subject = line.split("\x1f", 5)
    first = parents.split()[0] if parents.strip() else None
    return Version(commit, date, author, email, subject, sorted(tags.get(commit, []))), first


def _summarise(loc: place.Location, prefixes: list[str], versions: list[Version],
               parents: dict[str, str | None], progress: Progress | None) -> None:
    store = Store(loc.common_dir)
    try:
        summaries = Cache(store, "summary", _summary_shape)
        keys = {v.commit: Cache.key([v.commit, loc.prefix]) for v in versions}
        cached = summaries.get_many(keys.values())
        todo = []
        for version in versions:
            found = cached.get(keys[version.commit])
            if found is None:
                todo.append(version)
            else:
                _apply(version, found)
        if not todo:
            return
        from mouctl.history import repo as gitrepo
        from mouctl.history.engine import Engine

        engine = Engine(loc, prefixes, store)
        try:
            engine.prepare([v.commit for v in todo]
                           + [p for v in todo if (p := parents[v.commit])])
            cut = gitrepo.shallow_commits(loc.repo)
            fresh = []
            for done, version in enumerate(todo, 1):
                found = summary(engine, version.commit, parents[version.commit],
                                cut=version.commit in cut)
                fresh.append((keys[version.commit], found))
                _apply(version, found)
                if progress:
                    progress(done, len(todo))
            summaries.put_many(fresh)
        finally:
            engine.close()
    finally:
        store.close()


def _summary_shape(value) -> bool:
    return (isinstance(value, dict) and isinstance(value.get("summary"), str)
            and value.get("substantive") in (True, False, None)
            and isinstance(value.get("valid"), bool)
            and type(value.get("changes")) is int)


def _apply(version: Version, cached: dict) -> None:
    version.summary = cached["summary"]
    version.substantive = cached["substantive"]
    version.valid = cached["valid"]
    version.changes = cached["changes"]


def summary(engine: Engine, sha: str, parent: str | None, *, cut: bool = False) -> dict:
    """What changed from `parent` to `sha`, for `log` (one line and its kind)."""
    from mouctl.changes import compare as changes

    new = engine.version(sha)
    old = engine.version(parent) if parent else None
    if new is None:
        return _entry("network removed", None, False)
    if not new.valid:
        return _entry(f"data invalid: {new.problem}", None, False)
    if cut:
        return _entry("oldest version in this shallow clone: " + _contents(new.network),
                      None, True)
    if old is None:
        return _entry("first version: " + _contents(new.network), None, True)
    if not old.valid:
        return _entry("data valid again: " + _contents(new.network), None, True)
    found = engine.compare(old, new)
    if not found:
        return _entry("no change to the agreement (formatting, comments or files moved)",
                      False, True)
    return _entry(changes.summarise(found), changes.needs_resigning(found), True,
                  len(found))


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
