"""`mouctl withdraw`: a partner leaves by notice, as the MoU provides.

The notice is recorded in the ledger (`signatures.yaml`) and committed, like a
signature. The MoU continues for the other partners without re-signing; the
partner leaves on the notice's date plus the MoU's notice period, and must be
taken out of the network data before the next release (which then needs no
signatures for it). Without a withdrawal clause in the MoU, nobody can withdraw
this way: removing a partner is then an amendment that every partner re-signs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from mouctl.errors import GitError, MouError, UsageError
from mouctl.history import repo as gitrepo
from mouctl.history import revisions as history
from mouctl.history.session import Session
from mouctl.ledger import signatures


@dataclass
class Withdrawn:
    """The outcome of `withdraw`: the entry, the release it leaves, the commit, warnings."""

    entry: signatures.Withdrawal
    release: history.Release
    commit: str
    warnings: list[str] = field(default_factory=list)


def withdraw(folder: Path, partner: str, *, date: str, note: str | None,
             today: dt.date) -> Withdrawn:
    """Record and commit `partner`'s notice of withdrawal from the current MoU."""
    notice = signatures._date(date)
    with Session(folder) as session:  # one repository handle; the release read once
        return _withdraw(session, folder, partner, notice, note, today)


def _withdraw(session: Session, folder: Path, partner: str, notice: dt.date,
              note: str | None, today: dt.date) -> Withdrawn:
    loc = session.loc
    gitrepo.require_branch(loc.repo, "the withdrawal commit")
    release = session.last_release()
    if release is None:
        raise GitError("there is no release yet, so nobody is bound to withdraw from",
                       "remove the partner from the draft instead")
    data = session.loaded(release.commit, today=today)
    if data.network is None:
        raise MouError(f"the data of release {release.tag} is invalid",
                       "release a valid version")
    clause = data.network.withdrawal
    if clause is None:
        raise MouError(f"the MoU ({release.tag}) does not provide for withdrawal, so "
                       f"{partner} cannot withdraw by notice; nothing was changed",
                       "remove the partner from the network data and release an amendment "
                       "that every remaining partner signs (or agree a `withdrawal:` clause "
                       "first)")
    if data.network.partner(partner) is None:
        known = ", ".join(p.id for p in data.network.partners)
        raise UsageError(f"'{partner}' is not a partner in release {release.tag}",
                         f"partners: {known}")
    effective = notice + dt.timedelta(days=clause.notice_days or 0)
    entry = signatures.Withdrawal(withdrawal=partner, release=release.version,
                                  mou=release.mou if release.mou > 1 else None,
                                  notice=notice, effective=effective, note=note or None)
    warnings = []
    if notice > today:
        warnings.append(f"the date {notice} is after today ({today})")

    def refuse_second(ledger: signatures.Ledger, name: str) -> None:
        earlier = ledger.withdrawn(release.mou).get(partner)
        if earlier is not None:
            line = ledger.withdrawal_lines[ledger.withdrawals.index(earlier)]
            raise MouError(f"{partner} gave notice of withdrawal already, on "
                           f"{earlier.notice} ({name}:{line})",
                           "a notice is recorded once; nothing was changed")

    message = (f"Record {partner}'s withdrawal from {release.tag}\n\n"
               f"Notice of {notice.isoformat()}; leaves the MoU on {effective.isoformat()}.\n")
    with signatures.locked(loc):
        commit = signatures.record_entry(loc, folder, entry, message, refuse_second,
                                         f"{partner}'s notice of withdrawal")
    return Withdrawn(entry, release, commit, warnings)
