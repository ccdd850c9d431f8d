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

from mouctl.changes import compare as changes_mod
from mouctl.changes.compare import Change
from mouctl.history import revisions as history
from mouctl.history.session import Session
from mouctl.source.loader import Loaded

WORKING_TREE = "working tree"
# Exit codes of `mouctl diff --exit-code` (as `git diff --exit-code`, plus one level).
# With `diff --exit-code`; 5 is used by nothing else (2 is a usage error, 4 a failure
# to compare), so a script can tell "re-signing needed" from any mistake.
NO_CHANGES, ADMINISTRATIVE_ONLY, SUBSTANTIVE = 0, 1, 5


@dataclass
class Version:
    """The network at one revision (None: the working tree)."""

    rev: str | None
    loaded: Loaded
    fingerprint: str | None = None  # the data fingerprint, when known without a dump

    def data_fingerprint(self) -> str | None:
        """`Network.fingerprint()` of this version (None when it is invalid)."""
        if self.fingerprint is None and self.loaded.network is not None:
            self.fingerprint = self.loaded.network.fingerprint()
        return self.fingerprint

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
        return changes_mod.must_sign(self.changes, self.new.loaded.network) if self.valid \
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
                      today: dt.date | None = None) -> Comparison:
    """Compare the network at `old` (default: last release or HEAD) with `new`
    (default: the working tree). GitError for unknown revisions or no repository."""
    with Session(folder) as session:
        old_rev = old if old is not None else default_base(folder, session)
        before, old_version = _load(session, old_rev, today)
        after, new_version = _load(session, new, today)
        comparison = Comparison(Version(old_rev, before, _fingerprint(session, old_version)),
                                Version(new, after, _fingerprint(session, new_version)),
                                folder=folder)
        if comparison.valid:
            # Both read through the history engine: compared on what changed.
            withdrawn = withdrawn_partners(folder, session)
            comparison.changes = (
                session.compare(old_version, new_version, withdrawn=withdrawn)
                if old_version and new_version
                else changes_mod.compare(before.network, after.network, withdrawn=withdrawn))
        # The network's own templates are part of the document partners receive (read
        # through the session's repository: one handle per command).
        comparison.wording = history.template_changes(folder, old_rev, new, loc=session.loc)
    return comparison


def withdrawn_partners(folder: Path, session: Session | None = None) -> set[str]:
    """Partners whose notice of withdrawal from the current MoU the ledger records
    (`session`: the command's repository, its releases listed once)."""
    from mouctl.errors import MouError
    from mouctl.ledger import signatures

    try:
        latest = session.last_release() if session else history.last_release(folder)
        return set(signatures.read(folder).withdrawn(latest.mou if latest else 1))
    except MouError:
        return set()  # an unreadable ledger is `status`'s to report; diff still compares


def _load(session: Session, rev: str | None, today: dt.date | None):
    """The network at `rev` (None: the working tree) and its engine version, if any.

    Committed versions are read from parts parsed once and cached in the git folder
    (shared with `log`), so a second `diff` of two releases parses no YAML. Invalid
    data is read in full, which locates every problem.
    """
    if rev is None:
        return session.working_tree(today=today)
    version = session.version(rev)
    if version is not None and version.valid:
        return Loaded(version.network), version
    return history.network_in(session.loc, rev, today=today), None


def _fingerprint(session: Session, version) -> str | None:
    """The engine's fingerprint of a valid version (cached by its files), else None."""
    return session.fingerprint(version) if version is not None and version.valid else None


def version_label(folder: Path | None, version: Version) -> str:
    """What a document made from `version` calls it (as `mouctl render` does)."""
    if folder is None:
        return version.label
    return history.version_label(folder, version.rev)
