"""Who is bound to which release, since when: the MoU's parties over its life.

A partner is bound to a release by its own signature of it, or, when the release
does not ask for its signature (an adhesion asks only the adherents; an
administrative change or a withdrawal by notice asks nobody), by being bound to
the release before it. A release is in force once every partner it lists is
bound to it, except organisations still to sign their adhesion (they are bound
from their own signature) and partners that gave notice of withdrawal.

Successive MoUs (`mou-v*`, then `mou2-v*` for the new MoU that replaced the
first, ...) each have their own chain. Pure: releases, networks and the ledger in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from mouctl.history.tags import version_key
from mouctl.ledger.signatures import Ledger, Signature, Withdrawal


@dataclass
class Bond:
    """One partner's tie to a release of its MoU."""

    partner: str
    signature: Signature | None = None  # what binds it: of this or of an earlier release
    adherent: bool = False  # it joins by adhesion in this release
    withdrawal: Withdrawal | None = None

    @property
    def bound(self) -> bool:
        return self.signature is not None

    @property
    def since(self) -> dt.date | None:
        return self.signature.date if self.signature else None


@dataclass
class Life:
    """One MoU (the first, or a new one that replaced it) and its releases."""

    mou: int
    releases: list = field(default_factory=list)  # history.Release, oldest first
    bonds: dict[str, list[Bond]] = field(default_factory=dict)  # tag -> one per partner
    in_force: object | None = None  # the newest release in force
    doubtful: list[str] = field(default_factory=list)  # tags bound by all, but in doubt
    superseded_by: object | None = None  # the first release of the MoU that replaced it

    @property
    def latest(self):
        return self.releases[-1] if self.releases else None


def lives(found: list, partners: dict, ledger: Ledger,
          in_doubt: Callable[[object], bool] = lambda release: False) -> list[Life]:
    """Every MoU's chain of releases with its bonds, the newest MoU first.

    `found` are the releases newest first (as `history.releases` lists them);
    `partners` maps a release tag to its partners' ids (None where unreadable);
    `in_doubt(release)`: a problem (a moved tag, a hand-edited entry) puts the release
    in doubt, so it is never in force on the strength of its entries.
    """
    by_mou: dict[int, list] = {}
    for release in reversed(found):
        by_mou.setdefault(release.mou, []).append(release)
    out = [_life(mou, chain, partners, ledger, in_doubt)
           for mou, chain in sorted(by_mou.items())]
    for older, newer in zip(out, out[1:], strict=False):
        if newer.in_force is not None:
            older.superseded_by = newer.releases[0]
    return list(reversed(out))


def _life(mou: int, chain: list, partners: dict, ledger: Ledger,
          in_doubt: Callable[[object], bool]) -> Life:
    life = Life(mou, chain)
    withdrawn = ledger.withdrawn(mou)
    previous: dict[str, Bond] = {}
    for release in chain:
        ids = partners.get(release.tag)
        if ids is None:
            continue
        signers = release.signers  # None: every partner signs
        bonds = []
        for partner in ids:
            bond = Bond(partner, adherent=bool(signers) and partner in signers,
                        withdrawal=withdrawn.get(partner))
            index = ledger.find(partner, release.version, mou)
            if signers is not None and partner not in signers and partner in previous:
                # Not asked to sign: still bound by its earlier signature ("throughout"),
                # even if it chose to sign this release as well.
                bond.signature = previous[partner].signature
            elif index is not None:
                bond.signature = ledger.signatures[index]
            bonds.append(bond)
        life.bonds[release.tag] = bonds
        previous = {b.partner: b for b in bonds if b.bound}
        if all(b.bound or b.adherent or b.withdrawal for b in bonds):
            if in_doubt(release):
                life.doubtful.append(release.tag)
            else:
                life.in_force = release
    return life


def releases_to_read(found: list, ledger: Ledger) -> list:
    """The releases (of `found`, newest first) whose data can change who is bound.

    A bond carries from one release to the next only when the next does not ask
    every partner to sign (`signers` is set: an administrative change, an adhesion),
    so an MoU's releases fall into runs: a release every partner signs, then those
    that carry its bonds. A run none of whose releases the ledger names binds nobody:
    its data (and whether its tag still matches it) answers nothing, and is not read.
    Read are the runs the ledger names, the run of each MoU's newest release (what is
    signed now), and every release of an MoU that partners withdrew from (a
    withdrawal counts in every release). Reading every release made `status` of a
    long history parse all of them.
    """
    withdrew = {w.mou or 1 for w in ledger.withdrawals}
    named = {(s.mou or 1, version_key(s.release)) for s in ledger.signatures}
    chains: dict[int, list] = {}
    for release in reversed(found):  # oldest first
        chains.setdefault(release.mou, []).append(release)
    read: set[str] = set()
    for mou, chain in chains.items():
        runs: list[list] = []
        for release in chain:
            if release.signers is None or not runs:
                runs.append([])
            runs[-1].append(release)
        for run in runs:
            if mou in withdrew or run is runs[-1] or any(
                    (mou, version_key(r.version)) in named for r in run):
                read.update(r.tag for r in run)
    return [r for r in found if r.tag in read]


def must_still_sign(bonds: list[Bond]) -> list[str]:
    """Partners whose signature of the release is still missing (withdrawn ones aside)."""
    return [b.partner for b in bonds if not b.bound and b.withdrawal is None]
