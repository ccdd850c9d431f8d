"""`mouctl release`: freeze the committed network as a signed-off version.

A release is an annotated tag `mou-vVERSION` on the commit whose data it
freezes. Its message records the reason, the substantive changes since the
previous release and the fingerprints of the data and of the rendered document,
so that what partners sign can always be checked later (`mouctl status`).
Every check runs before anything is written; a failure leaves no tag behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from mouctl.errors import GitError, InvalidNetwork, MouError, UsageError
from mouctl.history import repo as gitrepo
from mouctl.history import revisions as history
from mouctl.history import tags as release_notes
from mouctl.history.session import Session
from mouctl.model.network import Network
from mouctl.source import checks


@dataclass
class ReleasePlan:
    """Everything a release records, computed before anything is written."""

    version: str
    reason: str
    commit: str
    network: Network
    previous: history.Release | None
    changes: list = field(default_factory=list)  # changes.Change since `previous`
    reasons: dict = field(default_factory=dict)  # index in `changes` -> commit message
    data_fingerprint: str = ""
    document_fingerprint: str = ""
    templates_fingerprint: str = ""  # the network's templates/ (`none`: the default)
    wording: list = field(default_factory=list)  # template files changed since `previous`
    number: int = 0  # the amendment's number; 0 when no signature is needed
    effective: dt.date | None = None  # when the amendment takes effect (--effective)
    mou: int = 1  # which MoU: 2 and up for a new MoU that replaced an earlier one
    supersedes: history.Release | None = None  # a new MoU: the last release it replaces
    signers: list[str] | None = None  # who signs: None every partner, [] nobody, adherents
    withdrawn: list[str] = field(default_factory=list)  # left by notice since `previous`
    placeholders: list = field(default_factory=list)  # example values from `init`, if any

    @property
    def tag(self) -> str:
        return release_notes.tag_name(self.version, self.mou)

    @property
    def substantive(self) -> list:
        return [c for c in self.changes if c.substantive]

    def message(self) -> str:
        trailers = {release_notes.DATA_FINGERPRINT: self.data_fingerprint,
                    release_notes.DOCUMENT_FINGERPRINT: self.document_fingerprint}
        if self.templates_fingerprint:
            trailers[release_notes.TEMPLATES_FINGERPRINT] = self.templates_fingerprint
        if self.wording:
            trailers[release_notes.WORDING_CHANGED] = ", ".join(self.wording)
        if self.previous:
            trailers[release_notes.PREVIOUS_RELEASE] = self.previous.tag
            if self.number:  # only a release that needs signatures is an amendment
                trailers[release_notes.AMENDMENT] = str(self.number)
            if self.effective:
                trailers[release_notes.EFFECTIVE] = self.effective.isoformat()
        if self.supersedes:
            trailers[release_notes.SUPERSEDES] = self.supersedes.tag
        if self.signers is not None:
            trailers[release_notes.SIGNERS] = ", ".join(self.signers) or "none"
        if self.withdrawn:
            trailers[release_notes.WITHDRAWN] = ", ".join(self.withdrawn)
        return release_notes.format_message(release_notes.TagMessage(
            self.version, self.reason,
            [release_notes.change_line(c) for c in self.substantive],
            len(self.changes) - len(self.substantive), trailers, self.mou))


def plan(folder: Path, version: str, reason: str, *, today: dt.date,
         session: Session | None = None, effective: dt.date | None = None,
         new_mou: bool = False) -> ReleasePlan:
    """Check that `version` can be released now and compute what it records.

    With `new_mou` the version starts a new MoU that replaces the current one: its
    own tag series (`mou2-v1.0`), its own numbering, signed by every partner.
    """
    if not release_notes.is_version(version.removeprefix(release_notes.TAG_PREFIX)):
        raise UsageError(f"'{version}' is not a version number",
                         "write it as digits and dots, e.g. 1.0 or 1.1")
    version = version.removeprefix(release_notes.TAG_PREFIX)
    if not reason.strip():
        raise UsageError("the reason is empty", 'say why with -m "..."')
    if session is None:
        with Session(folder) as own:
            return plan(folder, version, reason, today=today, session=own,
                        effective=effective, new_mou=new_mou)
    loc = session.loc
    loc.require_commits()
    # Whether anything is uncommitted, asked of git now: answered beside the listing.
    history.ask_about_edits(loc, loc.head_commit())
    found = session.releases()
    if new_mou and not found:
        raise UsageError("there is no MoU to replace yet",
                         "leave out --new-mou: the first release starts the first MoU")
    mou = (found[0].mou + 1 if new_mou else found[0].mou) if found else 1
    _refuse_existing(found, version, mou)
    if history.has_uncommitted_changes(loc):
        raise MouError("the network files have uncommitted changes; a release must be "
                       "exactly what is committed",
                       "commit them (git commit -am \"...\") or discard them, then release")
    head = loc.head_commit()
    if history.template_changes(folder, head, loc=loc):
        raise MouError("the network's templates/ have uncommitted changes; a release must be "
                       "exactly what is committed",
                       "commit them (git commit -am \"...\") or discard them, then release")
    # The head and the latest release (which it is compared with), read together.
    session.prepare([head, *(r.commit for r in found[:1])])
    current = session.version(head)
    if current is None or not current.valid:
        loaded = history.network_in(loc, head, today=today)
        raise InvalidNetwork(loaded.diagnostics,
                             "the committed network data is invalid; nothing was released")
    edited = history.annex_changes(loc, head, None, history.annex_names(current.network))
    if edited:
        raise MouError(f"the annex file(s) {', '.join(edited)} have uncommitted changes; a "
                       "release must be exactly what is committed",
                       "commit them (git commit -am \"...\") or discard them, then release")
    if checks.release_gaps(current.network):
        # The gate: everything a signed MoU needs and the draft lacks, located.
        loaded = history.network_in(loc, head, today=today).for_release()
        missing = len([d for d in loaded.errors if checks.is_release_requirement(d.code)])
        raise InvalidNetwork(loaded.diagnostics,
                             f"the draft is not ready for release: {missing} thing(s) needed "
                             "before release are missing; nothing was released")
    # The previous release of this MoU (a new MoU has none: its numbering starts again).
    same_mou = [r for r in found if r.mou == mou]
    previous = same_mou[0] if same_mou else None
    if not found and (loc.git_dir / "shallow").is_file():  # as gitrepo.is_shallow
        raise MouError("this is a shallow clone without release tags, so an earlier release "
                       "may exist that this one would repeat; nothing was released",
                       "fetch the whole history and its tags: git fetch --unshallow --tags")
    result = ReleasePlan(version, reason.strip(), head, current.network, previous,
                         mou=mou, effective=effective)
    result.data_fingerprint = session.fingerprint(current)
    if new_mou:
        result.supersedes = found[0]
        _require_replaces(current.network, found[0])
        _require_change(session, found[0], result.data_fingerprint)
    elif previous is not None:
        _refuse_withdrawn_partners(folder, current.network, mou)
        _changes_since(session, previous, current, result, folder)
        if result.substantive and not result.signers:
            # An adhesion (signers: the organisations joining) is no amendment: each
            # joining organisation signs its declaration of adhesion instead.
            from mouctl.ledger.amendment import amendment_number

            result.number = amendment_number(same_mou, None)
    if effective is not None and previous is None:
        raise UsageError("--effective dates an amendment; the first release is the MoU itself",
                         "leave out --effective: the MoU's validity says when it applies")
    from mouctl.scaffold import placeholders

    result.placeholders = placeholders.find(current.network)
    templates = network_templates(folder)
    result.templates_fingerprint = templates_fingerprint(templates)
    from mouctl.ledger import printed

    # Rendered once, and remembered for `status` (which words it again to compare).
    result.document_fingerprint = printed.document_fingerprint(session, current, result.tag,
                                                               templates)
    return result


def _refuse_existing(found: list, version: str, mou: int) -> None:
    tag = release_notes.tag_name(version, mou)
    if any(r.tag == tag for r in found):
        raise MouError(f"release {version} exists already (tag {tag})",
                       "a signed version never changes: release the next version instead")
    newest = next((r for r in found if r.mou == mou), None)
    if newest and release_notes.version_key(version) <= release_notes.version_key(
            newest.version):
        raise MouError(f"version {version} is not after the latest release {newest.version}",
                       f"choose a higher version than {newest.version}")


def _require_replaces(network: Network, old: history.Release) -> None:
    """A new MoU says in its own text which MoU it replaces (printed in section 0)."""
    if network.replaces is None:
        raise MouError("a new MoU must say which MoU it replaces; nothing was released",
                       "add to network.yaml and commit:\n  replaces:\n    title: \"...the "
                       f"old MoU's title...\"\n    release: {old.tag}")


def _require_change(session: Session, old: history.Release, fingerprint: str) -> None:
    """A new MoU is new text: the same data as the MoU it replaces is no new MoU."""
    before = session.version(old.commit)
    if before is not None and before.valid and session.fingerprint(before) == fingerprint:
        raise MouError(f"the committed data is the same as {old.tag}; nothing was released",
                       "a new MoU needs its own text: edit and commit the network first")


def _refuse_withdrawn_partners(folder: Path, network: Network, mou: int) -> None:
    from mouctl.ledger import signatures

    for partner, notice in signatures.read(folder).withdrawn(mou).items():
        if network.partner(partner) is not None:
            raise MouError(f"{partner} gave notice of withdrawal on {notice.notice} but is "
                           "still a partner in the network data; nothing was released",
                           f"remove {partner} from the network data (and from hosts, "
                           "assessors and reviewers), commit, then release")


def _changes_since(session: Session, previous: history.Release, current,
                   out: ReleasePlan, folder: Path) -> None:
    from mouctl.changes import lifecycle
    from mouctl.ledger import signatures

    before = session.version(previous.commit)
    if before is None or not before.valid:
        raise MouError(f"the data of the previous release {previous.tag} is invalid, so the "
                       "changes since it cannot be listed",
                       f"inspect it with `mouctl validate` on a checkout of {previous.tag}")
    withdrawn = signatures.read(folder).withdrawn(out.mou)
    out.changes = session.compare(before, current, withdrawn=withdrawn)
    out.changes += history.annex_text_changes(session.loc, previous.commit, out.commit,
                                              before.network, current.network)
    out.wording = history.template_changes(session.loc.folder, previous.commit, out.commit,
                                           loc=session.loc)
    if not out.changes and not out.wording:
        raise MouError(f"nothing changed in the agreement since {previous.tag}: neither its "
                       "data, nor its annex files, nor the network's templates",
                       "a new release needs a change to the network data, its annexes or "
                       "its wording")
    if any(c.rule == "replaced-mou" for c in out.changes):
        raise MouError("the data now says which MoU it replaces: that is a new MoU, not "
                       "an amendment; nothing was released",
                       "release it as a new MoU: mouctl release 1.0 --new-mou -m "
                       "\"...\" (or remove `replaces:`)")
    signers = lifecycle.signers(out.changes, out.network)
    if signers != [p.id for p in out.network.partners] or not signers:
        out.signers = signers
    out.withdrawn = [c.item for c in out.changes if c.rule == "withdrew-by-notice"]
    out.reasons = _reasons(session, previous.commit, out.changes)


def _reasons(session: Session, since: str, found: list) -> dict[int, str]:
    """For each change, the message of the last commit since `since` that made it."""
    loc = session.loc
    made: dict[tuple, str] = {}
    paths = [f":(literal){p}" for p in loc.data_paths()]
    out = loc.git("log", "--reverse", "--format=%H%x1f%P%x1f%s", f"{since}..HEAD", "--",
                  *paths)
    commits = []
    for line in out.splitlines():
        sha, parents, subject = line.split("\x1f", 2)
        commits.append((sha, parents.split()[0] if parents.strip() else None, subject))
    engine = session.engine(loc.prefix)
    engine.prepare([c for sha, parent, _ in commits for c in (sha, parent) if c])
    for sha, parent, subject in commits:
        new = engine.version(sha)
        old = engine.version(parent) if parent else None
        if new is None or old is None or not (new.valid and old.valid):
            continue
        for change in engine.compare(old, new):
            made[(change.section, change.item, change.field)] = subject
    return {i: made[key] for i, c in enumerate(found)
            if (key := (c.section, c.item, c.field)) in made}


def network_templates(folder: Path) -> Path | None:
    """The network's own template folder (`templates/` next to network.yaml), if any."""
    own = folder / "templates"
    return own if own.is_dir() else None


def templates_fingerprint(templates: Path | None) -> str:
    """A short digest of the network's template files (names and contents); `none`."""
    if templates is None:
        return "none"
    digest = hashlib.sha256()
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        digest.update(path.relative_to(templates).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def document_fingerprint(network: Network, version: str, *,
                         template: Path | None = None, fingerprint: str | None = None) -> str:
    """A short digest of the rendered Markdown document as it is released: the data
    in the network's own templates (`template`) or the default ones. `fingerprint`:
    the network's data fingerprint, printed in the document, when the caller has it
    (digesting a large network again costs a fifth of the rendering)."""
    try:
        from mouctl.render import engine
    except ImportError:  # pragma: no cover - the renderer ships with mouctl
        raise MouError("this mouctl cannot render documents, so it cannot release",
                       "reinstall mouctl") from None
    text = engine.render_markdown(network, version=version, template=template,
                                  fingerprint=fingerprint)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def create(folder: Path, release: ReleasePlan, *, amendment: Path | None = None,
           today: dt.date, session: Session | None = None,
           author: str | None = None) -> history.Release:
    """Write the amendment document, then the tag: both or neither, also on Ctrl-C.

    A kill between the two leaves the document without a tag; running the same
    release again finds the identical document and completes it.
    """
    from mouctl import steps
    from mouctl.files import write_output

    if session is None:
        with Session(folder) as own:
            return create(folder, release, amendment=amendment, today=today, session=own,
                          author=author)
    identity = gitrepo.identity_from_git(session.loc.git_dir, author)
    text = _amendment_bytes(folder, release, amendment, today) if amendment is not None \
        else None
    wrote = False
    if amendment is not None and os.path.lexists(amendment):
        if not _same_document(amendment, text):
            raise MouError(f"'{amendment}' exists already; nothing was released",
                           "choose another file name for the amendment document")
    with steps.uninterrupted() as held:
        if amendment is not None:
            wrote = not os.path.lexists(amendment)
            write_output(amendment, text, network=folder)
            steps.reached("release:amendment-written")
        try:
            said = _tag(session.loc, release, identity)
        except OSError as exc:
            said = str(exc)
        if said is not None:
            if wrote:
                with contextlib.suppress(OSError):
                    os.unlink(amendment)
            raise GitError(f"git could not create the tag {release.tag}: "
                           f"{gitrepo._first_line(said)}; nothing was released",
                           gitrepo._refused_hint(said, "fix the cause git names, then run "
                                                 "again")) from None
        steps.reached("release:tagged")
    if held.interrupted:
        wrote_too = f" and Amendment No. {release.number} written to {amendment}" \
            if amendment is not None else ""
        raise steps.Interrupted(f"interrupted, but only after release {release.tag} was made "
                                f"on commit {release.commit[:7]}{wrote_too}; nothing was lost",
                                "see it with `mouctl status`")
    session.forget_releases()
    return session.find_release(release.version)


def _same_document(path: Path, data: bytes) -> bool:
    """True when `path` already holds exactly `data` (a release stopped after writing it)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(data) + 1) == data
    except OSError:
        return False


def _amendment_bytes(folder: Path, release: ReleasePlan, path: Path, today: dt.date) -> bytes:
    """The amendment (or notice of changes) this release makes, in the format of `path`."""
    from mouctl.ledger import amendment as amendments

    fmt = amendments.format_of(path)
    template = folder / "templates" if (folder / "templates").is_dir() else None
    document = amendments.amendment_document(
        folder, release.previous.tag, release.commit, template=template,
        effective=release.effective, today=today,
        as_release=(release.version, today, release.document_fingerprint,
                    release.substantive))
    return amendments.write(document, fmt, template)


def _tag(loc, release: ReleasePlan, identity: dict[str, str]) -> str | None:
    """Create the release's annotated tag; what git said when it refused (else None)."""
    import subprocess
    import tempfile

    from mouctl.history import gitread

    # The message goes through a file: verbatim, whatever its length or characters.
    fd, name = tempfile.mkstemp(prefix="mouctl-tag-", suffix=".txt")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(release.message())
        # git itself, not GitPython (~60 ms to import and open for this one command),
        # run as GitPython ran it: at the top of the working tree, which names the
        # repository (so git words its paths as before, `.git/objects`).
        proc = subprocess.run(
            ["git", "tag", "-a", release.tag, "--cleanup=verbatim", "-F", name,
             release.commit],
            capture_output=True, env={**gitread.git_env(), **identity},
            cwd=loc.root or loc.folder, check=False)
    finally:
        os.unlink(name)
    return gitrepo.said_by(proc.stderr, proc.returncode) if proc.returncode else None
