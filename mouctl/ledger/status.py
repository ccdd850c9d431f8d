"""`mouctl status`: which release is in force, who signed, who must (re-)sign.

Reads the releases (tags), the signature ledger and the working tree, and checks
that every signature still matches the data it was given for: a release whose
tag now points at other data, or a signature bound to another fingerprint, is
a *problem* reported loudly, because a signed version must never change.

Only the releases that can bind somebody are read (`binding.releases_to_read`): the
newest one, and every release of an MoU the ledger has entries for. A release's
data fingerprint is computed only when something is compared with it (its tag's
record, a signature); both are kept in the cache under the tag object's id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from mouctl.history import revisions as history
from mouctl.history import tags as release_notes
from mouctl.history.session import ReleaseData, Session
from mouctl.ledger import binding, signatures
from mouctl.model import lifecycle
from mouctl.text import plural


@dataclass
class PartnerState:
    """One partner of the latest release and its signature of it, if any."""

    id: str
    signatory: str | None
    signed: signatures.Signature | None = None
    earlier: signatures.Signature | None = None  # its latest signature of an older release
    bond: binding.Bond | None = None  # what binds it to the release, if anything


@dataclass
class Report:
    release: history.Release | None = None
    in_force: history.Release | None = None  # newest release signed by all its partners
    doubtful: list[str] = field(default_factory=list)  # signed by all, but with a problem
    partners: list[PartnerState] = field(default_factory=list)
    changes: list = field(default_factory=list)  # since the latest release (working tree)
    current_errors: int = 0  # errors in the working tree data
    must_sign: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lives: list[binding.Life] = field(default_factory=list)  # the newest MoU first
    validity: lifecycle.Validity | None = None  # of the release in force
    withdrawals: list[signatures.Withdrawal] = field(default_factory=list)
    today: dt.date | None = None
    notes: list[str] = field(default_factory=list)  # worth knowing, never a problem

    @property
    def unsigned(self) -> list[str]:
        return [p.id for p in self.partners if p.bond is not None and not p.bond.bound
                and p.bond.withdrawal is None]

    @property
    def substantive(self) -> list:
        return [c for c in self.changes if c.substantive]

    @property
    def expired(self) -> bool:
        return self.validity is not None and self.validity.state == "expired"

    @property
    def outstanding(self) -> bool:
        """Signatures missing (latest release, unreleased changes) or the MoU expired."""
        return (self.release is None or bool(self.unsigned) or bool(self.substantive)
                or self.expired)

    def as_dict(self) -> dict:
        from mouctl.changes import compare as changes

        def release(r):
            return None if r is None else {
                "version": r.version, "tag": r.tag, "commit": r.commit,
                "date": r.date.isoformat() if r.date else None, "reason": r.reason,
                "data_fingerprint": r.data_fingerprint,
                "document_fingerprint": r.document_fingerprint}

        return {
            "release": release(self.release), "in_force": release(self.in_force),
            "in_doubt": self.doubtful,
            "partners": [{"id": p.id, "signed": p.signed.model_dump(mode="json")
                          if p.signed else None} for p in self.partners],
            "unsigned": self.unsigned,
            "changes_since_release": changes.to_json(self.changes),
            "current_data_errors": self.current_errors,
            "must_sign": self.must_sign, "problems": self.problems, "notes": self.notes,
            "outstanding": self.outstanding,
            "validity": None if self.validity is None else {
                "state": self.validity.state,
                "from": self.validity.start.isoformat() if self.validity.start else None,
                "until": self.validity.end.isoformat() if self.validity.end else None,
                "days_left": self.validity.days_left},
            "bound": [{"id": p.id, "bound": p.bond.bound,
                       "since": p.bond.since.isoformat() if p.bond.since else None,
                       "by_signature_of": p.bond.signature.tag if p.bond.signature else None,
                       "adherent": p.bond.adherent,
                       "withdrawal": p.bond.withdrawal.model_dump(mode="json")
                       if p.bond.withdrawal else None}
                      for p in self.partners if p.bond is not None],
            "mous": [{"mou": life.mou, "releases": [r.tag for r in life.releases],
                      "in_force": release(life.in_force),
                      "superseded_by": life.superseded_by.tag if life.superseded_by
                      else None} for life in self.lives],
        }


def build(folder: Path, *, today: dt.date, session: Session | None = None) -> Report:
    """The status of the network in `folder`."""
    from mouctl.changes import compare as changes

    if session is None:
        with Session(folder) as own:
            return build(folder, today=today, session=own)
    found = session.releases()
    ledger = signatures.read(folder)
    report = Report(release=found[0] if found else None, today=today)
    report.notes += history.not_releases(session.loc)
    current, current_version = session.working_tree(today=today)
    report.current_errors = len(current.errors)
    if report.release is None:
        return report
    # Each release's data read once (or cached by tag object), and only where it
    # can change the answer.
    data = session.release_data(binding.releases_to_read(found, ledger))
    unsound = {release.tag for release in found if release.tag in data
               and not _check_release(session, release, data[release.tag], report)}
    unbound = _check_signatures(session, ledger, found, data, report)
    in_doubt = _audit(session, ledger, found, data, report)

    def doubtful(release) -> bool:
        entries = {i for i, s in enumerate(ledger.signatures)
                   if (s.mou or 1) == release.mou and release_notes.version_key(
                       s.release) == release_notes.version_key(release.version)}
        return release.tag in unsound or bool(entries & unbound) or (
            release.mou, release_notes.version_key(release.version)) in in_doubt

    report.lives = binding.lives(
        found, {tag: d.partners if d.valid else None for tag, d in data.items()}, ledger,
        doubtful)
    life = report.lives[0]
    report.doubtful = [tag for x in report.lives for tag in x.doubtful]
    withdrawn = ledger.withdrawn(life.mou)
    report.withdrawals = list(withdrawn.values())
    if data[report.release.tag].valid:
        latest = session.version(report.release.commit)
        # A moved tag's data is not the released data: no word on how it is printed.
        note = None if report.release.tag in unsound else wording_note(
            folder, report.release, latest.network, loc=session.loc, session=session,
            version=latest)
        if note:
            report.notes.append(note)
        report.partners = _partner_states(latest.network, report.release, ledger,
                                          life.bonds.get(report.release.tag, []))
        if current.network is not None and not current.errors:
            report.changes = (
                session.compare(latest, current_version, withdrawn=withdrawn)
                if current_version
                else changes.compare(latest.network, current.network, withdrawn=withdrawn))
            report.changes += history.annex_text_changes(
                session.loc, report.release.commit, None, latest.network, current.network)
            report.must_sign = changes.must_sign(report.changes, current.network)
    # Until a new MoU is in force, the one it replaces still is.
    report.in_force = next((x.in_force for x in report.lives if x.in_force), None)
    if report.in_force is not None and data[report.in_force.tag].valid:
        in_force = session.version(report.in_force.commit)
        report.validity = lifecycle.validity(in_force.network, today)
    return report


def _audit(session: Session, ledger: signatures.Ledger, found: list[history.Release],
           data: dict[str, ReleaseData], report: Report) -> set:
    """Hand edits of the ledger, located (ledger/audit.py), as problems and notes; the
    version keys of the releases whose signatures they put in doubt."""
    from mouctl.ledger import audit

    checked = audit.audit(ledger, found, {tag: d.partners if d.valid else None
                                          for tag, d in data.items()},
                          name=str(ledger.path), git_dir=Path(session.loc.repo.git_dir),
                          path=f"{session.loc.prefix}{signatures.LEDGER}")
    report.problems += [f"{d.headline()} (hint: {d.hint})" for d in checked.problems]
    report.notes += checked.notes
    return checked.in_doubt


def wording_note(folder: Path, release: history.Release, network, *,
                 loc=None, fingerprint: str | None = None, session: Session | None = None,
                 version=None) -> str | None:
    """In words, when this mouctl renders `release` differently from the document that
    was released: the data is the same, the wording is not. None when they agree (or
    when the release recorded no document fingerprint). With the `session` that read
    the release's data (`version`), the rendering is remembered (ledger/printed.py)."""
    from mouctl.ledger import release as releases

    if not release.document_fingerprint:
        return None
    changed = history.template_changes(folder, release.commit, None, loc=loc)
    if changed:
        return (f"{release.tag} would be printed with the network's templates as they are "
                f"now ({', '.join(changed)} changed since the release), not as released; "
                "the signed document is the one released")
    template = releases.network_templates(folder)
    if session is not None and version is not None:
        from mouctl.ledger import printed

        # `version` is the release's data read by the session: rendered once per renderer.
        now = printed.document_fingerprint(session, version, release.tag, template)
    else:
        now = releases.document_fingerprint(network, release.tag, fingerprint=fingerprint,
                                            template=template)
    if now == release.document_fingerprint:
        return None
    return (f"this mouctl words the default template differently from the mouctl that "
            f"released {release.tag}: rendered now, its document differs from the one "
            f"released (document fingerprint {release.document_fingerprint} then, {now} now). "
            "The agreement's data is unchanged and nothing was tampered with; the signed "
            "document is the one released")


def _check_release(session: Session, release: history.Release, data: ReleaseData,
                   report: Report) -> bool:
    """Check the release's data against the fingerprint its tag records (False: a
    problem was reported). A tag that records none (made by hand) is not digested."""
    if data.problem:
        report.problems.append(f"release {release.tag} cannot be read: {data.problem}")
        return False
    if not data.valid:
        report.problems.append(f"the data of release {release.tag} is invalid")
        return False
    if not release.data_fingerprint:
        return True
    now = session.release_fingerprint(release)
    if release.data_fingerprint != now:
        report.problems.append(
            f"release {release.tag} no longer matches what was released: the tag records "
            f"data {release.data_fingerprint} but points at data {now} (the tag was moved "
            "or re-created); signatures of it are not valid for this data")
        return False
    return True


def _check_signatures(session: Session, ledger: signatures.Ledger,
                      found: list[history.Release], data: dict[str, ReleaseData],
                      report: Report) -> set[int]:
    """Entries bound to other data than their release's (their indexes); a release
    that does not exist is a hand edit, reported by the audit."""
    by_version = {(r.mou, release_notes.version_key(r.version)): r for r in found}
    unbound = set()
    for i, (sig, line) in enumerate(zip(ledger.signatures, ledger.lines, strict=True)):
        release = by_version.get((sig.mou or 1, release_notes.version_key(sig.release)))
        if release is None:
            continue
        released = data[release.tag]
        expected = release.data_fingerprint or (session.release_fingerprint(release)
                                                if released.valid else None)
        if expected and sig.fingerprint != expected:
            unbound.add(i)
            report.problems.append(
                f"{ledger.path}:{line}: {sig.partner} signed {release.tag} with data "
                f"{sig.fingerprint}, but {release.tag} records data {expected}: the signed "
                "version changed")
    return unbound


def _partner_states(network, release: history.Release, ledger: signatures.Ledger,
                    bonds: list[binding.Bond]) -> list[PartnerState]:
    out = []
    key = release_notes.version_key(release.version)
    bond_of = {b.partner: b for b in bonds}
    for partner in network.partners:
        state = PartnerState(partner.id, partner.signatory.name if partner.signatory else None)
        index = ledger.find(partner.id, release.version, release.mou)
        state.signed = ledger.signatures[index] if index is not None else None
        state.bond = bond_of.get(partner.id, binding.Bond(partner.id))
        older = [s for s in ledger.signatures if s.partner == partner.id
                 and (s.mou or 1) == release.mou
                 and release_notes.version_key(s.release) < key]
        if older:
            state.earlier = max(older, key=lambda s: release_notes.version_key(s.release))
        out.append(state)
    return out


def lines(report: Report) -> list[tuple[str, str | None]]:
    """The text report as (line, style) pairs; console prints them."""
    out: list[tuple[str, str | None]] = []
    for problem in report.problems:
        out.append((f"PROBLEM: {problem}", "bold red"))
    if report.problems:
        out.append(("", None))
    for note in report.notes:
        out.append((f"Note: {note}.", "yellow"))
    r = report.release
    if r is None:
        out.append(("No release yet: the MoU has not been released for signing.", None))
        out.append(('  next: mouctl release 1.0 -m "First version for signature"', None))
        return out
    out += _in_force(report)
    for life in report.lives[1:]:
        replaced = (f"replaced by {life.superseded_by.tag}" if life.superseded_by
                    else "being replaced by a new MoU")
        out.append((f"Earlier MoU: {', '.join(x.tag for x in life.releases)} ({replaced})",
                    None))
    date = r.date.date().isoformat() if r.date else "no date"
    out.append((f"Latest release: {r.tag} ({date}, commit {r.short}): {r.reason}", None))
    if r.supersedes:
        out.append((f"  a new MoU: it replaces the MoU released as {r.supersedes}", None))
    if r.data_fingerprint:
        out.append((f"  data fingerprint {r.data_fingerprint}, document "
                    f"{r.document_fingerprint or '-'}", None))
    if r.signers is None and not report.withdrawals:
        out += _signatures(report)
    else:
        out += _parties(report)
    out += _since(report)
    if report.unsigned:
        first = report.unsigned[0]
        # One that joins by adhesion signs its declaration of adhesion first.
        declare = (f"mouctl adhesion {first} -o adhesion-{first}.pdf, then "
                   if first in (r.signers or []) else "")
        out.append((f"  next: {declare}mouctl sign {first} --signatory NAME "
                    "--date YYYY-MM-DD --place PLACE", None))
    return out


def _in_force(report: Report) -> list[tuple[str, str | None]]:
    r, now, validity = report.release, report.in_force, report.validity
    if now is None and report.doubtful:
        return [(f"In force: cannot be said: {', '.join(report.doubtful)} has an entry for "
                 "every partner, but the PROBLEM above puts it in doubt", "bold red")]
    if now is None:
        return [("In force: no release is signed by all its partners yet", "yellow")]
    if validity is not None and validity.state == "expired":
        return [(f"Expired: {now.tag} was valid until {validity.end.isoformat()}; the MoU "
                 "is no longer in force", "bold red"),
                ("  next: agree a new MoU (mouctl release 1.0 --new-mou) or extend its "
                 "validity in an amendment that every partner signs", None)]
    bound = [p for p in report.partners if p.bond and p.bond.bound]
    if now.tag != r.tag:
        until = (f"MoU {now.mou}, until the new MoU {r.tag} is signed by all"
                 if now.mou != r.mou else f"until {r.tag} is signed by all")
        head = f"In force: {now.tag} ({until})"
    elif r.signers is None and not report.withdrawals:
        head = f"In force: {r.tag}, signed by all {len(report.partners)} partners"
    else:
        head = f"In force: {r.tag}, binding {len(bound)} partners"
    if validity is not None and validity.state == "not yet valid":
        return [(head.replace("In force:", "Signed:", 1), "yellow"),
                (f"  not yet valid: it takes effect on {validity.start.isoformat()}",
                 "yellow")]
    out = [(head, "green" if now.tag == r.tag else None)]
    if validity is not None:
        out.append((f"  {validity.describe()}", None))
        if validity.ending_soon:
            out.append((f"  WARNING: the MoU ends on {validity.end.isoformat()}, in "
                        f"{validity.days_left} days: plan its renewal with the partners",
                        "yellow"))
    return out


def _signatures(report: Report) -> list[tuple[str, str | None]]:
    r = report.release
    signed = len(report.partners) - len(report.unsigned)
    out = [(f"Signatures of {r.tag}: {signed} of {len(report.partners)} partners", None)]
    width = max((len(p.id) for p in report.partners), default=0)
    for p in report.partners:
        if p.signed:
            s = p.signed
            out.append((f"  signed      {p.id.ljust(width)}  {s.signatory}, {s.place}, "
                        f"{s.date.isoformat()}", "green"))
        else:
            earlier = (f"signed {p.earlier.tag} on {p.earlier.date.isoformat()}"
                       if p.earlier else "never signed")
            out.append((f"  NOT SIGNED  {p.id.ljust(width)}  ({earlier})", "yellow"))
    return out


def _parties(report: Report) -> list[tuple[str, str | None]]:
    """Who is bound to the latest release, since when and by which signature."""
    r = report.release
    joining = r.signers or []
    kind = (f"adhesion of {', '.join(joining)}" if joining
            else "no re-signing" if r.signers == [] else "")
    bound = [p for p in report.partners if p.bond and p.bond.bound]
    out = [(f"Parties of {r.tag}{f' ({kind})' if kind else ''}: {len(bound)} of "
            f"{len(report.partners)} bound", None)]
    width = max((len(p.id) for p in report.partners), default=0)
    for p in report.partners:
        bond = p.bond or binding.Bond(p.id)
        if bond.withdrawal is not None:
            out.append(_withdrawal_line(bond.withdrawal, width, report.today))
        elif bond.bound:
            s = bond.signature
            how = ("adhesion declaration" if bond.adherent else f"signed {s.tag}")
            out.append((f"  bound       {p.id.ljust(width)}  since {s.date.isoformat()} "
                        f"({how}: {s.signatory}, {s.place})", "green"))
        elif bond.adherent:
            out.append((f"  NOT BOUND   {p.id.ljust(width)}  (adhesion declaration to {r.tag} "
                        "not signed yet)", "yellow"))
        else:
            earlier = (f"signed {p.earlier.tag} on {p.earlier.date.isoformat()}"
                       if p.earlier else "never signed")
            out.append((f"  NOT SIGNED  {p.id.ljust(width)}  ({earlier})", "yellow"))
    listed = {p.id for p in report.partners}
    for w in report.withdrawals:
        if w.partner not in listed:
            out.append(_withdrawal_line(w, width, report.today))
    return out


def _withdrawal_line(w: signatures.Withdrawal, width: int, today: dt.date | None
                     ) -> tuple[str, str | None]:
    if today is not None and w.effective > today:
        return (f"  leaving     {w.partner.ljust(width)}  notice of {w.notice.isoformat()}; "
                f"bound until it leaves on {w.effective.isoformat()}", None)
    return (f"  withdrew    {w.partner.ljust(width)}  notice of {w.notice.isoformat()}; "
            f"left on {w.effective.isoformat()}", None)


def _since(report: Report) -> list[tuple[str, str | None]]:
    from mouctl.changes import compare as changes
    from mouctl.changes import lifecycle as joining

    r = report.release
    out: list[tuple[str, str | None]] = [(f"Since {r.tag}:", None)]
    if report.current_errors:
        out.append((f"  the current data has {plural(report.current_errors, 'error')}; run "
                    "`mouctl validate`", "red"))
    elif not report.changes:
        out.append(("  no change to the agreement", None))
    elif report.substantive:
        out.append((f"  {plural(len(report.changes), 'change')}, {len(report.substantive)} "
                    f"substantive ({changes.summarise(report.changes)})", "yellow"))
        if joining.is_adhesion(report.changes):
            out.append((f"  needs a new release and an adhesion declaration signed by "
                        f"{', '.join(report.must_sign)}; nobody else re-signs", "yellow"))
        else:
            out.append((f"  needs a new release and re-signing by all "
                        f"{len(report.must_sign)} partners: {', '.join(report.must_sign)}",
                        "yellow"))
    else:
        out.append((f"  {plural(len(report.changes), 'administrative change')} "
                    f"({changes.summarise(report.changes)}): no re-signing needed", None))
    return out
