"""Which version of the MoU a mobility rests on, read from the releases and the ledger.

A mobility stays inside the MoU *in force at its start*: the newest release that
all its partners had signed by the start date. A mobility that starts in the future
rests on the newest release that both of its organisations are bound by (have
signed), since the partners may still be signing a later one. A network without
releases (not in git, or never released) is checked against its working-tree data,
with a warning: its learning agreements then rest on a draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from mouctl.errors import GitError, GitRefused
from mouctl.mobility.model import Mobility
from mouctl.model.network import Network
from mouctl.source.diagnostics import Finding

DRAFT = "draft"


@dataclass
class Mou:
    """The version of the MoU that a mobility rests on."""

    label: str  # the release tag (`mou-v1.0`), or DRAFT for the working-tree data
    network: Network
    fingerprint: str
    signed: dict[str, dt.date] = field(default_factory=dict)  # partner -> signed on
    version: str | None = None  # the release's version; None for a draft

    @property
    def name(self) -> str:
        """How messages name it: `mou-v1.0`, or `the MoU draft`."""
        return self.label if self.released else "the MoU draft"

    @property
    def released(self) -> bool:
        return self.version is not None

    def bound(self, partner: str) -> bool:
        """True when `partner` is bound by this version (a draft binds nobody yet)."""
        return not self.released or partner in self.signed


class Frameworks:
    """The MoU's releases and signatures, read once for every mobility of a network."""

    def __init__(self, folder: Path, *, today: dt.date) -> None:
        self.folder, self.today = folder, today
        self._networks: dict[str, Network | None] = {}  # release tag -> its network
        self._bound: dict | None = None  # release tag -> binding.Bond per partner
        self._draft: Mou | None | bool = False  # False: not read yet
        self.releases: list = []
        self.ledger = None
        self.session = None  # the repository, opened once; each release read once
        try:
            from mouctl.history.session import Session

            self.session = Session(folder)
            self.releases = self.session.releases()
        except GitRefused:
            raise  # in git, but unreadable: never checked as if nothing were released
        except GitError:
            self.releases = []  # not in git: only the working-tree draft exists
        self._partners: dict[str, tuple[str, ...] | None] | None = None
        if self.releases:
            from mouctl.ledger import signatures

            try:
                self.ledger = signatures.read(folder)
                self._require_explained()
            except BaseException:
                self.close()
                raise

    def __enter__(self) -> Frameworks:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Store what was read for the first time in the cache; end git."""
        if self.session is not None:
            self.session.close()
            self.session = None

    def _partner_ids(self) -> dict[str, tuple[str, ...] | None]:
        """{release tag: its partners' ids, None when its data is invalid}, from the
        cache by tag object (no release's network is put together for it)."""
        if self._partners is None:
            found = self.session.release_data(self.releases)
            self._partners = {tag: d.partners if d.valid else None
                              for tag, d in found.items()}
        return self._partners

    def _require_explained(self) -> None:
        """A mobility rests on who signed when: a ledger with hand edits it cannot
        explain (ledger/audit.py) is refused, as `sign` refuses it."""
        from mouctl.ledger import audit, signatures

        loc = self.session.loc
        partners = self._partner_ids()
        checked = audit.audit(self.ledger, self.releases, partners,
                              name=str(self.ledger.path), git_dir=loc.git_dir,
                              path=f"{loc.prefix}{signatures.LEDGER}")
        if checked.problems:
            raise signatures.InvalidLedger(checked.problems, str(self.ledger.path),
                                           edited=True)

    def draft(self) -> Mou | None:
        """The working-tree network as a draft MoU, or None when it has errors."""
        if self._draft is False:
            from mouctl.source import loader as source

            loaded = source.load(self.folder, today=self.today)
            network = loaded.network if not loaded.errors else None
            self._draft = None if network is None else Mou(DRAFT, network,
                                                          network.fingerprint())
        return self._draft  # type: ignore[return-value]

    def _network(self, release) -> Network | None:
        if release.tag not in self._networks:
            loaded = self.session.loaded(release.commit, today=self.today)
            self._networks[release.tag] = loaded.network if not loaded.errors else None
        return self._networks[release.tag]

    def _mou(self, release) -> Mou | None:
        network = self._network(release)
        if network is None:
            return None
        # Bound by its own signature, or (adhesion, administrative release) by an
        # earlier one: see ledger/binding.py.
        signed = {b.partner: b.since for b in self._bonds().get(release.tag, [])
                  if b.since is not None}
        return Mou(release.tag, network, release.data_fingerprint or network.fingerprint(),
                   signed, release.version)

    def _bonds(self) -> dict:
        if self._bound is None:
            from mouctl.ledger import binding, signatures

            partners = {tag: list(ids) if ids is not None else None
                        for tag, ids in self._partner_ids().items()}
            lives = binding.lives(self.releases, partners, self.ledger or signatures.Ledger(
                self.folder / signatures.LEDGER))
            self._bound = {tag: bonds for life in lives for tag, bonds in life.bonds.items()}
        return self._bound

    def resolve(self, m: Mobility) -> tuple[Mou | None, list[Finding]]:
        """The MoU version `m` rests on, or None with the findings that say why."""
        if not self.releases:
            draft = self.draft()
            if draft is None:
                return None, [Finding(
                    "error", "mou-invalid", (), "the network data has errors, so the "
                    "mobility cannot be checked against it",
                    "run `mouctl validate` and fix the network first")]
            return draft, [Finding(
                "warning", "mou-not-released", (),
                "the MoU has no release yet: the mobility is checked against the "
                "working-tree data, a draft nobody has signed",
                "release the MoU and record the signatures (`mouctl release`, `mouctl sign`) "
                "before learning agreements are signed")]
        if m.start <= self.today:
            for release in self.releases:
                mou = self._mou(release)
                if mou is not None and mou.network.partners and all(
                        mou.signed.get(p.id, dt.date.max) <= m.start
                        for p in mou.network.partners):
                    return mou, []
            return None, [Finding(
                "error", "no-mou-in-force", ("start",),
                f"no release of the MoU was in force on {m.start} (signed by all its "
                "partners by that day)",
                "a mobility rests on a signed MoU; `mouctl status` shows who has not signed")]
        for release in self.releases:
            mou = self._mou(release)
            if mou is not None and m.sending in mou.signed and m.receiving in mou.signed:
                return mou, []
        return None, [Finding(
            "error", "not-bound", ("start",),
            f"no release of the MoU is signed by both '{m.sending}' and '{m.receiving}'",
            "both organisations must sign the MoU before the mobility; `mouctl status` "
            "shows who has signed")]
