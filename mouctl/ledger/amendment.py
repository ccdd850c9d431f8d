"""The documents about a change of the MoU: the redline and the amendment instrument.

Both compare two versions of the network (releases, commits or the working tree)
read through `history`, render each as a document tree with the network's own
templates, and word the changes for the document (`changes.phrasing.for_document`)
in the document's language. The amendment is numbered only when its changes need
signatures; an administrative release gets a notice of changes instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from mouctl.changes import lifecycle, phrasing
from mouctl.changes import redline as redlines
from mouctl.errors import InvalidNetwork, UsageError
from mouctl.history import comparison as comparisons
from mouctl.history import revisions as history
from mouctl.history import tags as release_notes
from mouctl.history.session import Session
from mouctl.render import instruments
from mouctl.render.document import Document, Section

# What a redline's revision marks are attributed to when git has no identity.
DEFAULT_AUTHOR = "mouctl"


@dataclass
class _Words:
    """The fixed texts of one language of the network's template."""

    lang: str
    languages: object  # render.context.Languages

    def say(self, key: str, default: object = KeyError) -> str | None:
        """The fixed text `key`; `default` (or the key itself) when the catalogue lacks it."""
        value = self.languages.catalogue.lookup(self.languages.fixed_langs[self.lang], key)
        if not isinstance(value, str):
            value = self.languages.fixed_in(self.lang, key)
        if isinstance(value, str):
            return value
        return key if default is KeyError else default

    def date(self, day: dt.date | None) -> str | None:
        return self.languages.date_in(day, self.lang) if day else None

    def iso_date(self, text: str) -> str:
        """`2029-08-31` as the document writes dates (31 August 2029)."""
        try:
            return self.date(dt.date.fromisoformat(text)) or text
        except ValueError:
            return text

    def labels(self) -> dict[str, str]:
        keys = ("version", "fingerprint", "page", "page_of", "file_code")
        out = {k: self.say(k) for k in keys}
        out.update({k: self.say(f"labels.{k}") for k in ("place", "date", "signature")})
        return out


def _words(network, lang: str | None, template: Path | None) -> _Words:
    from mouctl.render import catalogue, engine
    from mouctl.render.context import Languages

    first = network.languages[0]
    chosen = lang or first
    found = catalogue.load(engine.template_set(template).folders)
    return _Words(chosen, Languages([chosen], first, found))


def _signer(partner, lang: str, words: _Words) -> instruments.Signer:
    from mouctl.model.network import text

    signatory = getattr(partner, "signatory", None)
    return instruments.Signer(
        legal_name=text(partner.name, lang) or partner.id,
        country=words.say(f"countries.{partner.country}", partner.country),
        signatory=getattr(signatory, "name", None) if signatory else None,
        position=text(getattr(signatory, "position", None), lang) if signatory else None,
        anchor=f"signature/{partner.id}")


def _valid(comparison) -> None:
    if not comparison.valid:
        bad = [v for v in (comparison.old, comparison.new) if not v.valid]
        raise InvalidNetwork([d for v in bad for d in v.loaded.errors],
                             "cannot compare: the network data at "
                             + " and ".join(v.label for v in bad) + " has errors")


def worded_changes(comparison, words: _Words) -> list[phrasing.Worded]:
    """The comparison's changes as the document words them."""
    old, new = comparison.old.loaded.network, comparison.new.loaded.network
    return [phrasing.for_document(c, old, new, words.say, date=words.iso_date)
            for c in comparison.changes]


def redline_document(folder: Path, comparison, *, lang: str | None = None,
                     template: Path | None = None, author: str | None = None,
                     today: dt.date | None = None) -> tuple[Document, redlines.Redline]:
    """The redline of a comparison: the new version with every difference marked,
    opened by the summary of changes, their verdict and who must sign again."""
    from mouctl.render import engine

    _valid(comparison)
    new = comparison.new.loaded.network
    # Each version with its own annex files: a changed annexed text is marked too.
    trees = [engine.document(v.loaded.network, lang=lang, template=template,
                             version=comparisons.version_label(folder, v),
                             annexes=history.annex_texts(folder, v.rev, v.loaded.network))
             for v in (comparison.old, comparison.new)]
    marked = redlines.compare(*trees)
    words = _words(new, lang, template)
    signers = [_signer(p, words.lang, words) for p in new.partners
               if p.id in set(comparison.must_sign)]
    summary = instruments.summary(worded_changes(comparison, words), signers, words.say,
                                  old=comparison.old.label, new=comparison.new.label)
    when = (today or dt.date.today()).isoformat() + "T00:00:00Z"
    document = _with_summary(marked.document, summary)
    document = replace(document, version=f"{trees[0].version} → {trees[1].version}",
                       revision=(author or DEFAULT_AUTHOR, when))
    return document, marked


def _with_summary(document: Document, summary: Section) -> Document:
    """The summary right under the title (before the first numbered section)."""
    root = document.children[0] if document.children else None
    if not isinstance(root, Section) or root.level != 1:
        return replace(document, children=[summary, *document.children])
    children = list(root.children)
    at = next((i for i, b in enumerate(children) if isinstance(b, Section)), len(children))
    children.insert(at, summary)
    return replace(document, children=[replace(root, children=children),
                                       *document.children[1:]])


# -- the amendment instrument ---------------------------------------------------------


def default_revisions(folder: Path, old: str | None, new: str | None, *,
                      session: Session | None = None) -> tuple[str, str | None]:
    """OLD: the release in force (else the one before NEW); NEW: the latest release,
    or the working tree when it differs from it (a draft). `session`: the command's
    repository, when it has one open."""
    releases = session.releases() if session else history.releases(folder)
    if not releases:
        raise UsageError("there is no release yet, so there is nothing to amend",
                         "release the MoU first: mouctl release 1.0 -m \"First version\"")
    if new is None and old is None and history.has_uncommitted_changes(
            session.loc if session else history.locate(folder)):
        return releases[0].tag, None
    if new is None:
        new = releases[0].tag
    if old is None:
        before = [r for r in releases if r.tag != new and _older(r, new, releases)]
        if not before:
            raise UsageError(f"{new} is the first release: it is the MoU itself, "
                             "not an amendment", "name two releases: mouctl amendment "
                             "mou-v1.0 mou-v1.1")
        old = before[0].tag
    return old, new


def _older(release, new: str, releases) -> bool:
    order = [r.tag for r in releases]  # newest first
    return new not in order or order.index(release.tag) > order.index(new)


def amendment_document(folder: Path, old: str | None = None, new: str | None = None, *,
                       lang: str | None = None, template: Path | None = None,
                       effective: dt.date | None = None,
                       today: dt.date | None = None,
                       as_release: tuple | None = None) -> Document:
    """The amendment (or notice of changes) from `old` to `new` as a document tree.

    `as_release` = (version, date, document fingerprint, substantive) states the
    release `new` is about to become (`mouctl release --amendment`, before its tag).
    """
    with Session(folder) as session:  # one repository handle, the releases listed once
        return _amendment_document(session, folder, old, new, lang=lang, template=template,
                                   effective=effective, today=today, as_release=as_release)


def _amendment_document(session: Session, folder: Path, old: str | None, new: str | None,
                        *, lang, template, effective, today, as_release) -> Document:
    old, new = default_revisions(folder, old, new, session=session)
    comparison = comparisons.compare_revisions(folder, old, new, today=today, session=session)
    _valid(comparison)
    if not comparison.changes:
        raise UsageError(f"{comparison.old.label} and {comparison.new.label} agree: "
                         "there is nothing to amend", "change the network data first")
    if lifecycle.is_adhesion(comparison.changes):
        joining = lifecycle.adherents(comparison.changes)
        raise UsageError(
            f"from {comparison.old.label} to {comparison.new.label} the only substantive "
            f"change is that {', '.join(joining)} joins by adhesion: that is no amendment, "
            "each organisation joining signs its declaration of adhesion",
            f"write it once released: mouctl adhesion {joining[0]} -o "
            f"adhesion-{joining[0]}.pdf")
    after = comparison.new.loaded.network
    words = _words(after, lang, template)
    releases = session.releases()
    old_release = next((r for r in releases if r.tag == old), None)
    new_release = next((r for r in releases if r.tag == new), None)
    substantive = comparison.substantive
    number = amendment_number(releases, new_release) if substantive else None
    if effective is None and new_release is not None:
        effective = _effective(new_release)
    new_version = new_release.version if new_release else None
    document_fp = new_release.document_fingerprint if new_release else None
    if as_release is not None:
        new_version, _, document_fp, _ = as_release
    from mouctl.model.network import text

    facts = instruments.Instrument(
        mou_title=text(after.title, words.lang) or "",
        file_code=after.file_code,
        number=number,
        old_version=old_release.version if old_release else comparison.old.label,
        old_date=words.date(old_release.date.date()) if old_release and old_release.date
        else None,
        new_version=new_version or words.say("amendment.draft"),
        parties=[_signer(p, words.lang, words) for p in after.partners],
        changes=worded_changes(comparison, words),
        signers=[_signer(p, words.lang, words) for p in after.partners
                 if p.id in set(comparison.must_sign)],
        effective=words.date(effective),
        data_fingerprint=after.fingerprint(),
        document_fingerprint=document_fp,
        draft=new_version is None,
    )
    return instruments.amendment(facts, words.say, words.lang, list(after.languages),
                                 words.labels())


def amendment_number(releases, new_release) -> int:
    """1 + the releases before `new_release` that needed signatures (not the first)."""
    ordered = sorted(releases, key=lambda r: release_notes.version_key(r.version))
    if new_release is not None:
        ordered = [r for r in ordered
                   if release_notes.version_key(r.version)
                   < release_notes.version_key(new_release.version)]
    earlier = [r for r in ordered[1:] if _needed_signatures(r)]
    return len(earlier) + 1


def _needed_signatures(release) -> bool:
    """A release whose tag lists substantive changes (the first is the MoU itself) and
    that every partner signs (an adhesion is signed by those joining only: no amendment)."""
    return bool(release_notes.parse_message(release.version, release.message or "").substantive
                ) and not release.signers


def _effective(release) -> dt.date | None:
    """The date `release --effective` recorded in the tag, if any."""
    value = release_notes.parse_message(release.version, release.message or "").trailers.get(
        release_notes.EFFECTIVE)
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


_EXTENSIONS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
               ".docx": "docx", ".pdf": "pdf"}


def format_of(path: Path, chosen: str | None = None) -> str:
    """The format a file name asks for; a contradiction with `chosen` is refused."""
    by_name = _EXTENSIONS.get(Path(path).suffix.lower())
    if chosen and by_name and chosen != by_name:
        raise UsageError(f"--format {chosen} does not match the file name '{Path(path).name}'; "
                         "nothing was written", f"name the file *.{chosen} or leave --format out")
    found = chosen or by_name
    if found is None:
        raise UsageError(f"cannot tell the format from '{Path(path).name}'",
                         "use one of the extensions .md, .html, .docx, .pdf")
    return found


def write(document: Document, fmt: str, template: Path | None = None) -> bytes:
    """A document tree of this module in md, html, docx or pdf."""
    from mouctl.render import engine

    if fmt not in engine.FORMATS:
        raise UsageError(f"unknown format '{fmt}'", f"choose one of {', '.join(engine.FORMATS)}")
    templates = engine.template_set(template)
    return engine.write(document, fmt, templates)
