"""`mouctl verify`: is this PDF (back by e-mail, perhaps signed) a released MoU?

A PDF rendered by mouctl names its version, data fingerprint and language(s) in its
information dictionary (see render/pdf.py). Metadata alone proves nothing, so the
release is rendered again from its tagged commit and the bytes are compared: the
file must be exactly that document, or that document followed by incremental
updates (which is how PAdES signatures are added). Each embedded signature is then
checked with pyHanko: intact, covering the released bytes, who signed, and whether
signatures.yaml records that person's signature of the release.

Reading PDFs needs pyHanko and rendering needs WeasyPrint: the `verify` extra.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from mouctl.errors import GitError, MouError

INSTALL_HINT = "install the verify extra: python3 -m pip install 'mouctl[verify]'"


@dataclass
class SignatureCheck:
    """One embedded signature as pyHanko sees it."""

    field: str
    signer: str
    signed_at: str | None
    intact: bool
    covers_release: bool
    trusted: bool
    recorded: str | None = None  # the partner whose ledger entry names this signer
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"field": self.field, "signer": self.signer, "signed_at": self.signed_at,
                "intact": self.intact, "covers_release": self.covers_release,
                "trusted": self.trusted, "recorded_for": self.recorded,
                "problems": self.problems}


@dataclass
class Verification:
    """What `verify` found; `ok` when the PDF is exactly a release's document."""

    file: Path
    sha256: str
    version: str | None = None  # the label the PDF carries, e.g. mou-v1.1
    fingerprint: str | None = None
    languages: list[str] = field(default_factory=list)
    release: str | None = None  # the tag found in git
    identical: bool = False  # the released bytes are there, unchanged
    updates: int = 0  # bytes appended after the released document (signatures)
    signatures: list[SignatureCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.identical and not any(
            s.problems for s in self.signatures)

    def as_dict(self) -> dict:
        return {"file": str(self.file), "sha256": self.sha256, "version": self.version,
                "fingerprint": self.fingerprint, "languages": self.languages,
                "release": self.release, "identical": self.identical,
                "appended_bytes": self.updates, "ok": self.ok,
                "signatures": [s.as_dict() for s in self.signatures],
                "problems": self.problems, "notes": self.notes}


def verify(folder: Path, pdf: Path, *, today: dt.date) -> Verification:
    """Check `pdf` against the network's releases and signatures.yaml."""
    raw = _read(pdf)
    found = Verification(pdf, hashlib.sha256(raw).hexdigest())
    reader = _reader(raw, pdf)
    info = _info(reader)
    from mouctl.render import pdf as pdf_writer

    found.version = info.get(pdf_writer.VERSION_KEY)
    found.fingerprint = info.get(pdf_writer.FINGERPRINT_KEY)
    found.languages = [x for x in info.get(pdf_writer.LANGUAGES_KEY, "").split(",") if x]
    if not found.version or not found.fingerprint or not found.languages:
        found.problems.append("the PDF carries no mouctl release metadata: it was not "
                              "rendered by mouctl, or its metadata was removed")
        return found
    repository = _Repository(folder)  # one handle: the release is found and read once
    try:
        release = _release(repository, found)
        if release is None:
            return found
        expected = _rendered(folder, repository, release, found, today)
    finally:
        repository.close()
    if expected is None:
        return found
    _compare(raw, expected, found)
    if found.identical or raw.startswith(expected):
        _signatures(folder, reader, release, len(expected), found, today)
    return found


def _read(pdf: Path) -> bytes:
    try:
        raw = pdf.read_bytes()
    except FileNotFoundError:
        raise MouError(f"'{pdf}' does not exist", "check the file name") from None
    except OSError as exc:
        raise MouError(f"cannot read '{pdf}': {exc.strerror or exc}",
                       "check that it is a readable file") from None
    if not raw.startswith(b"%PDF-"):
        raise MouError(f"'{pdf}' is not a PDF file (it does not start with %PDF-)",
                       "verify the PDF the partner sent back, not a scan or a Word file")
    return raw


def _reader(raw: bytes, pdf: Path):
    import io

    try:
        from pyhanko.pdf_utils.reader import PdfFileReader
    except ImportError:
        raise MouError("verify needs pyHanko to read PDFs, which is not installed",
                       INSTALL_HINT) from None
    try:
        return PdfFileReader(io.BytesIO(raw), strict=False)
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many kinds for broken files
        raise MouError(f"'{pdf}' cannot be read as a PDF: {exc}",
                       "the file is damaged; ask the partner to send it again") from None


def _info(reader) -> dict[str, str]:
    try:
        info = reader.trailer_view["/Info"]
        return {str(k).lstrip("/"): str(v) for k, v in info.items()}
    except Exception:  # noqa: BLE001 - no or broken information dictionary
        return {}


class _Repository:
    """The network's repository, opened on first use and once for the command."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.session = folder, None

    def open(self):
        from mouctl.history.session import Session

        if self.session is None:
            self.session = Session(self.folder)
        return self.session

    def close(self) -> None:
        if self.session is not None:
            self.session.close()


def _release(repository: _Repository, found: Verification):
    from mouctl.history import tags as release_notes

    if release_notes.version_of(found.version) is None:
        found.problems.append(f"the PDF is '{found.version}', not a released version: only "
                              "a release is signed")
        return None
    try:
        release = repository.open().find_release(found.version)
    except GitError as exc:
        found.problems.append(f"the PDF says it is {found.version}, but {exc.message}")
        return None
    found.release = release.tag
    if release.data_fingerprint and release.data_fingerprint != found.fingerprint:
        found.problems.append(
            f"the PDF carries the data fingerprint {found.fingerprint}, but release "
            f"{release.tag} recorded {release.data_fingerprint}: it is not that release's "
            "data")
        return None
    return release


def _rendered(folder: Path, repository: _Repository, release, found: Verification,
              today: dt.date) -> bytes | None:
    """The release's PDF, rendered again as the PDF says it was (languages)."""
    from mouctl.history import revisions as history
    from mouctl.render import engine, pdf

    loaded = repository.open().loaded(release.commit, today=today)
    if loaded.network is None or loaded.errors:
        found.problems.append(f"the data of {release.tag} is invalid, so its document "
                              "cannot be rendered to compare")
        return None
    fingerprint = loaded.network.fingerprint()
    if fingerprint != found.fingerprint:
        found.problems.append(f"the data at {release.tag} has the fingerprint "
                              f"{fingerprint}, not the PDF's {found.fingerprint}")
        return None
    if not pdf.available():
        found.problems.append("the content was not compared: rendering the release "
                              "needs WeasyPrint (" + INSTALL_HINT + ")")
        return None
    from mouctl.api import templates_for

    template = templates_for(folder)  # the rule `mouctl render` follows
    lang, *rest = found.languages
    return engine.render(loaded.network, "pdf", lang=lang, bilingual=rest[0] if rest else None,
                         version=release.tag, template=template,
                         edition=history.release_edition(release))


def _compare(raw: bytes, expected: bytes, found: Verification) -> None:
    if raw == expected:
        found.identical = True
    elif raw.startswith(expected):
        found.identical = True
        found.updates = len(raw) - len(expected)
    else:
        at = next((i for i, (a, b) in enumerate(zip(raw, expected, strict=False)) if a != b),
                  min(len(raw), len(expected)))
        found.problems.append(
            f"the content differs from {found.release}'s document (first difference at "
            f"byte {at} of {len(raw)}): the PDF was changed after it was rendered")
        found.notes.append("if the network's templates, mouctl or WeasyPrint changed since "
                           "the PDF was rendered, render the release again with this "
                           "installation and compare: "
                           f"mouctl render --at {found.release} -f pdf -o check.pdf")


def _signatures(folder: Path, reader, release, released_length: int,
                found: Verification, today: dt.date) -> None:
    sigs = list(reader.embedded_signatures)
    if not sigs:
        if found.updates:
            found.problems.append(f"{found.updates} bytes were appended to the released "
                                  "document, and they hold no signature")
        return
    from mouctl.ledger import signatures as ledger

    try:
        entries = [s for s in ledger.read(folder).signatures
                   if s.release == release.version]
    except MouError:
        entries = []
        found.notes.append(f"{ledger.LEDGER} could not be read; signers not compared")
    for sig in sigs:
        found.signatures.append(_check(sig, released_length, entries))


def _check(sig, released_length: int, entries: list) -> SignatureCheck:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    # No fetching: verify works offline, and trust in national e-ID roots is the
    # reader's own judgement; "trusted" is reported, never required.
    context = ValidationContext(allow_fetching=False)
    try:
        status = validate_pdf_signature(sig, context)
    except Exception as exc:  # noqa: BLE001 - a malformed signature is a finding
        return SignatureCheck(str(sig.field_name), "unknown", None, False, False, False,
                              problems=[f"the signature cannot be validated: {exc}"])
    cert = status.signing_cert
    names = cert.subject.native if cert is not None else {}
    signer = (names.get("common_name") or cert.subject.human_friendly) if cert else "unknown"
    when = sig.self_reported_timestamp
    start, first_len, second_start, second_len = (int(x) for x in sig.byte_range)
    covered_end = second_start + second_len
    covers = (start == 0 and covered_end >= released_length
              and status.coverage is not None
              and status.coverage >= SignatureCoverageLevel.ENTIRE_REVISION)
    check = SignatureCheck(str(sig.field_name), str(signer),
                           when.isoformat() if when else None,
                           bool(status.intact and status.valid), covers, bool(status.trusted))
    if not check.intact:
        check.problems.append("the signature is broken: the signed bytes were changed")
    if not covers:
        check.problems.append("the signature does not cover the whole released document")
    # Later signatures are form filling; anything beyond that changed the document.
    modified = getattr(status, "modification_level", None)
    if modified is not None and (modified is ModificationLevel.OTHER
                                 or getattr(status, "docmdp_ok", True) is False):
        check.problems.append("the document was changed after this signature")
    wanted = _name_key(check.signer)
    for entry in entries:
        if _name_key(entry.signatory) == wanted:
            check.recorded = entry.partner
    return check


def _name_key(name: str) -> str:
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
