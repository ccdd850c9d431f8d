"""`mouctl status`: which release is in force, who signed, who must (re-)sign.

Reads the releases (tags), the signature ledger and the working tree, and checks
that every signature still matches the data it was given for: a release whose
tag now points at other data, or a signature bound to another fingerprint, is
a *problem* reported loudly, because a signed version must never change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from mouctl.history import revisions as history
from mouctl.history import tags as release_notes
from mouctl.history.session import ReleaseData, Session
from mouctl.ledger import signatures
from mouctl.text import plural


@dataclass
class PartnerState:
    """One partner of the latest release and its signature of it, if any."""

    id: str
    signatory: str | None
    signed: signatures.Signature | None = None
    earlier: signatures.Signature | None = None  # its latest signature of an older release


@dataclass
class Report:
    release: history.Release | None = None
    in_force: history.Release | None = None  # newest release signed by all its partners
    partners: list[PartnerState] = field(default_factory=list)
    changes: list = field(default_factory=list)  # since the latest release (working tree)
    current_errors: int = 0  # errors in the working tree data
    must_sign: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth knowing, never a problem

    @property
    def unsigned(self) -> list[str]:
        return [p.id for p in self.partners if p.signed is None]

    @property
    def substantive(self) -> list:
        return [c for c in self.changes if c.substantive]

    @property
    def outstanding(self) -> bool:
        """Signatures are missing: of the latest release, or for unreleased changes."""
        return self.release is None or bool(self.unsigned) or bool(self.substantive)

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
            "partners": [{"id": p.id, "signed": p.signed.model_dump(mode="json")
                          if p.signed else None} for p in self.partners],
            "unsigned": self.unsigned,
            "changes_since_release": changes.to_json(self.changes),
            "current_data_errors": self.current_errors,
            "must_sign": self.must_sign, "problems": self.problems, "notes": self.notes,
            "outstanding": self.outstanding,
        }


def build(folder: Path, *, today: dt.date, session: Session | None = None) -> Report:
    """The status of the network in `folder`."""
    from mouctl.changes import compare as changes

    if session is None:
        with Session(folder) as own:
            return build(folder, today=today, session=own)
    found = session.releases()
    ledger = signatures.read(folder)
    report = Report(release=found[0] if found else None)
    current, current_version = session.working_tree(today=today)
    report.current_errors = len(current.errors)
    if report.release is None:
        return report
    data = session.release_data(found)  # each release's data read once (or cached)
    for release in found:
        _check_release(release, data[release.tag], report)
    _check_signatures(ledger, found, data, report)
    if data[report.release.tag].valid:
        latest = session.version(report.release.commit)
        note = wording_note(folder, report.release, latest.network, loc=session.loc)
        if note:
            report.notes.append(note)
        report.partners = _partner_states(latest.network, report.release, ledger)
        if current.network is not None and not current.errors:
            report.changes = (session.compare(latest, current_version) if current_version
                              else changes.compare(latest.network, current.network))
            report.must_sign = changes.must_sign(report.changes, current.network)
    for release in found:
        released = data[release.tag]
        if released.valid and all(ledger.find(p, release.version) is not None
                                  for p in released.partners):
            report.in_force = release
            break
    return report


def wording_note(folder: Path, release: history.Release, network, *,
                 loc=None) -> str | None:
    """In words, when this mouctl renders `release` differently from the document that
    was released: the data is the same, the wording is not. None when they agree (or
    when the release recorded no document fingerprint)."""
    from mouctl.ledger import release as releases

    if not release.document_fingerprint:
        return None
    changed = history.template_changes(folder, release.commit, None, loc=loc)
    if changed:
        return (f"{release.tag} would be printed with the network's templates as they are "
                f"now ({', '.join(changed)} changed since the release), not as released; "
                "the signed document is the one released")
    now = releases.document_fingerprint(network, release.tag,
                                        template=releases.network_templates(folder))
    if now == release.document_fingerprint:
        return None
    return (f"this mouctl words the default template differently from the mouctl that "
            f"released {release.tag}: rendered now, its document differs from the one "
            f"released (document fingerprint {release.document_fingerprint} then, {now} now). "
            "The agreement's data is unchanged and nothing was tampered with; the signed "
            "document is the one released")


def _check_release(release: history.Release, data: ReleaseData, report: Report) -> None:
    """Check the release's data against the fingerprint its tag records."""
    if data.problem:
        report.problems.append(f"release {release.tag} cannot be read: {data.problem}")
        return
    if not data.valid:
        report.problems.append(f"the data of release {release.tag} is invalid")
        return
    now = data.fingerprint
    if release.data_fingerprint and release.data_fingerprint != now:
        report.problems.append(
            f"release {release.tag} no longer matches what was released: the tag records "
            f"data {release.data_fingerprint} but points at data {now} (the tag was moved "
            "or re-created); signatures of it are not valid for this data")


def _check_signatures(ledger: signatures.Ledger, found: list[history.Release],
                      data: dict[str, ReleaseData], report: Report) -> None:
    by_version = {release_notes.version_key(r.version): r for r in found}
    for sig, line in zip(ledger.signatures, ledger.lines, strict=True):
        release = by_version.get(release_notes.version_key(sig.release))
        where = f"{signatures.LEDGER}:{line}"
        if release is None:
            report.problems.append(f"{where}: {sig.partner} signed release {sig.release}, "
                                   "which does not exist (its tag was deleted?)")
            continue
        released = data[release.tag]
        expected = release.data_fingerprint or (released.fingerprint if released.valid
                                                else None)
        if expected and sig.fingerprint != expected:
            report.problems.append(
                f"{where}: {sig.partner} signed {release.tag} with data {sig.fingerprint}, "
                f"but {release.tag} records data {expected}: the signed version changed")


def _partner_states(network, release: history.Release, ledger: signatures.Ledger
                    ) -> list[PartnerState]:
    out = []
    key = release_notes.version_key(release.version)
    for partner in network.partners:
        state = PartnerState(partner.id, partner.signatory.name if partner.signatory else None)
        index = ledger.find(partner.id, release.version)
        state.signed = ledger.signatures[index] if index is not None else None
        older = [s for s in ledger.signatures if s.partner == partner.id
                 and release_notes.version_key(s.release) < key]
        if older:
            state.earlier = max(older, key=lambda s: release_notes.version_key(s.release))
        out.append(state)
    return out


def lines(report: Report) -> list[tuple[str, str | None]]:
    """The text report as (line, style) pairs; console prints them."""
    from mouctl.changes import compare as changes

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
    if report.in_force is None:
        out.append(("In force: no release is signed by all its partners yet", "yellow"))
    elif report.in_force.version == r.version:
        out.append((f"In force: {r.tag}, signed by all {len(report.partners)} partners",
                    "green"))
    else:
        out.append((f"In force: {report.in_force.tag} (until {r.tag} is signed by all)",
                    None))
    date = r.date.date().isoformat() if r.date else "no date"
    out.append((f"Latest release: {r.tag} ({date}, commit {r.short}): {r.reason}", None))
    if r.data_fingerprint:
        out.append((f"  data fingerprint {r.data_fingerprint}, document "
                    f"{r.document_fingerprint or '-'}", None))
    signed = len(report.partners) - len(report.unsigned)
    out.append((f"Signatures of {r.tag}: {signed} of {len(report.partners)} partners", None))
    width = max((len(p.id) for p in report.partners), default=0)
    for p in report.partners:
        if p.signed:
            s = p.signed
            out.append((f"  signed      {p.id.ljust(width)}  {s.signatory}, {s.place}, "
                        f"{s.date.isoformat()}", "green"))
        else:
            earlier = (f"signed {release_notes.tag_name(p.earlier.release)} on "
                       f"{p.earlier.date.isoformat()}" if p.earlier else "never signed")
            out.append((f"  NOT SIGNED  {p.id.ljust(width)}  ({earlier})", "yellow"))
    out.append((f"Since {r.tag}:", None))
    if report.current_errors:
        out.append((f"  the current data has {plural(report.current_errors, 'error')}; run "
                    "`mouctl validate`", "red"))
    elif not report.changes:
        out.append(("  no change to the agreement", None))
    elif report.substantive:
        out.append((f"  {plural(len(report.changes), 'change')}, {len(report.substantive)} "
                    f"substantive ({changes.summarise(report.changes)})", "yellow"))
        out.append((f"  needs a new release and re-signing by all {len(report.must_sign)} "
                    f"partners: {', '.join(report.must_sign)}", "yellow"))
    else:
        out.append((f"  {plural(len(report.changes), 'administrative change')} "
                    f"({changes.summarise(report.changes)}): no re-signing needed", None))
    if report.unsigned:
        out.append((f"  next: mouctl sign {report.unsigned[0]} --signatory NAME "
                    "--date YYYY-MM-DD --place PLACE", None))
    return out
