"""Documents about a change of the MoU, as document trees: the amendment instrument,
the notice of administrative changes, and the summary that opens every redline.

Pure: the caller (`mouctl.ledger.amendment`, the diff use case) gathers the facts
from the history; this module words them in the document's language (the
template's catalogue, `amendment.*` keys) and lays them out as blocks that the
ordinary writers print in Markdown, HTML, PDF or Word. Nothing here prints an id,
a field path or a git word.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mouctl.changes.phrasing import Worded
from mouctl.render.document import (
    Document,
    Group,
    Item,
    ItemList,
    Paragraph,
    Row,
    Run,
    Section,
    Table,
)


@dataclass
class Signer:
    """An organisation that must sign, as its signature block shows it."""

    legal_name: str
    country: str | None = None
    signatory: str | None = None
    position: str | None = None
    anchor: str | None = None


@dataclass
class Instrument:
    """The facts an amendment or a notice of changes states."""

    mou_title: str
    file_code: str | None
    number: int | None            # the amendment's number; None: a notice of changes
    old_version: str              # "1.0"
    old_date: str | None          # the release date of the amended version, localised
    new_version: str              # "1.1", or the draft's label
    parties: list[Signer]
    changes: list[Worded]
    signers: list[Signer]         # exactly the organisations that must sign
    effective: str | None         # a localised date, or None: on the last signature
    data_fingerprint: str
    document_fingerprint: str | None = None
    draft: bool = False
    notes: list[str] = field(default_factory=list)


def _runs(text: str, *, bold: bool = False) -> tuple[Run, ...]:
    return (Run(text, bold=bold),)


def _p(text: str, *, bold: bool = False, anchor: str | None = None) -> Paragraph:
    return Paragraph(_runs(text, bold=bold), anchor=anchor)


def amendment(facts: Instrument, say, lang: str, langs: list[str],
              labels: dict[str, str]) -> Document:
    """The signable amendment (or, without a number, the notice of changes)."""
    title = (say("amendment.title").format(number=facts.number) if facts.number
             else say("amendment.notice_title"))
    if facts.draft:
        title = f"{say('amendment.draft')}: {title}"
    head: list = [_p(say("amendment.of_version").format(
        title=facts.mou_title, version=facts.old_version,
        date=facts.old_date or "—"))]
    if facts.file_code:
        head.append(_p(f"{labels.get('file_code', 'File code')}: {facts.file_code}"))
    sections: list = []
    n = 0

    def numbered(heading: str, children: list, anchor: str) -> Section:
        nonlocal n
        n += 1
        return Section(2, _runs(f"{n}. {heading}"), children, anchor=anchor)

    sections.append(numbered(say("amendment.parties"), [
        _p(say("amendment.parties_intro")),
        ItemList([Item(_runs(_org(s)), anchor=s.anchor) for s in facts.parties])],
        "section/parties"))
    changes: list = [_p(say("amendment.changes_intro"))]
    for i, change in enumerate(facts.changes, 1):
        what = change.verb if change.field is None else f"{change.field}: {change.verb}"
        rows = []
        if change.old is not None:
            rows.append(Row([_runs(say("amendment.was")), _runs(change.old)]))
        if change.new is not None:
            rows.append(Row([_runs(say("amendment.now")), _runs(change.new)]))
        body: list = [_p(what)]
        if rows:
            body.append(Table(None, rows, align=[None, None]))
        changes.append(Section(3, _runs(f"{n + 1}.{i} {change.subject}"), body,
                               anchor=f"change/{i}"))
    sections.append(numbered(say("amendment.changes"), changes, "section/changes"))
    if facts.number:
        effective = (say("amendment.effective_on").format(date=facts.effective)
                     if facts.effective else say("amendment.effective_signature"))
    else:
        effective = (say("amendment.notice_effective").format(date=facts.effective)
                     if facts.effective else say("amendment.notice_now"))
    sections.append(numbered(say("amendment.effective"),
                             [_p(effective), _p(say("amendment.rest"))], "section/effective"))
    if facts.number:
        blocks: list = [_p(say("amendment.signatures_intro"))]
        for s in facts.signers:
            inner = [_p(_org(s), bold=True)]
            if s.signatory:
                inner.append(_p(s.signatory + (f", {s.position}" if s.position else "")))
            inner.append(_p(f"{labels.get('place', 'Place')}, {labels.get('date', 'Date')}: "
                            + "." * 50))
            inner.append(_p(f"{labels.get('signature', 'Signature')}: " + "." * 50))
            blocks.append(Group("signature", inner, anchor=s.anchor))
    footer = Group("footer", [_p(say("amendment.fingerprints").format(
        data=facts.data_fingerprint, document=facts.document_fingerprint or "—"))])
    if facts.number:
        # The fingerprints close the signature page (it ends the document's last page).
        sections.append(Section(2, _runs(f"{n + 1}. {say('amendment.signatures')}"),
                                [*blocks, footer], anchor="section/signatures"))
    else:
        sections.append(footer)
    root = Section(1, _runs(title), [*head, *sections], anchor=None)
    version = facts.new_version
    return Document([root], lang=lang, langs=langs, title=title, version=version,
                    fingerprint=facts.data_fingerprint, file_code=facts.file_code,
                    labels=labels)


def _org(s: Signer) -> str:
    return f"{s.legal_name} ({s.country})" if s.country else s.legal_name


def summary(changes: list[Worded], must_sign: list[Signer], say, *, old: str,
            new: str) -> Section:
    """The section that opens a redline: each change in words, its verdict, who signs."""
    blocks: list = [_p(say("amendment.redline_intro").format(old=old, new=new))]
    if not changes:
        blocks.append(_p(say("amendment.verdict_none")))
        return Section(2, _runs(say("amendment.summary")), blocks, anchor="section/summary")
    substantive = any(c.substantive for c in changes)
    blocks.append(_p(say("amendment.verdict_substantive" if substantive
                         else "amendment.verdict_administrative"), bold=True))
    items = []
    for c in changes:
        kind = say("amendment.kind_substantive" if c.substantive
                   else "amendment.kind_administrative")
        what = c.verb if c.field is None else f"{c.field}: {c.verb}"
        detail = ""
        if c.old is not None and c.new is not None:
            detail = f" ({c.old} → {c.new})"
        elif c.new is not None:
            detail = f" ({c.new})"
        elif c.old is not None:
            detail = f" ({c.old})"
        items.append(Item(_runs(f"{c.subject} – {what}{detail} [{kind}]")))
    blocks.append(ItemList(items))
    if must_sign:
        blocks.append(_p(say("amendment.must_sign") + ": "
                         + "; ".join(_org(s) for s in must_sign)))
    return Section(2, _runs(say("amendment.summary")), blocks, anchor="section/summary")
