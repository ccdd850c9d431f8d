"""One command's view of the network's history: one repository, one cache, each
release read once.

`release`, `status`, `sign` and `diff` read several versions of the same network
(the head, every release, the working tree). A Session opens the repository once,
lists the releases once, reads every version through the history engine (parts
parsed once, shared with `log` through the cache) and keeps what a release's data
is (valid or not, fingerprint, partners) in the cache under the tag object's id,
which names that data for good.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from mouctl.history import place
from mouctl.history import repo as gitrepo
from mouctl.history import revisions as history
from mouctl.history.engine import Engine, Version
from mouctl.history.parsecache import Cache, Store
from mouctl.history.parts import Parts
from mouctl.source import loader as source


@dataclass(frozen=True)
class ReleaseData:
    """What a release's data is, without its model: enough for `status` and `sign`."""

    valid: bool
    fingerprint: str | None  # None: invalid, or not computed (Session.release_fingerprint)
    partners: tuple[str, ...]
    problem: str = ""  # why it cannot be read (a GitError's message), if so


def _release_shape(value) -> bool:
    return (isinstance(value, dict) and isinstance(value.get("valid"), bool)
            and isinstance(value.get("fingerprint"), str | None)
            and isinstance(value.get("partners"), list)
            and all(isinstance(p, str) for p in value["partners"]))


def _partner_ids(version: Version) -> list[str]:
    """The ids of a valid version's partners (from its files' names when it was read
    in parts: no partner is decoded)."""
    if version.entities is not None:
        return list(version.ids["partners"])
    return [p.id for p in version.network.partners]


def _names_shape(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


class Session:
    """The repository holding the network in `folder`, opened once for a command."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.loc = history.locate(folder)
        self.store = Store(self.loc.common_dir)
        self.parts = Parts(self.store)
        self.release_cache = Cache(self.store, "release", _release_shape)
        self.annex_cache = Cache(self.store, "annex-files", _names_shape)
        self._engines: dict[str, Engine] = {}
        self._releases: list[history.Release] | None = None
        self._release_data: dict[str, ReleaseData] = {}  # tag -> what its data is
        self._commits: dict[str, str | None] = {}  # rev -> its commit, network there

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def repo(self):
        return self.loc.repo

    # -- releases ---------------------------------------------------------------

    def releases(self) -> list[history.Release]:
        """The releases, newest first (listed once per session)."""
        if self._releases is None:
            self._releases = history.releases_in(self.loc)
        return self._releases

    def last_release(self) -> history.Release | None:
        """The newest release, or None before the first one."""
        found = self.releases()
        return found[0] if found else None

    def find_release(self, version: str) -> history.Release:
        """The release `version`, or GitError listing the known ones."""
        return history.pick_release(self.releases(), version)

    def forget_releases(self) -> None:
        """List the releases again next time (after creating one)."""
        self._releases = None
        self._release_data = {}

    def release_data(self, releases: list[history.Release]) -> dict[str, ReleaseData]:
        """{tag: ReleaseData} of these releases, from the cache or read in bulk.

        The fingerprint is left out (None) unless known: digesting a large network
        costs about a tenth of reading it, and most releases are never compared with
        one. `release_fingerprint` computes (and remembers) it when it is asked for.
        """
        keys = {r.tag: self._release_key(r) for r in releases}
        stored = self.release_cache.get_many(keys.values())
        out, fresh = {}, []
        todo = [r for r in releases if keys[r.tag] not in stored]
        self._prepare([r.commit for r in todo])
        for release in releases:
            value = stored.get(keys[release.tag])
            if value is None:
                try:
                    version = self.version(release.commit)
                except gitrepo.GitError as exc:
                    out[release.tag] = ReleaseData(False, None, (), exc.message)
                    continue
                valid = bool(version and version.valid)
                value = {"valid": valid, "fingerprint": None,
                         "partners": _partner_ids(version) if valid else []}
                fresh.append((keys[release.tag], value))
            out[release.tag] = ReleaseData(value["valid"], value["fingerprint"],
                                           tuple(value["partners"]))
        self.release_cache.put_many(fresh)
        self._release_data.update(out)
        return out

    def release_fingerprint(self, release: history.Release) -> str | None:
        """The data fingerprint of `release` (None when its data is invalid or cannot
        be read), computed once and kept with the release's data under its tag id."""
        data = self._release_data.get(release.tag) or self.release_data([release])[
            release.tag]
        if data.fingerprint is not None or not data.valid:
            return data.fingerprint
        version = self.version(release.commit)
        fingerprint = self.fingerprint(version)
        data = ReleaseData(data.valid, fingerprint, data.partners, data.problem)
        self._release_data[release.tag] = data
        self.release_cache.put_many([(self._release_key(release), {
            "valid": data.valid, "fingerprint": fingerprint,
            "partners": list(data.partners)})])
        return fingerprint

    def _release_key(self, release: history.Release) -> str:
        # The tag object's id names the tag's message and the commit it points at for
        # good; a moved or re-created tag is another object, so another entry.
        return Cache.key([release.tag_id, self.loc.prefix])

    # -- versions -----------------------------------------------------------------

    def engine(self, prefix: str) -> Engine:
        """The engine reading the network where it was at `prefix`."""
        if prefix not in self._engines:
            self._engines[prefix] = Engine(self.loc, [prefix], self.store, self.parts)
        return self._engines[prefix]

    def _prepare(self, commits: list[str]) -> None:
        if commits:
            self.engine(self.loc.prefix).prepare(commits)

    def prepare(self, revs: list[str]) -> None:
        """Read the versions at these revisions in bulk (one question to git for all of
        them, not one per version): before `version` asks for them one by one."""
        todo = [rev for rev in revs if rev not in self._commits]
        if todo:
            self._commits.update(place.commits_with_network(self.loc, todo))
        self._prepare([sha for rev in revs if (sha := self._commits[rev])])

    def version(self, rev: str) -> Version | None:
        """The version at `rev` (GitError: unknown revision or no network there)."""
        from mouctl.trace import note

        sha = self._commits.get(rev) or place.commit_with_network(self.loc, rev)
        prefix = self.loc.prefix
        if sha is None:  # elsewhere (moved folder), or an error worded by GitPython
            commit = gitrepo.resolve_commit(self.repo, rev)
            prefix = history.network_prefix_at(self.loc, commit, rev)
            sha = commit.hexsha
        note("read the network at %s (commit %s, folder '%s')", rev, sha[:10], prefix or ".")
        return self.engine(prefix).version(sha)

    def loaded(self, rev: str, *, today: dt.date | None = None) -> source.Loaded:
        """`network_at(rev)`: valid data from the engine, invalid data located in full."""
        version = self.version(rev)
        if version is not None and version.valid:
            return source.Loaded(version.network)
        return history.network_in(self.loc, rev, today=today)

    def working_tree(self, *, today: dt.date | None = None) -> tuple[source.Loaded,
                                                                     Version | None]:
        """The working tree's network: through the engine when valid, else in full."""
        files, problems = source.read_folder(self.folder)
        version = None if problems else self.engine(self.loc.prefix).from_files(files)
        if version is not None:
            return source.Loaded(version.network), version
        return source.load(self.folder, today=today), None

    def fingerprint(self, version: Version) -> str:
        """The data fingerprint of a version (as `Network.fingerprint`)."""
        return self.engine(self.loc.prefix).fingerprint(version)

    def annex_files(self, version: Version) -> set[str]:
        """The annex files a valid version names (kept by its files' tree key, so a
        second command does not put the whole version together for them)."""
        if not version.key:
            return history.annex_files(version.network)
        found = self.annex_cache.get(version.key)
        if found is None:
            found = sorted(history.annex_files(version.network))
            self.annex_cache.put(version.key, found)
        return set(found)

    def compare(self, old: Version, new: Version, *, withdrawn=()) -> list:
        """`changes.compare` of two valid versions, on what changed."""
        return self.engine(self.loc.prefix).compare(old, new, withdrawn=withdrawn)

    def close(self) -> None:
        """Write what was parsed for the first time; end git; close the cache."""
        for engine in self._engines.values():
            engine.close()
        self._engines = {}
        self.parts.save()
        self.store.close()
        self.loc.close()
