"""Commands about learners' mobilities: mobilities (list and check)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mouctl.cli.app import NetworkDir, app, today


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
    import json

    from mouctl.cli import console
    from mouctl.mobility import register

    checked = register.check_all(network, today=today())
    diagnostics = [d for c in checked for d in c.diagnostics]
    failed = any(d.severity == "error" for d in diagnostics) or (
        strict and any(d.severity == "warning" for d in diagnostics))
    if format is _Format.json:
        console.out(json.dumps([c.as_dict() for c in checked], indent=2, ensure_ascii=False))
        return 1 if failed else 0
    if not checked:
        console.say(f"no mobilities in {network / 'mobilities'}/ yet "
                    "(one YAML file per learner's mobility; see the README's tutorial)")
        return 0
    for line in register.table(checked):
        console.out(line)
    if diagnostics:
        console.out("")
        console.diagnostics(diagnostics)
    if failed:
        console.error(console.summary(diagnostics, len(checked), "mobilities"),
                      "fix the problems above and run `mouctl mobilities` again")
    return 1 if failed else 0
