"""The signature ledger: who signed which release, in `signatures.yaml`.

The ledger is a YAML file next to `network.yaml`, readable by anyone, and
append-only: `mouctl sign` adds one entry at the end of the file, byte for byte
after the existing text (comments and formatting stay), and commits only that
file. Each entry is bound to the fingerprint of the release it signs, so a
signature cannot silently move to other data. A ledger edited by hand into an
invalid state is reported with file and line and never rewritten.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, ValidationError

from mouctl.errors import GitError, InvalidNetwork, MouError, UsageError
from mouctl.history import repo as gitrepo
from mouctl.history import revisions as history
from mouctl.history import tags as release_notes
from mouctl.history.session import Session
from mouctl.model.network import Id, Record
from mouctl.source import yamldoc
from mouctl.source.diagnostics import Diagnostic, sort_key
from mouctl.source.explain import explain_validation_error, requote

LEDGER = "signatures.yaml"
HEADER = """\
# Signatures of the MoU, recorded by `mouctl sign` (see docs/history.md).
# One entry per partner and release, bound to the release's data fingerprint.
# Append-only: mouctl adds entries at the end and never changes or removes one.
signatures:
"""
LOCK_WAIT_SECONDS = 30


class Signature(Record):
    """One partner's signature of one release."""

    partner: Id = Field(description="Id of the signing partner.")
    release: str = Field(pattern=r"^[0-9]+(\.[0-9]+){0,2}$",  # ASCII digits, as tags
                         description="The release signed, e.g. 1.1.")
    fingerprint: str = Field(pattern=r"^[0-9a-f]{12}$",
                             description="Data fingerprint of the release signed.")
    signatory: str = Field(min_length=1, description="Who signed for the partner.")
    date: dt.date = Field(description="Date of the signature.")
    place: str = Field(min_length=1, description="Place of the signature.")
    note: str | None = Field(None, description="A note, e.g. how the signature arrived.")
    file: str | None = Field(None, description="File name of the scanned signed copy.")
    mou: int | None = Field(None, ge=2, description="Which MoU: left out for the first; 2 "
                            "for the new MoU that replaced it (tags `mou2-v*`), ...")

    @property
    def tag(self) -> str:
        return release_notes.tag_name(self.release, self.mou or 1)


class Withdrawal(Record):
    """A partner's notice that it withdraws from the MoU (`mouctl withdraw`)."""

    withdrawal: Id = Field(description="Id of the partner that withdraws.")
    release: str = Field(pattern=r"^\d+(\.\d+){0,2}$",
                         description="The latest release when the notice was given.")
    mou: int | None = Field(None, ge=2, description="Which MoU (left out for the first).")
    notice: dt.date = Field(description="Date of the written notice.")
    effective: dt.date = Field(description="The day the partner leaves the MoU.")
    note: str | None = Field(None, description="A note, e.g. the reason given.")

    @property
    def partner(self) -> str:
        return self.withdrawal


class InvalidLedger(InvalidNetwork):
    """signatures.yaml cannot be read; carries diagnostics with file and line."""

    def __init__(self, diagnostics: list[Diagnostic], name: str, *,
                 edited: bool = False) -> None:
        super().__init__(diagnostics, f"{name} holds hand edits the ledger cannot explain, "
                         "so nothing was recorded" if edited
                         else f"{name} is not valid, so it was not changed")
        self.hint = f"fix {name} at the lines shown (or undo the hand edit with git)"


@dataclass
class Ledger:
    """The ledger file as read: its bytes, its entries and each entry's line."""

    path: Path
    raw: bytes = b""
    signatures: list[Signature] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    # Per entry, {field: (line, column)} of each value as written, to point at it.
    places: list[dict[str, tuple[int, int]]] = field(default_factory=list)
    withdrawals: list[Withdrawal] = field(default_factory=list)
    withdrawal_lines: list[int] = field(default_factory=list)

    def find(self, partner: str, version: str, mou: int = 1) -> int | None:
        """Index of the entry of `partner` for release `version` of MoU `mou`, if any."""
        key = release_notes.version_key(version)
        for i, s in enumerate(self.signatures):
            if s.partner == partner and (s.mou or 1) == mou and release_notes.version_key(
                    s.release) == key:
                return i
        return None

    def withdrawn(self, mou: int = 1) -> dict[str, Withdrawal]:
        """The partners that gave notice of withdrawal from MoU `mou`, by id."""
        return {w.partner: w for w in self.withdrawals if (w.mou or 1) == mou}


def read(folder: Path) -> Ledger:
    """The ledger in the network folder (empty when there is none yet)."""
    from mouctl import files

    path = folder / LEDGER
    if not path.exists() and not path.is_symlink():
        return Ledger(path)
    raw = files.read_bytes(path, folder, limit=yamldoc.MAX_BYTES, what="network folder")
    return parse(path, raw, str(path))


def parse(path: Path, raw: bytes, name: str) -> Ledger:
    """The ledger from its bytes, or InvalidLedger listing every problem."""
    doc = yamldoc.read(name, raw)
    problems = [Diagnostic(f.severity, f.code, f.message, name, line, col, hint=f.hint)
                for line, col, f in doc.problems]
    ledger = Ledger(path, raw)
    if problems or doc.root is None:
        if doc.root is None and not problems:
            return ledger  # an empty file: no signatures yet
        raise InvalidLedger(problems, name)
    data = doc.data
    items = data.get("signatures") if isinstance(data, dict) else None
    if not isinstance(data, dict) or set(data) - {"signatures"} or not isinstance(
            items, list | None):
        raise InvalidLedger([_at(doc, (), name, "the file must hold one key, `signatures:`, "
                                 "with a list of entries")], name)
    for i, item in enumerate(items or []):
        try:
            if isinstance(item, dict) and "withdrawal" in item:
                ledger.withdrawals.append(Withdrawal.model_validate(item))
                ledger.withdrawal_lines.append(_line(doc, ("signatures", i)))
                continue
            ledger.signatures.append(Signature.model_validate(item))
            ledger.lines.append(_line(doc, ("signatures", i)))
            ledger.places.append(_places(doc, ("signatures", i)))
        except ValidationError as exc:
            # Worded like every error in network.yaml (explain), located at the field.
            for finding in explain_validation_error(exc, lambda _: False, Signature):
                where = ("signatures", i, *finding.path)
                node, exact = yamldoc.node_at(doc.root, where)
                if exact:
                    finding = requote(finding, yamldoc.written(node))
                problems.append(_at(doc, where, name, finding.message,
                                    finding.hint, finding.code))
    if problems:
        raise InvalidLedger(sorted(problems, key=sort_key), name)
    return ledger


def _line(doc, path: tuple) -> int:
    node, _ = yamldoc.node_at(doc.root, path)
    return yamldoc.position(node)[0] if node is not None else 0


def _places(doc, path: tuple) -> dict[str, tuple[int, int]]:
    node, exact = yamldoc.node_at(doc.root, path)
    pairs = getattr(node, "value", None) if exact else None
    if not isinstance(pairs, list) or not all(isinstance(p, tuple) for p in pairs):
        return {}  # not a mapping: validation has said so
    return {key.value: yamldoc.position(value) for key, value in pairs
            if isinstance(key.value, str)}


def _at(doc, path: tuple, name: str, message: str, hint: str | None = None,
        code: str = "invalid-signature") -> Diagnostic:
    node, _ = yamldoc.node_at(doc.root, path)
    line, col = yamldoc.position(node) if node is not None else (None, None)
    shown = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    return Diagnostic("error", code, message, name, line, col, shown,
                      hint or "entries need partner, release, fingerprint, signatory, date, "
                      "place")


def entry_text(sig: Signature | Withdrawal) -> str:
    """The YAML of one entry, every string quoted (JSON strings are valid YAML)."""
    if isinstance(sig, Withdrawal):
        return _withdrawal_text(sig)
    lines = [f"  - partner: {json.dumps(sig.partner)}",
             f"    release: {json.dumps(sig.release)}",
             f"    fingerprint: {json.dumps(sig.fingerprint)}",
             f"    signatory: {json.dumps(sig.signatory, ensure_ascii=False)}",
             f"    date: {sig.date.isoformat()}",
             f"    place: {json.dumps(sig.place, ensure_ascii=False)}"]
    for key in ("note", "file"):
        value = getattr(sig, key)
        if value:
            lines.append(f"    {key}: {json.dumps(value, ensure_ascii=False)}")
    if sig.mou:
        lines.append(f"    mou: {sig.mou}")
    return "\n".join(lines) + "\n"


def _withdrawal_text(w: Withdrawal) -> str:
    lines = [f"  - withdrawal: {json.dumps(w.withdrawal)}",
             f"    release: {json.dumps(w.release)}"]
    if w.mou:
        lines.append(f"    mou: {w.mou}")
    lines += [f"    notice: {w.notice.isoformat()}",
              f"    effective: {w.effective.isoformat()}"]
    if w.note:
        lines.append(f"    note: {json.dumps(w.note, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def appended(ledger: Ledger, sig: Signature | Withdrawal, name: str) -> bytes:
    """The ledger's bytes with `sig` added at the end; checked to read back exactly."""
    raw = ledger.raw if ledger.raw.strip() else HEADER.encode()
    if not raw.endswith(b"\n"):
        raw += b"\n"
    new = raw + entry_text(sig).encode("utf-8")
    try:
        again = parse(ledger.path, new, name)
    except InvalidLedger:
        again = None
    expected = ((ledger.signatures, [*ledger.withdrawals, sig]) if isinstance(sig, Withdrawal)
                else ([*ledger.signatures, sig], ledger.withdrawals))
    if again is None or (again.signatures, again.withdrawals) != expected:
        raise MouError(f"{name} cannot be appended to safely; it was not changed",
                       "keep `signatures:` as the last key, with its entries as a block "
                       "list (`  - partner: ...`), as mouctl writes it")
    return new


@dataclass
class Signed:
    """The outcome of `sign`: the entry, the commit and any warnings."""

    signature: Signature
    release: history.Release
    commit: str
    warnings: list[str] = field(default_factory=list)


def sign(folder: Path, partner: str, *, signatory: str, date: str, place: str,
         version: str | None, note: str | None, file: str | None,
         today: dt.date, author: str | None = None, force: bool = False,
         dry_run: bool = False) -> Signed:
    """Record and commit `partner`'s signature of a release (default: the latest).

    A date after today or a signatory other than the release's data names is
    refused unless `force`; with `dry_run` every check runs and nothing is written
    (the returned commit is empty).
    """
    signed_on = _date(date)
    for option, value, example in (("--signatory", signatory, "Ane Etxeberria"),
                                   ("--place", place, "Bilbao")):
        if not value.strip():
            raise UsageError(f"{option} is empty; nothing was changed",
                             f'name it: {option} "{example}"')
    with Session(folder) as session:  # one repository handle for the whole command
        return _sign(session, folder, partner, signatory=signatory, signed_on=signed_on,
                     place=place, version=version, note=note, file=file, today=today,
                     author=author, force=force, dry_run=dry_run)


def _sign(session: Session, folder: Path, partner: str, *, signatory: str,
          signed_on: dt.date, place: str, version: str | None, note: str | None,
          file: str | None, today: dt.date, author: str | None, force: bool,
          dry_run: bool) -> Signed:
    loc = session.loc
    gitrepo.require_branch(loc.repo, "the signature commit")
    identity = gitrepo.recorded_identity(loc.repo, author)
    release = session.find_release(version) if version else session.last_release()
    if release is None:
        raise GitError("there is no release to sign yet",
                       "release the MoU first: mouctl release 1.0 -m \"First version\"")
    released = session.version(release.commit)
    if released is None or not released.valid:
        raise MouError(f"the data of release {release.tag} is invalid", "release a valid version")
    data = released  # the network at the release, read once
    fingerprint = session.fingerprint(released)
    if release.data_fingerprint and release.data_fingerprint != fingerprint:
        raise MouError(f"release {release.tag} no longer matches its recorded fingerprint "
                       f"({release.data_fingerprint} recorded, {fingerprint} now): "
                       "the tag was moved or re-created; nothing was recorded",
                       "run `mouctl status`; put the tag back on the commit that was "
                       "released (a release never changes: release new data as a new "
                       "version)")
    member = data.network.partner(partner)
    if member is None:
        known = ", ".join(p.id for p in data.network.partners)
        raise UsageError(f"'{partner}' is not a partner in release {release.tag}",
                         f"partners: {known}")
    sig = Signature(partner=partner, release=release.version, fingerprint=fingerprint,
                    signatory=signatory.strip(), date=signed_on, place=place.strip(),
                    note=note or None, file=file or None,
                    mou=release.mou if release.mou > 1 else None)
    warnings = []
    # Refused unless --force: the ledger records signatures made, by the person the
    # release names. Both can be right (a signatory a time zone ahead; a deputy), and
    # --force with a --note says so on the record.
    if signed_on > today:
        if not force:
            raise MouError(f"the date {signed_on} is after today ({today}); nothing was "
                           "recorded", "record a signature once it is made; if the date is "
                           "right (a signatory in a later time zone), add --force")
        warnings.append(f"the date {signed_on} is after today ({today})")
    if member.signatory and member.signatory.name \
            and member.signatory.name.strip() != sig.signatory:
        if not force:
            raise MouError(f"release {release.tag} names {member.signatory.name} as "
                           f"{partner}'s signatory, not {sig.signatory}; nothing was recorded",
                           "check the name; if another person signed (a deputy), add "
                           "--force and say why with --note")
        warnings.append(f"the network names {member.signatory.name} as {partner}'s "
                        f"signatory, not {sig.signatory}")
    if release.date and signed_on < release.date.date():
        warnings.append(f"the date {signed_on} is before release {release.tag} "
                        f"({release.date.date()})")
    if file and not (folder / file).exists():
        warnings.append(f"the scanned copy '{file}' is not in the network folder")
    if dry_run:
        _require_explained(session, folder, release, fingerprint)
        _appended_entry(loc, folder, sig)
        return Signed(sig, release, "", warnings)
    with locked(loc):
        # The ledger is audited under the lock: read outside it, another `sign` that has
        # written the file but not yet committed it looks like a hand edit.
        _require_explained(session, folder, release, fingerprint)
        commit = _record(loc, folder, sig, release, identity)
    return Signed(sig, release, commit, warnings)


def _require_explained(session: Session, folder: Path, release: history.Release,
                       fingerprint: str) -> None:
    """Refuse to sign while the ledger holds what `sign` did not write (ledger/audit.py)
    or signatures of `release` bound to other data: the tag was re-created."""
    from mouctl.ledger import audit

    ledger = read(folder)
    name = str(ledger.path)
    key = release_notes.version_key(release.version)
    for sig, line in zip(ledger.signatures, ledger.lines, strict=True):
        if (sig.mou or 1) == release.mou and release_notes.version_key(sig.release) == key \
                and sig.fingerprint != fingerprint:
            raise MouError(f"release {release.tag} was re-created or moved: {name}:{line} "
                           f"records {sig.partner}'s signature of it with data "
                           f"{sig.fingerprint}, but the tag now points at data "
                           f"{fingerprint}; nothing was recorded",
                           "run `mouctl status`; put the tag back where it was signed "
                           "(a release is never changed: release the new data as a new "
                           "version)")
    found = session.releases()
    data = session.release_data(audit.named(found, ledger))
    checked = audit.audit(ledger, found, {tag: d.partners if d.valid else None
                                          for tag, d in data.items()},
                          name=name, git_dir=Path(session.loc.repo.git_dir),
                          path=f"{session.loc.prefix}{LEDGER}")
    if checked.problems:
        raise InvalidLedger(checked.problems, name, edited=True)


def _date(text: str) -> dt.date:
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"'{text}' is not a date", "write it as YYYY-MM-DD") from None
    return value


def _appended_entry(loc, folder: Path, sig: Signature):
    """The ledger as read, its bytes with `sig` appended, its repository path and shown
    name; refuses uncommitted edits and a second signature of the same release."""
    rel = f"{loc.prefix}{LEDGER}"
    name = str(folder / LEDGER) if str(folder) not in ("", ".") else LEDGER
    _refuse_uncommitted(loc, folder, rel, name)
    ledger = read(folder)
    duplicate = ledger.find(sig.partner, sig.release, sig.mou or 1)
    if duplicate is not None:
        raise MouError(f"{sig.partner} has signed release {sig.release} already "
                       f"({name}:{ledger.lines[duplicate]})",
                       "a signature is recorded once; nothing was changed")
    return ledger, appended(ledger, sig, name), rel, name


def _record(loc, folder: Path, sig: Signature, release: history.Release,
            identity: dict[str, str]) -> str:
    """Append and commit under the lock: complete, or the file and repo as they were."""
    ledger, new, rel, name = _appended_entry(loc, folder, sig)
    message = (f"Record {sig.partner}'s signature of {release.tag}\n\n"
               f"Signed by {sig.signatory} in {sig.place} on {sig.date.isoformat()}.\n")
    return _commit_ledger(loc, folder, ledger, new, message, identity,
                          f"{sig.partner}'s signature of {release.tag}")


def record_entry(loc, folder: Path, entry: Signature | Withdrawal, message: str,
                 refuse, what: str, identity: dict[str, str] | None = None) -> str:
    """Append `entry` and commit the ledger alone (call under `locked`); `refuse(ledger,
    name)` raises when the entry must not be added."""
    rel = f"{loc.prefix}{LEDGER}"
    name = str(folder / LEDGER) if str(folder) not in ("", ".") else LEDGER
    _refuse_uncommitted(loc, folder, rel, name)
    ledger = read(folder)
    refuse(ledger, name)
    return _commit_ledger(loc, folder, ledger, appended(ledger, entry, name), message,
                          identity, what)


def _commit_ledger(loc, folder: Path, ledger: Ledger, new: bytes, message: str,
                   identity: dict[str, str] | None, what: str) -> str:
    """Commit the ledger's new bytes. The order makes every stop safe: the commit is
    built as objects (nothing visible), then, with Ctrl-C held back, signatures.yaml is
    written, then git's index and the branch move. A kill between those steps leaves
    the new entry in the file, uncommitted, and the next command says so: never a
    commit whose entry the working file lacks (a later `git commit -a` would delete it).
    """
    from mouctl import steps
    from mouctl.files import write_atomic

    rel = f"{loc.prefix}{LEDGER}"
    name = str(folder / LEDGER) if str(folder) not in ("", ".") else LEDGER
    built = gitrepo.build_commit(loc.repo, rel, new, message, identity)
    steps.reached("sign:commit-built")
    existed = (folder / LEDGER).exists()
    with steps.uninterrupted() as held:
        write_atomic(folder / LEDGER, new)
        steps.reached("sign:file-written")
        try:
            done = gitrepo.publish(loc.repo, built)
        except MouError as exc:
            _put_back(folder / LEDGER, ledger.raw if existed else None, name, exc)
            raise MouError(f"{exc.message}; nothing was changed", exc.hint) from None
    if held.interrupted:
        raise steps.Interrupted(
            f"interrupted, but only after {what} was recorded in {name} and committed as "
            f"{done.commit[:7]}; nothing was lost", "see it with `mouctl status`")
    return done.commit


def _put_back(path: Path, raw: bytes | None, name: str, cause: MouError) -> None:
    """The ledger file as it was before a commit that failed."""
    from mouctl.files import write_atomic

    try:
        if raw is None:
            path.unlink()
        else:
            write_atomic(path, raw)
    except (MouError, OSError):
        raise MouError(f"the signature could not be committed ({cause.message}), and "
                       f"{name} still holds it, uncommitted",
                       f"keep it: git add -- {name} && git commit -m \"Record signature\" "
                       f"-- {name}; or drop it: git checkout -- {name}") from None


def _refuse_uncommitted(loc, folder: Path, rel: str, name: str) -> None:
    """Refuse to append to a ledger with uncommitted changes, and say which: entries
    an interrupted `sign` left uncommitted are named, so they are kept, not discarded."""
    if not loc.repo.git.status("--porcelain", "--", f":(literal){rel}").strip():
        return
    pending = _uncommitted_entries(loc, folder, rel)
    if pending:
        listed = ", ".join(f"{s.partner} for release {s.release} (line {line})"
                           for s, line in pending)
        raise MouError(f"{name} holds signatures that are not committed yet: {listed}; "
                       "an earlier `mouctl sign` was stopped before it committed them. "
                       "Nothing was changed",
                       f"keep them: git add -- {name} && git commit -m \"Record "
                       f"signatures\" -- {name}; then run the command again")
    raise MouError(f"{name} has uncommitted changes; it was not changed",
                   f"commit or discard them first (git diff -- {name})")


def _uncommitted_entries(loc, folder: Path, rel: str) -> list[tuple[Signature, int]]:
    """Entries appended to the committed ledger in the working file (none if it was
    changed otherwise)."""
    try:
        working = read(folder)
        committed_raw = (loc.repo.head.commit.tree / rel).data_stream.read()
    except (MouError, KeyError):
        committed_raw = b""
        try:
            working = read(folder)
        except MouError:
            return []
    if not working.raw.startswith(committed_raw):
        return []
    try:
        committed = parse(working.path, committed_raw, rel) if committed_raw.strip() else None
    except MouError:
        return []
    known = len(committed.signatures) if committed else 0
    if working.signatures[:known] != (committed.signatures if committed else []):
        return []
    return list(zip(working.signatures[known:], working.lines[known:], strict=True))


@contextlib.contextmanager
def locked(loc):
    """One `mouctl sign` at a time per repository: a lock file in the git folder."""
    import fcntl

    path = Path(loc.repo.common_dir) / "mouctl-sign.lock"
    try:
        handle = open(path, "a+b")  # noqa: SIM115 - closed below, after the lock
    except OSError as exc:
        raise GitError(f"cannot write to the git repository {loc.repo.common_dir} "
                       f"({path.name}: {exc.strerror or exc}); nothing was changed",
                       "recording a signature commits to git: make the .git folder "
                       "writable for you (its permissions, or a read-only disk), then "
                       "run again") from None
    with handle:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise GitError("another `mouctl sign` is still running in this "
                                   "repository", "wait for it to finish, then run again"
                                   ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

