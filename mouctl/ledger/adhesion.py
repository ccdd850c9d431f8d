"""The declaration of adhesion: how an organisation joins an MoU open to adhesion.

A release whose only substantive change is that organisations join by adhesion
lists them as its signers (`Signers:` in the tag). Each of them signs its own
declaration of adhesion, bound to that release: it names the MoU, the release's
version, date and fingerprints, the organisation with its roles, and the partners
already bound, and it carries one signature block. It is written from the
template `adhesion.md.j2` with the MoU context of that release, so its languages,
fixed texts and formats are the MoU's. `mouctl sign` then records the signature;
the organisation is bound from its date (`ledger.binding`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from mouctl.errors import InvalidNetwork, UsageError
from mouctl.history import revisions as history
from mouctl.render.context import Record
from mouctl.render.edition import Edition

ADHESION = "adhesion.md.j2"


@dataclass
class Declaration:
    """A rendered declaration of adhesion and what it is bound to."""

    data: bytes
    format: str
    partner: str
    release: history.Release
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # e.g. "this rendering is a translation"


def adhesion_release(releases: list, partner: str, version: str | None = None):
    """The release `partner` adheres to: `version`, else the newest that asks it to
    sign its adhesion; UsageError (with what to do) when there is none."""
    if version is not None:
        release = history.pick_release(releases, version)
        if partner not in (release.signers or []):
            raise UsageError(
                f"{partner} does not join {release.tag} by adhesion, so there is no "
                "declaration of adhesion to it",
                _joins_hint(releases, partner))
        return release
    for release in releases:  # newest first
        if partner in (release.signers or []):
            return release
    raise UsageError(f"no release has {partner} joining by adhesion",
                     _joins_hint(releases, partner))


def _joins_hint(releases: list, partner: str) -> str:
    found = [r.tag for r in releases if partner in (r.signers or [])]
    if found:
        return f"{partner} joins by adhesion in {', '.join(found)}: name that release"
    return ("an organisation joins by adhesion when the MoU has `open_to_adhesion: true` and "
            "a release adds it with no other substantive change: add it to the network "
            "data, commit, and `mouctl release`")


def declaration(folder: Path, partner: str, fmt: str = "md", *, version: str | None = None,
                lang: str | None = None, bilingual: str | None = None,
                template: Path | None = None, today: dt.date | None = None) -> Declaration:
    """The declaration of adhesion of `partner` to its adhesion release, in `fmt`."""
    from mouctl.render import engine

    releases = history.releases(folder)
    if not releases:
        raise UsageError("there is no release yet, so nobody can adhere to one",
                         "release the MoU first: mouctl release 1.0 -m \"First version\"")
    release = adhesion_release(releases, partner, version)
    loaded = history.network_at(folder, release.tag, today=today)
    if loaded.network is None or loaded.errors:
        raise InvalidNetwork(loaded.diagnostics,
                             f"cannot write the declaration: the network data of {release.tag} "
                             "has errors")
    network = loaded.network
    if network.partner(partner) is None:  # a hand-made tag naming an unknown signer
        raise UsageError(f"{release.tag} names {partner} as a signer, but its network data "
                         "has no such partner", "check the release tag: git show "
                         f"{release.tag}")
    if bilingual is None and lang is None and len(network.languages) > 1:
        bilingual = network.languages[1]  # the MoU's languages side by side
    day = release.date.date() if release.date else None
    edition = Edition(label=release.tag, release=release.tag, version=release.version,
                      date=day)
    fingerprint = release.data_fingerprint or network.fingerprint()
    prepared = engine.prepare(network, lang=lang, version=release.tag, template=template,
                              bilingual=bilingual, fingerprint=fingerprint, edition=edition)
    context = dict(prepared.context)
    mou = context["mou"]
    context["adherent"] = next(p for p in mou.partners if p.id == partner)
    joining = set(release.signers or [])
    context["others"] = [p for p in mou.partners if p.id not in joining]
    context["release"] = Record(_kind="release", tag=release.tag, version=release.version,
                                date=day, fingerprint=fingerprint,
                                document=release.document_fingerprint or "—")
    tree = engine.named_document(prepared, ADHESION, context, title_key="adhesion.title")
    data = engine.write(tree, fmt, prepared.templates)
    return Declaration(data, fmt, partner, release, list(prepared.warnings),
                       list(prepared.notices))
