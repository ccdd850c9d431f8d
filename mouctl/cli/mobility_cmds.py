"""Commands about learners' mobilities: mobilities, learning-agreement, transcript."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mouctl.cli.app import DocumentFormatOption, NetworkDir, app, today


class _Format(StrEnum):
    text = "text"
    json = "json"


@app.command("mobilities")
def mobilities_cmd(
    network: NetworkDir = Path("."),
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    format: Annotated[_Format, typer.Option("--format", "-f",
                                        help="text for people, json for tools.")] = _Format.text,
) -> int:
    """List the learners' mobilities with their state, and check each against the MoU.

    Reads mobilities/*.yaml (one file per mobility, kept out of git by default: it
    holds personal data). The state follows the steps recorded: planned, agreed
    (learning agreement signed), completed, recognised. Each mobility is checked
    against the MoU release in force at its start (for a future start, the latest
    release both organisations have signed): units, hosts, dates, duration, credits
    and the assessment. Every problem is shown with file, line and column; exits 1
    when a mobility has errors (or warnings with --strict).

    Example: mouctl mobilities --format json
    """

    from mouctl import api
    from mouctl.cli import console
    from mouctl.mobility import register

    checked = api.mobilities(network, today=today())
    diagnostics = [d for c in checked for d in c.diagnostics]
    failed = any(d.severity == "error" for d in diagnostics) or (
        strict and any(d.severity == "warning" for d in diagnostics))
    if format is _Format.json:
        console.json_report({"mobilities": [c.as_dict() for c in checked]})
        return 1 if failed else 0
    if not checked:
        console.say(f"no mobilities in {network / 'mobilities'}/ yet "
                    "(one YAML file per learner's mobility; see the README's tutorial)")
        return 0
    for line in register.table(checked):
        console.out(line)
    if diagnostics:
        console.out("")
        console.diagnostics(diagnostics, report=True)
    if failed:
        console.error(console.summary(diagnostics, len(checked), "mobilities"),
                      "fix the problems above and run `mouctl mobilities` again")
    return 1 if failed else 0


_Output = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write to this file (atomically).",
    show_default="Markdown/HTML to standard output")]
_Lang = Annotated[str | None, typer.Option(
    "--lang", "-l", help="Language of the document.", show_default="the MoU's first language")]
_Bilingual = Annotated[str | None, typer.Option(
    "--bilingual", metavar="LANG2", help="Add a second language, as `mouctl render` does.")]


@app.command("learning-agreement")
def learning_agreement_cmd(
    mobility: Annotated[str, typer.Argument(help="The mobility: its id (file name in "
                                            "mobilities/ without .yaml) or its file.")],
    network: NetworkDir = Path("."),
    output: _Output = None,
    format: DocumentFormatOption = None,
    lang: _Lang = None,
    bilingual: _Bilingual = None,
) -> int:
    """Write a mobility's learning agreement, filled from the MoU version it rests on.

    The participant, both organisations with OID and contacts, the mentor, dates and
    duration, the expected learning outcomes of the planned units, how they are
    assessed, validated and recognised (the MoU's arrangements), the MoU version and
    fingerprint, and signature blocks for the learner and both organisations. Refused
    while the mobility has errors (see `mouctl mobilities`).

    Example: mouctl learning-agreement 2026-oulu-berger --lang de -o la.pdf
    """
    return _document("learning-agreement", mobility, network, output, format, lang, bilingual)


@app.command("transcript")
def transcript_cmd(
    mobility: Annotated[str, typer.Argument(help="The mobility: its id or its file.")],
    network: NetworkDir = Path("."),
    output: _Output = None,
    format: DocumentFormatOption = None,
    lang: _Lang = None,
    bilingual: _Bilingual = None,
) -> int:
    """Write a mobility's personal transcript (the Europass Mobility content).

    The host's assessment recorded in the mobility file (units achieved, points,
    assessor, date, result) with the learning outcomes of each achieved unit as the
    MoU states them, and where validation and recognition stand.

    Example: mouctl transcript 2025-regensburg-dubois -o transcript.docx
    """
    return _document("transcript", mobility, network, output, format, lang, bilingual)


def _document(kind: str, wanted: str, network: Path, output: Path | None,
              format: str | None, lang: str | None, bilingual: str | None) -> int:
    from mouctl import api
    from mouctl.cli import console
    from mouctl.cli.render_cmds import DocumentFormat, _format
    from mouctl.errors import UsageError
    from mouctl.files import write_output

    try:
        chosen = DocumentFormat(format) if format is not None else None
    except ValueError:
        raise UsageError(f"unknown format '{format}'", "choose md, html, docx or pdf") from None
    fmt = _format(chosen, output)
    if output is None and fmt in ("docx", "pdf"):
        raise UsageError(f"a {fmt.upper()} document cannot be printed to the terminal",
                         f"write it to a file: -o {kind}.{fmt}")
    made = api.mobility_document(network, wanted, kind, fmt, lang=lang, bilingual=bilingual,
                                 today=today())
    for message in made.warnings:
        console.warn(message)
    if output is None:
        console.out(made.data.decode("utf-8"))
    else:
        write_output(output, made.data, network=network)
        console.success(f"wrote {output} ({kind.replace('-', ' ')} of {wanted}, {fmt}, MoU "
                        f"{made.version}, data fingerprint {made.fingerprint})")
    return 0
