"""Commands of the MoU's life beyond signing: withdraw, adhesion."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mouctl.cli.app import NetworkDir, app, today


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
