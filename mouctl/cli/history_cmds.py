"""Commands on the network's git history: diff, log, release, sign, status."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mouctl import collector
from mouctl.cli import completion
from mouctl.cli.app import DocumentFormatOption, NetworkDir, app, today

# -- diff ----------------------------------------------------------------------------

# With --exit-code, 1 and 5 mean "administrative" and "substantive changes", so a
# failure to compare (unknown revision, invalid data) must not look like either.
DIFF_FAILED = 4


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"
    html = "html"
    docx = "docx"
    pdf = "pdf"


@app.command("diff")
@collector.paused()  # large acyclic parts, models, documents (see there)
def diff_cmd(
    old: Annotated[str | None, typer.Argument(
        help="Revision to compare from: a release tag, branch, HEAD~2, hash.",
        autocompletion=completion.release_tags,
        show_default="the last release, else HEAD")] = None,
    new: Annotated[str | None, typer.Argument(
        help="Revision to compare to.", show_default="the working tree, with edits",
        autocompletion=completion.release_tags)] = None,
    network: NetworkDir = Path("."),
    rendered: Annotated[bool, typer.Option(
        "--rendered", help="Show a word-level redline of the rendered MoU instead.")] = False,
    format: Annotated[DiffFormat, typer.Option(
        "--format", "-f", help="text or json; with --rendered: text (terminal), md or html "
        "(a track-changes document).")] = DiffFormat.text,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file instead of standard output.",
        dir_okay=False)] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of the rendered MoU (default: its first language).")] = None,
    exit_code: Annotated[bool, typer.Option(
        "--exit-code", help="Exit 0 without changes, 1 with only administrative changes, "
        "5 with substantive ones (4 when the versions cannot be compared).")] = False,
) -> int:
    """Show what an amendment changes in the agreement, and who must sign again.

    Compares the network at OLD (default: the last release, or HEAD before the
    first one) with NEW (default: the working tree, uncommitted edits included).
    Each change names the item, the field, the old and new value, and whether it
    is substantive (every partner re-signs) or administrative, with the rule
    that decided (see docs/amendments.md). With --rendered it shows the rendered
    MoU with insertions and deletions marked instead; `--format md|html -o FILE`
    writes it as a track-changes document to send to the partners.

    Example: mouctl diff mou-v1.0 --rendered --format html -o amendment.html
    """
    from mouctl.errors import MouError, UsageError

    try:
        return _diff(old, new, network, rendered, format, output, lang, exit_code)
    except MouError as exc:
        if exit_code and not isinstance(exc, UsageError):  # usage errors stay 2
            exc.exit_code = DIFF_FAILED
        raise


def _diff(old, new, network, rendered, format, output, lang, exit_code) -> int:
    import json

    from mouctl import api
    from mouctl.changes import report as change_report
    from mouctl.cli import console
    from mouctl.errors import InvalidNetwork, UsageError

    if format in (DiffFormat.md, DiffFormat.html, DiffFormat.docx, DiffFormat.pdf) \
            and not rendered:
        raise UsageError(f"--format {format} writes the rendered redline",
                         "add --rendered, or use --format text or json for the changes")
    if rendered and format is DiffFormat.json:
        raise UsageError("the rendered redline has no JSON form",
                         "use `mouctl diff --format json` for the changes as data")
    comparison = api.compare_revisions(network, old, new, today=today())
    code = comparison.exit_code if exit_code else 0
    if format is DiffFormat.json:
        from mouctl._version import __version__

        _emit(json.dumps({"mouctl": __version__, **change_report.json_report(comparison)},
                         indent=2,
                         ensure_ascii=False) + "\n", output, network)
    if not comparison.valid:
        bad = [v for v in (comparison.old, comparison.new) if not v.valid]
        # One error per invalid version, each carrying its diagnostics, so the boundary
        # prints them under their heading on standard error.
        cause = None
        for version in bad:
            error = InvalidNetwork(version.loaded.errors,
                                   heading=f"The network data at {version.label} is not valid:")
            error.__cause__ = cause
            cause = error
        raise InvalidNetwork([], "cannot compare: the network data at "
                             + " and ".join(v.label for v in bad) + " has errors") from cause
    _name_affected_mobilities(network, comparison.changes)
    if format is DiffFormat.json:
        return code
    if not rendered:
        lines = change_report.text_lines(comparison)
        if console.is_stdout(output):
            console.styled([[line] for line in lines])
        else:
            _emit("\n".join(text for text, _ in lines) + "\n", output, network)
        return code
    from mouctl.changes import redline

    document, marked = api.rendered_redline(comparison, lang=lang, today=today())
    if format is DiffFormat.text:
        lines = redline.terminal_lines(marked, old_label=comparison.old.label,
                                       new_label=comparison.new.label)
        summary = change_report.text_lines(comparison)
        if console.is_stdout(output):
            console.styled([[line] for line in summary] + [[("", None)]] + lines)
        else:
            _emit("\n".join([*(text for text, _ in summary), "",
                             *("".join(text for text, _ in line) for line in lines)]) + "\n",
                  output, network)
        return code
    data = api.write_document(document, format.value, network)
    if format in (DiffFormat.md, DiffFormat.html):
        data = data.decode("utf-8")
    if console.emit(output, data, what=f"a {format.value.upper()} redline", network=network):
        console.success(f"wrote {output}")
    return code


def _name_affected_mobilities(network: Path, changes: list) -> None:
    """On the terminal (standard error) only: learners' data never goes into the
    output file, the JSON, a tag or a commit."""
    if not any(change.section == "units" for change in changes):
        return  # only a unit's change touches a mobility: the register is not read
    from mouctl.cli import console
    from mouctl.mobility import register

    lines = register.affected(network, changes)
    if lines:
        console.warn("this amendment changes or removes units that open mobilities plan "
                     "(their learning agreements may need a change):")
        for line in lines:
            console.say(line)


def _emit(text: str, output: Path | None, network: Path) -> None:
    from mouctl.cli import console

    if console.emit(output, text, network=network):
        console.success(f"wrote {output}")


# -- log, release, sign, status ---------------------------------------------------


class _Format(StrEnum):
    text = "text"
    json = "json"


@app.command("log")
@collector.paused()  # large acyclic parts, models, documents (see there)
def log_cmd(
    network: NetworkDir = Path("."),
    since: Annotated[str | None, typer.Option(
        "--since", help="Only versions after this date (2026-01-31, '2 weeks ago').")] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1,
                                           help="Show at most this many versions.")] = None,
    format: Annotated[_Format, typer.Option("--format", "-f",
                                        help="text for people, json for tools.")] = _Format.text,
) -> int:
    """List the versions of the MoU (commits that changed the network data), newest first.

    Each version shows its date, author, release tag and what changed in the
    agreement's words. Renames of the network folder are followed.

    Example: mouctl log --since 2026-01-01 --limit 20
    """

    from mouctl import api
    from mouctl.cli import console
    from mouctl.history import log as versions

    with console.progress("reading versions") as tick:
        found = api.log(network, since=since, limit=limit, progress=tick)
    if found.shallow:
        console.warn("this is a shallow clone: older versions are missing",
                     "run `git fetch --unshallow` to see the whole history")
    if format is _Format.json:
        console.json_report({"shallow": found.shallow,
                             "versions": [v.as_dict() for v in found.versions]})
    elif not found.versions:
        console.say("no versions of the network data in this history")
    else:
        for line in versions.table(found.versions):
            console.text(line)
    return 0


@app.command("release")
@collector.paused()  # large acyclic parts, models, documents (see there)
def release_cmd(
    version: Annotated[str, typer.Argument(help="The new version, e.g. 1.1 (tag mou-v1.1).")],
    reason: Annotated[str, typer.Option("--reason", "-m", help="Why this version is released.")],
    network: NetworkDir = Path("."),
    amendment: Annotated[Path | None, typer.Option(
        "--amendment", help="Also write the amendment (or, for administrative changes, the "
        "notice of changes) to this file: .md, .html, .docx or .pdf.",
        dir_okay=False)] = None,
    effective: Annotated[str | None, typer.Option(
        "--effective", metavar="DATE",
        help="The date the amendment takes effect (YYYY-MM-DD).",
        show_default="the day the last required signature is recorded")] = None,
    new_mou: Annotated[bool, typer.Option(
        "--new-mou", help="Start a new MoU that replaces the current one (not an "
        "amendment): its own tags mou2-vVERSION and numbering; every partner signs it. "
        "network.yaml must say what it replaces (`replaces:`).")] = False,
    author: Annotated[str | None, typer.Option(
        "--author", metavar="'NAME <EMAIL>'",
        help="Who releases, when git has no user.name/user.email.")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", "-n", help="Check everything and show the release; create nothing.")
    ] = False,
) -> int:
    """Release the committed network as a version that partners sign.

    Refuses uncommitted or invalid data, an existing or lower version, a draft that
    lacks what a signed MoU needs (it lists all of it, as `mouctl validate
    --for-release` does), and a git without your name and e-mail (the tag must say
    who released; or --author). Creates the annotated tag mou-vVERSION with the
    reason, the substantive changes since the previous release and the fingerprints of
    the data and the rendered document. Push it for the partners to see it: `git push
    --follow-tags`.

    Example: mouctl release 1.1 -m "Hydraulics unit updated for the 2026 standard"
    """
    from mouctl import api
    from mouctl.cli import console
    from mouctl.history.tags import change_line
    from mouctl.text import plural

    plan, made = api.release(network, version, reason, amendment=amendment,
                             effective=_date_option(effective, "--effective"),
                             today=today(), author=author, dry_run=dry_run, new_mou=new_mou)
    _warn_placeholders(plan.placeholders)
    if made is None:
        console.success(f"would release {plan.tag} on commit {plan.commit[:7]} (dry run: "
                        "nothing was created); the tag message would be:")
        console.out(plan.message())
        return 0
    console.success(f"released {made.tag} on commit {made.short} (data {made.data_fingerprint}"
                    f", document {made.document_fingerprint})")
    if plan.previous is not None:
        console.say(f"  {len(plan.substantive)} substantive, "
                    f"{plural(len(plan.changes) - len(plan.substantive), 'administrative change')} "
                    f"since {plan.previous.tag}")
        for change in plan.substantive:
            console.say(f"  - {change_line(change)}")
    if amendment is not None:
        what = f"Amendment No. {plan.number}" if plan.number else "the notice of changes"
        console.say(f"  wrote {what} to {amendment}")
    if plan.previous is not None:
        _name_affected_mobilities(network, plan.changes)
    if plan.supersedes is not None:
        console.say(f"  a new MoU: it replaces {plan.supersedes.tag}, which stays in force "
                    "until every partner has signed this one")
    if plan.withdrawn:
        console.say(f"  withdrawn by notice: {', '.join(plan.withdrawn)}")
    if plan.signers:
        console.say(f"  joins by adhesion: {', '.join(plan.signers)}; next: each signs its "
                    f"adhesion declaration (`mouctl adhesion PARTNER -o FILE`), then "
                    "`mouctl sign PARTNER ...`; nobody else signs again")
    elif plan.signers == []:
        console.say("  no re-signing needed: the partners are only notified")
    elif plan.previous is None or plan.substantive:
        console.say("  next: record each partner's signature with `mouctl sign PARTNER "
                    "--signatory NAME --place PLACE [--date YYYY-MM-DD]`")
    console.say("  share it: git push --follow-tags (the partners see the release once its "
                "tag is pushed)")
    return 0


def _warn_placeholders(found: list[str]) -> None:
    """The example people and addresses `init` wrote, if still in a release."""
    from mouctl.cli import console

    if found:
        console.warn(f"the network still holds {len(found)} example value(s) from "
                     "`mouctl init`:\n" + "\n".join(f"  - {f}" for f in found),
                     "replace them with the partners' real contacts and signatories "
                     "before the release is signed")


def _date_option(value: str | None, option: str):
    import datetime as dt

    from mouctl.errors import UsageError

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} '{value}' is not a date", "write it as YYYY-MM-DD") \
            from None


@app.command("amendment")
def amendment_cmd(
    old: Annotated[str | None, typer.Argument(
        help="The release amended, e.g. mou-v1.0.",
        show_default="the release before NEW")] = None,
    new: Annotated[str | None, typer.Argument(
        help="The amending release.",
        show_default="the latest release, or the working tree as a draft")] = None,
    network: NetworkDir = Path("."),
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file: .md, .html, .docx or .pdf.",
        dir_okay=False, show_default="Markdown to standard output")] = None,
    format: DocumentFormatOption = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", "-l", help="Language of the document (one of the MoU's languages).",
        show_default="the MoU's first language")] = None,
    effective: Annotated[str | None, typer.Option(
        "--effective", metavar="DATE", help="The date it takes effect (YYYY-MM-DD).",
        show_default="as recorded at release, else on the last signature")] = None,
) -> int:
    """Write the amendment instrument the partners sign: "Amendment No. N to the MoU".

    It names the amended version and its date, the parties by legal name, every
    change numbered and worded with the document's section and item names and the
    full old and new text, the date it takes effect, that everything else stays in
    force, and signature blocks for exactly the organisations that must sign. When
    no change needs a signature it is a notice of changes instead, without a number.

    Example: mouctl amendment mou-v1.0 mou-v1.1 --lang de -o amendment-1.pdf
    """
    from mouctl import api
    from mouctl.cli import console
    from mouctl.errors import UsageError
    from mouctl.ledger.amendment import format_of

    fmt = format_of(output, format) if not console.is_stdout(output) else (format or "md")
    if fmt not in ("md", "html", "docx", "pdf"):
        raise UsageError(f"unknown format '{fmt}'", "choose md, html, docx or pdf")
    document = api.amendment(network, old, new, lang=lang,
                             effective=_date_option(effective, "--effective"), today=today())
    data = api.write_document(document, fmt, network)
    if fmt in ("md", "html"):
        data = data.decode("utf-8")
    if console.emit(output, data, what=f"a {fmt.upper()} document", network=network):
        console.success(f"wrote {output}")
    return 0


@app.command("sign")
@collector.paused()  # large acyclic parts, models, documents (see there)
def sign_cmd(
    partner: Annotated[str, typer.Argument(help="Id of the partner who signed.",
                                           autocompletion=completion.partner_ids)],
    signatory: Annotated[str, typer.Option("--signatory", help="Name of the person who signed.")],
    place: Annotated[str, typer.Option("--place", help="Place of the signature.")],
    date: Annotated[str | None, typer.Option(
        "--date", help="Date of the signature, YYYY-MM-DD (default: today).")] = None,
    network: NetworkDir = Path("."),
    release: Annotated[str | None, typer.Option(
        "--release", help="The release signed (default: the latest), e.g. 1.1.",
        autocompletion=completion.release_versions)] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note to keep with it.")] = None,
    file: Annotated[str | None, typer.Option(
        "--file", help="File name of the scanned signed copy.")] = None,
    author: Annotated[str | None, typer.Option(
        "--author", metavar="'NAME <EMAIL>'",
        help="Who records it, when git has no user.name/user.email.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Record a date after today, or a signatory other than the one the "
        "release names (say why with --note).")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", "-n", help="Check everything and show the entry; record nothing.")
    ] = False,
) -> int:
    """Record that a partner signed a release, in signatures.yaml, and commit it.

    The entry is bound to the release's data fingerprint. Refuses unknown partners
    and releases, a second signature of the same release, a date after today and a
    signatory other than the one the release names (unless --force), and a git
    without your name and e-mail (or --author). Earlier entries are never changed;
    only signatures.yaml goes into the commit. A wrong entry is corrected with
    `git revert COMMIT` and a new `mouctl sign` (see docs/history.md).

    Example: mouctl sign uni-bilbao --signatory "Ane Etxeberria" --date 2026-03-02 --place Bilbao
    """
    from mouctl import api
    from mouctl.cli import console

    done = api.sign(network, partner, signatory=signatory, place=place, date=date,
                    release=release, note=note, file=file, today=today(), author=author,
                    force=force, dry_run=dry_run)
    for warning in done.warnings:
        console.warn(warning)
    if dry_run:
        from mouctl.ledger import signatures

        console.success(f"would record {partner}'s signature of {done.release.tag} (dry run: "
                        f"nothing was recorded); the entry in {signatures.LEDGER} would be:")
        console.out(signatures.entry_text(done.signature))
        return 0
    what = (f"declaration of adhesion to {done.release.tag}"
            if partner in (done.release.signers or []) else f"signature of {done.release.tag}")
    console.success(f"recorded {partner}'s {what} (fingerprint "
                    f"{done.signature.fingerprint}), committed as {done.commit[:7]}")
    if partner in (done.release.signers or []):
        console.say(f"  {partner} is bound to the MoU from {done.signature.date.isoformat()}; "
                    "the other partners do not sign again")
    console.say("  share it: git push --follow-tags")
    return 0


@app.command("status")
@collector.paused()  # large acyclic parts, models, documents (see there)
def status_cmd(
    network: NetworkDir = Path("."),
    check: Annotated[bool, typer.Option(
        "--check", help="Exit 1 while signatures are outstanding (for CI).")] = False,
    format: Annotated[_Format, typer.Option("--format", "-f",
                                        help="text for people, json for tools.")] = _Format.text,
) -> int:
    """Show the release in force, who signed it, and who must (re-)sign after changes.

    A signature or release that no longer matches its recorded fingerprint is a
    problem: reported first and the command exits 1. With --check it also exits 1
    while any partner has not signed the latest release or while substantive
    changes wait for a release.

    Example: mouctl status --check
    """

    from mouctl import api
    from mouctl.cli import console
    from mouctl.ledger import status

    report = api.status(network, today=today())
    if format is _Format.json:
        console.json_report(report.as_dict())
    else:
        console.styled([[(text, style)] for text, style in status.lines(report)])
    return 1 if report.problems or (check and report.outstanding) else 0
