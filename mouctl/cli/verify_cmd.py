"""`mouctl verify`: is a PDF exactly a released MoU, and who signed it."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mouctl.cli.app import NetworkDir, app, today


class _Format(StrEnum):
    text = "text"
    json = "json"


@app.command("verify")
def verify_cmd(
    file: Annotated[Path, typer.Argument(help="The PDF to check.", dir_okay=False)],
    network: NetworkDir = Path("."),
    format: Annotated[_Format, typer.Option("--format", "-f",
                                        help="text for people, json for tools.")] = _Format.text,
) -> int:
    """Check that a PDF is exactly a released MoU, and who signed it (PAdES).

    Reads the release and data fingerprint the PDF carries, renders that release
    again from its tag and compares the bytes: a PDF changed in any byte is
    reported. Digital signatures added to it (PAdES, as national e-ID tools make
    them) are checked: intact, covering the released document, who signed, and
    whether signatures.yaml records that signature. Exits 0 when the PDF is the
    release's document with intact signatures, 1 otherwise. Needs the `verify`
    extra (pyHanko and WeasyPrint).

    Example: mouctl verify signed/mou-v1.1-tampere.pdf
    """
    from mouctl.cli import console
    from mouctl.ledger import verify

    found = verify.verify(network, file, today=today())
    if format is _Format.json:
        console.json_report(found.as_dict())
        return 0 if found.ok else 1
    if found.release:
        console.say(f"{file}: {found.release} (data fingerprint {found.fingerprint}, "
                    f"{', '.join(found.languages)})")
    if found.identical:
        extra = (f", followed by {found.updates} bytes of later additions"
                 if found.updates else "")
        console.say(f"  content: exactly the document of {found.release}{extra}")
    for sig in found.signatures:
        state = "intact" if sig.intact else "BROKEN"
        cover = "covers the released document" if sig.covers_release else \
            "does NOT cover the released document"
        trust = "certificate trusted" if sig.trusted else \
            "certificate not checked against a trust list"
        when = f" on {sig.signed_at[:10]}" if sig.signed_at else ""
        console.say(f"  signature '{sig.field}': {sig.signer}{when}; {state}; {cover}; {trust}")
        if sig.recorded:
            console.say(f"    recorded in signatures.yaml as {sig.recorded}'s signature")
        else:
            console.say("    not recorded in signatures.yaml for this release: record it with "
                        "`mouctl sign PARTNER --signatory NAME --place PLACE`")
        for problem in sig.problems:
            console.error(f"{file}: signature '{sig.field}': {problem}")
    for note in found.notes:
        console.say(f"  note: {note}")
    if found.ok:
        console.success(f"{file} is the released document {found.release}")
        return 0
    for problem in found.problems:
        console.error(f"{file}: {problem}")
    if not found.problems and not found.identical:
        console.error(f"{file}: not verified")
    return 1
