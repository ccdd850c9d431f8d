"""Compare the network at two revisions: the core of `mouctl diff`.

Revisions are read through `history.network_at` (the one git reader); the
comparison itself is `changes.compare` (domain view) and `redline.compare` of
the two rendered documents (document view). Invalid data at a revision is kept
as diagnostics in the result, never raised, so the command can show it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from mouctl.changes import compare as changes_mod
from mouctl.changes.compare import Change
from mouctl.history import revisions as history
from mouctl.source.loader import Loaded

WORKING_TREE = "working tree"
# Exit codes of `mouctl diff --exit-code` (as `git diff --exit-code`, plus one level).
NO_CHANGES, ADMINISTRATIVE_ONLY, SUBSTANTIVE = 0, 1, 2


@dataclass
class Version:
    """The network at one revision (None: the working tree)."""

    rev: str | None
    loaded: Loaded

    @property
    def label(self) -> str:
        return self.rev if self.rev is not None else WORKING_TREE

    @property
    def valid(self) -> bool:
        return self.loaded.network is not None


@dataclass
class Comparison:
    """What changed from `old` to `new`; `changes` is empty when a side is invalid."""

    old: Version
    new: Version
    changes: list[Change] = field(default_factory=list)
    folder: Path | None = None  # the network folder the versions were read from

    @property
    def valid(self) -> bool:
        return self.old.valid and self.new.valid

    @property
    def substantive(self) -> bool:
        return changes_mod.needs_resigning(self.changes)

    @property
    def must_sign(self) -> list[str]:
        """Partners of the new version who must sign it again (or for the first time)."""
        return changes_mod.must_sign(self.changes, self.new.loaded.network) if self.valid \
            else []

    @property
    def exit_code(self) -> int:
        """0 no change, 1 only administrative changes, 2 substantive changes."""
        if not self.changes:
            return NO_CHANGES
        return SUBSTANTIVE if self.substantive else ADMINISTRATIVE_ONLY


def default_base(folder: Path) -> str:
    """The revision `mouctl diff` starts from: the last release, else HEAD."""
    release = history.last_release(folder)
    return release.tag if release is not None else "HEAD"


def compare_revisions(folder: Path, old: str | None = None, new: str | None = None, *,
                      today: dt.date | None = None) -> Comparison:
    """Compare the network at `old` (default: last release or HEAD) with `new`
    (default: the working tree). GitError for unknown revisions or no repository."""
    old_rev = old if old is not None else default_base(folder)
    before = Version(old_rev, _load(folder, old_rev, today))
    after = Version(new, _load(folder, new, today))
    comparison = Comparison(before, after, folder=folder)
    if comparison.valid:
        comparison.changes = changes_mod.compare(before.loaded.network, after.loaded.network)
    return comparison


def _load(folder: Path, rev: str | None, today: dt.date | None) -> Loaded:
    """The network at `rev`; a committed revision comes from `mouctl log`'s parse cache.

    Parsing a large network takes seconds and a committed version never changes,
    so the cache (keyed by the files' blob ids, in the git folder) makes a repeated
    `diff` from the last release cost only the working tree. Invalid data is read
    again through `history.network_at`, which locates every problem.
    """
    if rev is not None:
        network = _cached_network(folder, rev)
        if network is not None:
            return Loaded(network)
    return history.network_at(folder, rev, today=today)


def _cached_network(folder: Path, rev: str):
    from mouctl.history import log as versions
    from mouctl.history import repo as gitrepo
    from mouctl.model.network import Network

    loc = history.locate(folder)
    commit = gitrepo.resolve_commit(loc.repo, rev)
    prefix = history.network_prefix_at(loc, commit, rev)
    found = versions.Reader(loc, [prefix], versions.parsed_cache(loc)).network(commit)
    if found is None or not found["valid"]:
        return None
    return Network.model_validate(found["network"])


def rendered_redline(comparison: Comparison, *, lang: str | None = None,
                     template: Path | None = None):
    """The word-level redline of the two rendered MoUs (both versions must be valid),
    each rendered with `template` (the network's own templates) and labelled as
    `mouctl render` labels it."""
    from mouctl.changes import redline
    from mouctl.render import engine as rendering

    texts = [rendering.render_markdown(v.loaded.network, lang=lang, template=template,
                                       version=_version_label(comparison.folder, v))
             for v in (comparison.old, comparison.new)]
    return redline.compare(*texts)


def _version_label(folder: Path | None, version: Version) -> str:
    if folder is None:
        return version.label
    return history.version_label(folder, version.rev)
