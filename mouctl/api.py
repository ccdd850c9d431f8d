"""mouctl's Python API: the use cases a script, another tool or the CLI calls.

Each function is one thing a coordinator does (load, render, compare, release,
sign, status); the CLI parses options, calls exactly one of these and prints the
result. They raise `mouctl.errors.MouError` subclasses and never print.
`mouctl/__init__.py` exports them lazily, so `import mouctl` stays cheap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

NETWORK_TEMPLATES = "templates"  # a network's own template folder, next to network.yaml
FORMATS = ("md", "html", "docx", "pdf")


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


# -- the network ----------------------------------------------------------------------


def load(folder: str | Path = ".", *, today: dt.date | None = None):
    """Load and check the network in `folder`: a `Loaded` with `.network` (None when
    invalid) and `.diagnostics` (every problem with file, line and field)."""
    from mouctl.source import loader

    return loader.load(Path(folder), today=_today(today))


def validate(folder: str | Path = ".", *, strict: bool = False,
             today: dt.date | None = None):
    """The valid network in `folder`, or InvalidNetwork carrying every diagnostic
    (with `strict`, warnings count as errors)."""
    return load(folder, today=today).require(strict=strict)


def network_at(folder: str | Path, rev: str | None, *, today: dt.date | None = None):
    """The network as it was at git revision `rev` (None: the working tree), as `Loaded`."""
    from mouctl.history import revisions

    return revisions.network_at(Path(folder), rev, today=_today(today))


# -- the document ---------------------------------------------------------------------


@dataclass
class Rendered:
    """A rendered MoU: the file's bytes and what the reader should know about it."""

    data: bytes
    format: str
    version: str  # the label printed in the footer (release, commit or draft)
    fingerprint: str  # the data fingerprint printed in the footer
    partners: int
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # e.g. "this rendering is a translation"


def templates_for(folder: str | Path, template: str | Path | None = None) -> Path | None:
    """The template a network's documents use: `template` when given, else the
    network's own `templates/` folder when it has one, else None (the default)."""
    if template is not None:
        return Path(template)
    own = Path(folder) / NETWORK_TEMPLATES
    return own if own.is_dir() else None


def version_label(folder: str | Path, rev: str | None = None) -> str:
    """What a document made from the network at `rev` calls its version (its annex
    files count like its data, so the network is read to find them)."""
    from mouctl.history import revisions

    network = network_at(Path(folder), rev).network
    return revisions.version_label(Path(folder), rev, revisions.annex_names(network))


def render_document(folder: str | Path = ".", fmt: str = "md", *, at: str | None = None,
           lang: str | None = None, bilingual: str | None = None,
           template: str | Path | None = None, today: dt.date | None = None) -> Rendered:
    """Render the network in `folder` (at revision `at`) as md, html, docx or pdf.

    Invalid data raises InvalidNetwork with every diagnostic; nothing is written.
    """
    from mouctl.errors import InvalidNetwork
    from mouctl.render import engine
    from mouctl.text import plural

    folder = Path(folder)
    loaded = network_at(folder, at, today=today)
    if loaded.network is None or loaded.errors:
        where = f" at {at}" if at else ""
        raise InvalidNetwork(loaded.diagnostics, "cannot render: the network data"
                             f"{where} has {plural(len(loaded.errors), 'error')}")
    network = loaded.network
    warnings: list[str] = []
    if loaded.release_requirements:
        warnings.append(f"this is a draft: {len(loaded.release_requirements)} thing(s) needed "
                        "before release are missing; `mouctl validate --for-release` lists "
                        "them")
    chosen = templates_for(folder, template)
    if chosen is not None and template is None and at is not None:
        warnings.append(f"using the templates/ folder of the working tree, not those at {at}")
    from mouctl.history import revisions

    names = revisions.annex_names(network)
    edition = revisions.edition(folder, at, today=_today(today), annexes=names)
    version = edition.label
    fingerprint = network.fingerprint()
    notices: list[str] = []
    # The annexed texts as they were at `at`: what the partners signed with that data.
    annexes = revisions.annex_texts(folder, at, network)
    partners = len(network.partners)
    if at is not None and edition.release:
        given = network  # the wording note below reads it
    else:
        # Handed over: the engine lets the network go once its template context is
        # built, and the document reuses its memory (L: Word peak 152 -> 146 MiB).
        given, network, loaded = engine.Handed(network), None, None
    data = engine.render(given, fmt, lang=lang, version=version, template=chosen,
                         bilingual=bilingual, warnings=warnings, fingerprint=fingerprint,
                         annexes=annexes, edition=edition, notices=notices)
    del given
    if at is not None and edition.release:
        from mouctl.ledger import status as statuses

        release = next((r for r in revisions.releases(folder) if r.tag == edition.release),
                       None)
        note = statuses.wording_note(folder, release, network, fingerprint=fingerprint) \
            if release else None
        if note:
            warnings.append(note)
    return Rendered(data, fmt, version, fingerprint, partners, warnings, notices)


def annex_files(folder: str | Path, network) -> dict[str, bytes]:
    """The contents of the annex files the network names in the working tree (those
    that can be read); `revisions.annex_texts` reads them at a revision."""
    from mouctl.history import revisions

    return revisions.annex_texts(Path(folder), None, network)


def render_network(network, fmt: str = "md", *, lang: str | None = None,
                   version: str = "draft", template: str | Path | None = None,
                   bilingual: str | None = None) -> bytes:
    """Render a `Network` model you already hold (no git, no files read but templates)."""
    from mouctl.render import engine

    return engine.render(network, fmt, lang=lang, version=version, template=template,
                         bilingual=bilingual)


# -- comparing versions ---------------------------------------------------------------


def compare(old, new) -> list:
    """Every change from network `old` to network `new` (two `Network` models), each
    with its section, item, field, old and new value and whether it is substantive."""
    from mouctl.changes import compare as changes

    return changes.compare(old, new)


def compare_revisions(folder: str | Path = ".", old: str | None = None,
                      new: str | None = None, *, today: dt.date | None = None):
    """Compare the network at revision `old` (default: the last release, else HEAD)
    with `new` (default: the working tree): a `Comparison` with the changes, the
    verdict and who must sign again."""
    from mouctl.history import comparison

    return comparison.compare_revisions(Path(folder), old, new, today=_today(today))


def rendered_redline(comparison, *, lang: str | None = None, author: str | None = None,
                     today: dt.date | None = None):
    """The redline of a valid comparison: `(document, redline)`, the document being the
    new version with every difference marked and the summary of changes first; both
    versions rendered with the network's own templates (as `render` does)."""
    from mouctl.ledger import amendment

    template = templates_for(comparison.folder) if comparison.folder else None
    return amendment.redline_document(comparison.folder, comparison, lang=lang,
                                      template=template, author=author or _author(),
                                      today=_today(today))


def amendment(folder: str | Path = ".", old: str | None = None, new: str | None = None, *,
              lang: str | None = None, effective: dt.date | None = None,
              today: dt.date | None = None):
    """The amendment instrument from release `old` (default: the one before `new`)
    to `new` (default: the latest release, or the working tree as a draft), as a
    document tree; a notice of changes when no change needs a signature."""
    from mouctl.ledger import amendment as amendments

    return amendments.amendment_document(Path(folder), old, new, lang=lang,
                                         template=templates_for(folder),
                                         effective=effective, today=_today(today))


def write_document(document, fmt: str, folder: str | Path | None = None) -> bytes:
    """A document tree (MoU, redline, amendment) as md, html, docx or pdf bytes."""
    from mouctl.ledger import amendment as amendments

    return amendments.write(document, fmt, templates_for(folder) if folder else None)


def _author() -> str | None:
    """Who a redline's revision marks are attributed to: git's identity, if any."""
    import os
    import subprocess

    name = os.environ.get("GIT_AUTHOR_NAME")
    if name:
        return name
    try:
        found = subprocess.run(["git", "config", "user.name"], capture_output=True,
                               text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return found.stdout.strip() or None


def log(folder: str | Path = ".", *, since: str | None = None, limit: int | None = None,
        progress=None):
    """The versions of the MoU (commits that changed its data), newest first."""
    from mouctl.history import log as versions

    return versions.log(Path(folder), since=since, limit=limit, progress=progress)


# -- releases and signatures ----------------------------------------------------------


def release(folder: str | Path, version: str, reason: str, *,
            amendment: str | Path | None = None, effective: dt.date | None = None,
            today: dt.date | None = None, author: str | None = None, dry_run: bool = False,
            new_mou: bool = False):
    """Release the committed network as `version` (tag mou-vVERSION): checks first,
    then the tag (and the amendment document); returns the plan and the release
    (None with `dry_run`, which checks everything and creates nothing). The tag names
    `author` ("Name <email>") or git's identity; without one, GitError."""
    from mouctl.errors import UsageError
    from mouctl.history.session import Session
    from mouctl.ledger import release as releases

    folder = Path(folder)
    with Session(folder) as session:  # one repository handle for the whole release
        if amendment is not None:
            from mouctl.ledger.amendment import format_of

            format_of(Path(amendment))  # an unknown extension is refused before anything
        plan = releases.plan(folder, version, reason, today=_today(today), session=session,
                             effective=effective, new_mou=new_mou)
        if amendment is not None and plan.previous is None:
            raise UsageError("the first release is the MoU itself, not an amendment",
                             "leave out --amendment for the first release")
        if dry_run:
            from mouctl.history import repo as gitrepo

            gitrepo.identity_from_git(session.loc.git_dir, author)
            return plan, None
        made = releases.create(folder, plan, amendment=Path(amendment) if amendment else None,
                               today=_today(today), session=session, author=author)
    return plan, made


def sign(folder: str | Path, partner: str, *, signatory: str, place: str,
         date: str | dt.date | None = None, release: str | None = None,
         note: str | None = None, file: str | None = None, today: dt.date | None = None,
         author: str | None = None, force: bool = False, dry_run: bool = False):
    """Record and commit `partner`'s signature of a release (default: the latest).

    A date after today or another signatory than the release names needs `force`;
    `dry_run` checks everything and commits nothing."""
    from mouctl.ledger import signatures

    now = _today(today)
    when = date.isoformat() if isinstance(date, dt.date) else (date or now.isoformat())
    return signatures.sign(Path(folder), partner, signatory=signatory, date=when,
                           place=place, version=release, note=note, file=file, today=now,
                           author=author, force=force, dry_run=dry_run)


def withdraw(folder: str | Path, partner: str, *, date: str | dt.date,
             note: str | None = None, today: dt.date | None = None):
    """Record and commit `partner`'s notice of withdrawal (the MoU must provide for it)."""
    from mouctl.ledger import withdrawal

    when = date.isoformat() if isinstance(date, dt.date) else date
    return withdrawal.withdraw(Path(folder), partner, date=when, note=note,
                               today=_today(today))


def adhesion(folder: str | Path, partner: str, fmt: str = "md", *,
             release: str | None = None, lang: str | None = None,
             bilingual: str | None = None, template: str | Path | None = None,
             today: dt.date | None = None):
    """The declaration of adhesion of `partner` to the release it joins by adhesion
    (`release`, default the newest such release) in `fmt`: `.data`, `.release`,
    `.warnings`. In the MoU's first two languages side by side unless `lang` is given."""
    from mouctl.ledger import adhesion as adhesions

    return adhesions.declaration(Path(folder), partner, fmt, version=release, lang=lang,
                                 bilingual=bilingual, template=templates_for(folder, template),
                                 today=_today(today))


def status(folder: str | Path = ".", *, today: dt.date | None = None):
    """The release in force, who signed it, who must (re-)sign, and any problem."""
    from mouctl.ledger import status as statuses

    return statuses.build(Path(folder), today=_today(today))


# -- learners' mobilities -------------------------------------------------------------


def mobilities(folder: str | Path = ".", *, today: dt.date | None = None) -> list:
    """Every mobility in the network's `mobilities/`, each checked against the MoU
    version it rests on (`Checked`: `.file.mobility`, `.mou`, `.diagnostics`)."""
    from mouctl.mobility import register

    return register.check_all(Path(folder), today=_today(today))


def mobility_document(folder: str | Path, mobility: str, kind: str = "learning-agreement",
                      fmt: str = "md", *, lang: str | None = None,
                      bilingual: str | None = None, template: str | Path | None = None,
                      today: dt.date | None = None) -> Rendered:
    """A mobility's `learning-agreement` or `transcript` (`kind`) in `fmt`, filled from
    the MoU version it rests on; InvalidNetwork while the mobility has errors."""
    from mouctl.errors import InvalidNetwork, UsageError
    from mouctl.mobility import documents, register

    names = {"learning-agreement": documents.LEARNING_AGREEMENT,
             "transcript": documents.TRANSCRIPT}
    if kind not in names:
        raise UsageError(f"unknown document '{kind}'", "choose learning-agreement or transcript")
    folder = Path(folder)
    checked = register.check_one(folder, mobility, today=_today(today))
    if not checked.valid or checked.mou is None:
        refused = InvalidNetwork(checked.diagnostics, f"cannot write the {kind.replace('-', ' ')}"
                                 f": the mobility '{checked.id}' has "
                                 f"{len(checked.file.errors)} error(s)")
        refused.hint = "fix the problems above; `mouctl mobilities` checks every mobility"
        raise refused
    warnings = [f"{d.where()}: {d.message}" for d in checked.diagnostics]
    data = documents.render(names[kind], checked.file.mobility, checked.mou, fmt, lang=lang,
                            bilingual=bilingual, template=templates_for(folder, template),
                            warnings=warnings)
    return Rendered(data, fmt, checked.mou.label, checked.mou.fingerprint,
                    len(checked.mou.network.partners), warnings)


def json_schema() -> dict:
    """The JSON Schema of network.yaml (for editors and CI)."""
    from mouctl.model.network import json_schema as schema

    return schema()
