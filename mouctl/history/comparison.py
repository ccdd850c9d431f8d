"""Compare the network at two revisions: the core of `mouctl diff`.

Revisions are read through the history engine (`session`); the comparison
itself is `changes.compare` (domain view) and `redline.compare` of the two
rendered documents (document view). Invalid data at a revision is kept
as diagnostics in the result, never raised, so the command can show it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mouctl.changes import compare as changes_mod
from mouctl.changes.compare import Change
from mouctl.history import revisions as history
from mouctl.history.session import Session
from mouctl.source.loader import Loaded

if TYPE_CHECKING:
    from mouctl.model.network import Network

WORKING_TREE = "working tree"
# Exit codes of `mouctl diff --exit-code` (as `git diff --exit-code`, plus one level).
# With `diff --exit-code`; 5 is used by nothing else (2 is a usage error, 4 a failure
# to compare), so a script can tell "re-signing needed" from any mistake.
NO_CHANGES, ADMINISTRATIVE_ONLY, SUBSTANTIVE = 0, 1, 5


class Version:
    """The network at one revision (None: the working tree).

    A version read through the history engine (`read`) is put together as a whole
    model only when something asks for it (`loaded`): a `diff` decodes the entities
    that changed and, when partners must sign, the partners.
    """

    def __init__(self, rev: str | None, loaded: Loaded | None = None,
                 fingerprint: str | None = None, *, read=None) -> None:
        self.rev = rev
        self._loaded = loaded
        self.fingerprint = fingerprint  # the data fingerprint, when known without a dump
        self.read = read  # the engine's valid version, if it was read through it
        self._partners: Network | None = None

    @property
    def loaded(self) -> Loaded:
        if self._loaded is None:
            self._loaded = Loaded(self.read.network)
        return self._loaded

    def data_fingerprint(self) -> str | None:
        """`Network.fingerprint()` of this version (None when it is invalid)."""
        if self.fingerprint is None and self.valid:
            self.fingerprint = self.loaded.network.fingerprint()
        return self.fingerprint

    def with_partners(self) -> Network | None:
        """The network with its partners (its other lists maybe left empty): who signs."""
        if self._loaded is None and self.read is not None:
            if self._partners is None:
                self._partners = self.read.only("partners")
            return self._partners
        return self.loaded.network

    @property
    def diagnostics(self) -> list:
        """The problems found reading it (none for a valid version read in parts)."""
        return [] if self._loaded is None and self.read is not None \
            else self.loaded.diagnostics

    @property
    def label(self) -> str:
        return self.rev if self.rev is not None else WORKING_TREE

    @property
    def valid(self) -> bool:
        if self._loaded is None and self.read is not None:
            return self.read.valid
        return self.loaded.network is not None


@dataclass
class Comparison:
    """What changed from `old` to `new`; `changes` is empty when a side is invalid."""

    old: Version
    new: Version
    changes: list[Change] = field(default_factory=list)
    folder: Path | None = None  # the network folder the versions were read from
    wording: list[str] = field(default_factory=list)  # network template files changed

    @property
    def valid(self) -> bool:
        return self.old.valid and self.new.valid

    @property
    def substantive(self) -> bool:
        return changes_mod.needs_resigning(self.changes)

    @property
    def must_sign(self) -> list[str]:
        """Partners of the new version who must sign it again (or for the first time)."""
        return changes_mod.must_sign(self.changes, self.new.with_partners()) if self.valid \
            else []

    @property
    def exit_code(self) -> int:
        """0 no change, 1 only administrative changes, 2 substantive changes."""
        if not self.changes:
            return ADMINISTRATIVE_ONLY if self.wording else NO_CHANGES
        return SUBSTANTIVE if self.substantive else ADMINISTRATIVE_ONLY


def default_base(folder: Path, session: Session | None = None) -> str:
    """The revision `mouctl diff` starts from: the last release, else HEAD."""
    release = session.last_release() if session else history.last_release(folder)
    return release.tag if release is not None else "HEAD"


def compare_revisions(folder: Path, old: str | None = None, new: str | None = None, *,
                      today: dt.date | None = None, session: Session | None = None
                      ) -> Comparison:
    """Compare the network at `old` (default: last release or HEAD) with `new`
    (default: the working tree). GitError for unknown revisions or no repository.
    `session`: the command's repository, when it has one open already."""
    if session is None:
        with Session(folder) as session:
            return _compare(folder, session, old, new, today)
    return _compare(folder, session, old, new, today)


def _compare(folder: Path, session: Session, old: str | None, new: str | None,
             today: dt.date | None) -> Comparison:
    old_rev = old if old is not None else default_base(folder, session)
    old_version = _load(session, old_rev, today)
    new_version = _load(session, new, today)
    comparison = Comparison(old_version, new_version, folder=folder)
    if comparison.valid:
        # Both read through the history engine: compared on what changed.
        withdrawn = withdrawn_partners(folder, session)
        before, after = old_version.read, new_version.read
        comparison.changes = (
            session.compare(before, after, withdrawn=withdrawn) if before and after
            else changes_mod.compare(old_version.loaded.network,
                                     new_version.loaded.network, withdrawn=withdrawn))
        # The annexed texts are signed with the data: a changed file is substantive.
        names = sorted(_annex_files(session, old_version)
                       & _annex_files(session, new_version))
        comparison.changes += changes_mod.annex_changes(
            history.annex_changes(session.loc, old_rev, new, names))
    # The network's own templates are part of the document partners receive (read
    # through the session's repository: one handle per command).
    comparison.wording = history.template_changes(folder, old_rev, new, loc=session.loc)
    if comparison.substantive:
        comparison.new.with_partners()  # who must sign: read while the cache is open
    return comparison


def withdrawn_partners(folder: Path, session: Session | None = None) -> set[str]:
    """Partners whose notice of withdrawal from the current MoU the ledger records
    (`session`: the command's repository, its releases listed once)."""
    from mouctl.errors import MouError
    from mouctl.ledger import signatures

    try:
        ledger = signatures.read(folder)
        if not ledger.withdrawals:  # most networks: no release need be listed
            return set()
        latest = session.last_release() if session else history.last_release(folder)
        return set(ledger.withdrawn(latest.mou if latest else 1))
    except MouError:
        return set()  # an unreadable ledger is `status`'s to report; diff still compares


def _load(session: Session, rev: str | None, today: dt.date | None) -> Version:
    """The network at `rev` (None: the working tree).

    Committed versions are read from parts parsed once and cached in the git folder
    (shared with `log`), so a second `diff` of two releases parses no YAML, and puts
    together only what it looks at. Invalid data is read in full, which locates every
    problem.
    """
    if rev is None:
        loaded, version = session.working_tree(today=today)
        return _version(session, rev, loaded, version)
    version = session.version(rev)
    if version is not None and version.valid:
        return _version(session, rev, None, version)
    return Version(rev, history.network_in(session.loc, rev, today=today))


def _annex_files(session: Session, version: Version) -> set[str]:
    if version.read is not None:
        return session.annex_files(version.read)
    return history.annex_files(version.loaded.network)


def _version(session: Session, rev: str | None, loaded: Loaded | None, version) -> Version:
    if version is None or not version.valid:
        return Version(rev, loaded)
    return Version(rev, loaded, session.fingerprint(version), read=version)


def version_label(folder: Path | None, version: Version) -> str:
    """What a document made from `version` calls it (as `mouctl render` does)."""
    if folder is None:
        return version.label
    return history.version_label(folder, version.rev,
                                 history.annex_names(version.loaded.network))
