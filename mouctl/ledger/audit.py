"""Hand edits of signatures.yaml that the ledger cannot explain.

`mouctl sign` only appends, and only a partner of a release it signs, once, with the
release's version as the tag names it. Anything else in the file was edited by hand:
an entry for an organisation that is not a partner of the release, a second entry
of the same signature, a version written in other digits (`1.00` for `1.0`), a
release that does not exist, or a signature once committed and now gone. Each is a
problem located at its file, line and field, with what to do. A signature taken
back by a commit that says it reverts another (`git revert`, as docs/history.md
advises) is explained, and named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from mouctl.errors import GitError, MouError
from mouctl.history import filetrail, gitread
from mouctl.history import tags as release_notes
from mouctl.ledger.signatures import LEDGER, InvalidLedger, Ledger, Signature, parse
from mouctl.source.diagnostics import Diagnostic, sort_key

_REVERT = re.compile(r"This reverts commit ([0-9a-f]{7,40})")
_TAKE_BACK = ("delete it if it was never committed; if it was, take it back with `git "
              f"revert` of the commit that recorded it (`git log --oneline -- {LEDGER}`), "
              "which keeps the record")


@dataclass
class Audit:
    """What the ledger holds that `sign` did not write (problems), and what a revert
    explains (notes)."""

    problems: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    in_doubt: set[tuple] = field(default_factory=set)  # (mou, version key) of releases

    def add(self, sig: Signature, problem: Diagnostic) -> None:
        """A problem with `sig`: its release's signatures are in doubt."""
        self.problems.append(problem)
        self.in_doubt.add(_release_key(sig))


def _release_key(sig: Signature) -> tuple:
    """Which release an entry names: its MoU and version (`1`, `1.0` alike)."""
    return (sig.mou or 1, release_notes.version_key(sig.release))


def named(releases: list, ledger: Ledger) -> list:
    """The releases that entries of the ledger name: the only ones whose partners
    `audit` asks for (a release nobody signed need not be read to audit the ledger)."""
    keys = {_release_key(sig) for sig in ledger.signatures}
    return [r for r in releases if (r.mou, release_notes.version_key(r.version)) in keys]


def audit(ledger: Ledger, releases: list, partners: dict[str, tuple[str, ...] | None], *,
          name: str, git_dir: Path | None = None, path: str = LEDGER) -> Audit:
    """Check every entry against the releases (`partners`: tag -> the release's
    partners, None when its data cannot be read) and, with `git_dir`, against the
    ledger's history at repository path `path`."""
    found = Audit()
    by_key = {(r.mou, release_notes.version_key(r.version)): r for r in releases}
    first: dict[tuple, int] = {}
    for i, sig in enumerate(ledger.signatures):
        _entry(found, ledger, i, sig, by_key, partners, first, name)
    if git_dir is not None:
        _removed(found, ledger, name, git_dir, path, by_key)
    found.problems.sort(key=sort_key)
    return found


def _problem(ledger: Ledger, i: int, key: str, name: str, message: str,
             hint: str) -> Diagnostic:
    line, column = ledger.places[i].get(key, (ledger.lines[i], None)) \
        if i < len(ledger.places) else (ledger.lines[i], None)
    return Diagnostic("error", "ledger-hand-edit", message, name, line, column,
                      f"signatures[{i}].{key}", hint)


def _entry(found: Audit, ledger: Ledger, i: int, sig: Signature, by_key: dict,
           partners: dict, first: dict, name: str) -> None:
    key = _release_key(sig)
    release = by_key.get(key)
    if release is None:
        found.add(sig, _problem(
            ledger, i, "release", name,
            f"{sig.partner} signed release {sig.release}, which does not exist (no tag "
            f"{sig.tag}; was it deleted?)",
            "restore the release tag if it was deleted (`git fetch --tags`); if the "
            f"entry is wrong, {_TAKE_BACK}"))
        return
    if sig.release != release.version:
        found.add(sig, _problem(
            ledger, i, "release", name,
            f"the release is written '{sig.release}', not as the release names itself "
            f"('{release.version}', tag {release.tag})",
            f'write it as mouctl does: release: "{release.version}"'))
    members = partners.get(release.tag)
    if members is not None and sig.partner not in members:
        known = ", ".join(members) or "none"
        found.add(sig, _problem(
            ledger, i, "partner", name,
            f"'{sig.partner}' is not a partner of release {release.tag} (its partners: "
            f"{known}), so it cannot have signed it",
            f"check the id; if the entry is wrong, {_TAKE_BACK}"))
    duplicate = first.setdefault((sig.partner, key), i)
    if duplicate != i:
        found.add(sig, _problem(
            ledger, i, "partner", name,
            f"{sig.partner}'s signature of {release.tag} is recorded a second time (first "
            f"at line {ledger.lines[duplicate]})",
            f"a signature is recorded once: keep one entry; {_TAKE_BACK}"))


def _identity(sig: Signature) -> tuple:
    """What makes an entry the same signature, whatever the file's formatting."""
    return (sig.partner, _release_key(sig), sig.fingerprint, sig.signatory, sig.date,
            sig.place, sig.note, sig.file)


def _entries(raw: bytes | None) -> list[tuple[Signature, int]]:
    """The entries of a ledger version with their lines; none if it cannot be read."""
    if not raw or not raw.strip():
        return []
    try:
        old = parse(Path(LEDGER), raw, LEDGER)
    except (InvalidLedger, MouError):
        return []
    return list(zip(old.signatures, old.lines, strict=True))


def _removed(found: Audit, ledger: Ledger, name: str, git_dir: Path, path: str,
             by_key: dict) -> None:
    """Signatures committed once and missing now: by a commit, or by an edit of the
    working file."""
    now = {_identity(s) for s in ledger.signatures}
    reported: set[tuple] = set()

    def tag(sig: Signature) -> str:
        release = by_key.get(_release_key(sig))
        return release.tag if release else sig.tag

    try:
        committed = gitread.object_ids(git_dir, [f"HEAD:{path}"])[0]
        head = gitread.Objects(git_dir)
        try:
            head_raw = head.read(committed[0]) if committed and committed[1] == "blob" \
                else None
        finally:
            head.close()
        rewrites = filetrail.rewrites(git_dir, path)
    except GitError as exc:
        found.notes.append(f"the history of {name} could not be read, so removed "
                           f"signatures were not looked for ({exc.message})")
        return
    if head_raw is not None and not ledger.raw.startswith(head_raw):
        for sig, line in _entries(head_raw):
            ident = _identity(sig)
            if ident not in now and ident not in reported:
                reported.add(ident)
                found.add(sig, Diagnostic(
                    "error", "ledger-hand-edit",
                    f"{sig.partner}'s signature of {tag(sig)} (signed by {sig.signatory} "
                    f"on {sig.date}), committed at line {line}, is no longer in the file: "
                    "an uncommitted edit removed it", name, None, None, "signatures",
                    f"restore it with `git checkout -- {name}`; to withdraw a signature, "
                    f"{_TAKE_BACK}"))
    for rewrite in rewrites:
        after = {_identity(s) for s, _ in _entries(rewrite.after)}
        subject = rewrite.message.splitlines()[0] if rewrite.message else ""
        reverted = _REVERT.search(rewrite.message)
        for sig, line in _entries(rewrite.before):
            ident = _identity(sig)
            if ident in after or ident in now or ident in reported:
                continue
            reported.add(ident)
            what = f"{sig.partner}'s signature of {tag(sig)} (signed by {sig.signatory} on " \
                   f"{sig.date})"
            if reverted:
                found.notes.append(f"{what} was taken back by commit {rewrite.commit[:7]} "
                                   f"({subject}), which reverts {reverted.group(1)[:7]}")
                continue
            found.add(sig, Diagnostic(
                "error", "ledger-hand-edit",
                f"{what} was removed by commit {rewrite.commit[:7]} (\"{subject}\"), which "
                f"is not a revert; it was at line {line} before that commit", name, None,
                None, "signatures",
                f"put the entry back (`git show {rewrite.commit[:7]}^:{path}` shows it) and "
                f"commit; to withdraw a signature, {_TAKE_BACK}"))
