"""Commands of the MoU's life beyond signing: withdraw, adhesion."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mouctl.cli.app import DocumentFormatOption, NetworkDir, app, today


@app.command("withdraw")
def withdraw_cmd(
    partner: Annotated[str, typer.Argument(help="Id of the partner that withdraws.")],
    date: Annotated[str, typer.Option(
        "--date", help="Date of the partner's written notice, YYYY-MM-DD.")],
    network: NetworkDir = Path("."),
    note: Annotated[str | None, typer.Option(
        "--note", help="A note to keep with it, e.g. the reason given.")] = None,
) -> int:
    """Record a partner's notice of withdrawal, in signatures.yaml, and commit it.

    Only for an MoU that provides for withdrawal (`withdrawal:` in network.yaml):
    the MoU continues for the other partners without re-signing, and the partner
    leaves on the notice's date plus the notice period. Take it out of the network
    data before the next release. Without the clause, removing a partner is an
    amendment that every remaining partner signs.

    Example: mouctl withdraw zagreb-school --date 2026-05-04 --note "school closed"
    """
    from mouctl import api
    from mouctl.cli import console
    from mouctl.ledger import signatures

    try:
        done = api.withdraw(network, partner, date=date, note=note, today=today())
    except signatures.InvalidLedger as exc:
        console.diagnostics(exc.diagnostics)
        raise
    for warning in done.warnings:
        console.warn(warning)
    console.success(f"recorded {partner}'s withdrawal from {done.release.tag} (notice of "
                    f"{done.entry.notice}, leaves on {done.entry.effective}), committed as "
                    f"{done.commit[:7]}")
    console.say(f"  next: remove {partner} from the network data, commit, and release the "
                "next version: nobody needs to sign it again")
    return 0


@app.command("adhesion")
def adhesion_cmd(
    partner: Annotated[str, typer.Argument(help="Id of the organisation that joins.")],
    network: NetworkDir = Path("."),
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file (atomically): .md, .html, .docx or .pdf.",
        dir_okay=False, show_default="Markdown/HTML to standard output")] = None,
    format: DocumentFormatOption = None,
    release: Annotated[str | None, typer.Option(
        "--release", help="The release it adheres to, e.g. 1.1.",
        show_default="the newest release it joins by adhesion")] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", "-l", help="Language of the document.",
        show_default="the MoU's first language, with its second side by side")] = None,
    bilingual: Annotated[str | None, typer.Option(
        "--bilingual", metavar="LANG2", help="Add a second language, as `mouctl render` "
        "does.")] = None,
) -> int:
    """Write the declaration of adhesion an organisation signs to join the MoU.

    For an MoU open to adhesion (`open_to_adhesion: true`): when a release's only
    substantive change is that organisations join, each of them signs this
    declaration and nobody else signs again. It names the MoU, the release's version,
    date and fingerprints, the organisation and its roles, the partners already in
    the MoU, and has one signature block. Record the signature with `mouctl sign
    PARTNER ...`: the organisation is bound from that date (see `mouctl status`).

    Example: mouctl adhesion slo-ljubljana -o adhesion-slo-ljubljana.pdf
    """
    from mouctl import api
    from mouctl.cli import console
    from mouctl.errors import UsageError
    from mouctl.ledger.amendment import format_of

    fmt = format_of(output, format) if not console.is_stdout(output) else (format or "md")
    if fmt not in ("md", "html", "docx", "pdf"):
        raise UsageError(f"unknown format '{fmt}'", "choose md, html, docx or pdf")
    made = api.adhesion(network, partner, fmt, release=release, lang=lang,
                        bilingual=bilingual, today=today())
    from mouctl.cli.render_cmds import emit_document

    if emit_document(made, fmt, output, network):
        console.success(f"wrote {output}: {partner}'s declaration of adhesion to "
                        f"{made.release.tag} (data fingerprint {made.release.data_fingerprint})")
        console.say(f"  next: once signed, mouctl sign {partner} --signatory NAME --place PLACE "
                    "--date YYYY-MM-DD")
    return 0
