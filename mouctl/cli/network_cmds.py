"""Commands about the network description: init, validate, schema."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mouctl.cli.app import NetworkDir, app, today
from mouctl.text import plural


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def validate(
    network: NetworkDir = Path("."),
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="text for people, json for tools.")
    ] = ReportFormat.text,
) -> int:
    """Check the network's data files and report every problem with its file and line.

    Exits 0 when the network is valid, 1 when it has errors (or warnings with
    --strict).

    Example: mouctl validate --strict
    """
    from mouctl import api
    from mouctl.cli import console

    loaded = api.load(network, today=today())
    failed = bool(loaded.errors) or (strict and bool(loaded.warnings))
    if format is ReportFormat.json:
        console.out(console.diagnostics_json(loaded.diagnostics))
        return 1 if failed else 0
    console.diagnostics(loaded.diagnostics, report=True)
    if loaded.diagnostics:
        console.say("")
    n = loaded.network
    what = (", ".join(plural(k, w) for k, w in ((len(n.partners), "partner"),
            (len(n.qualifications), "qualification"), (len(n.units()), "unit")))
            if n else "not valid")
    text = console.summary(loaded.diagnostics, len(loaded.files), what)
    if failed:
        console.error(text + (" — warnings fail with --strict" if not loaded.errors else ""),
                      "fix the problems above and run `mouctl validate` again")
    else:
        console.success(f"valid: {text}")
    return 1 if failed else 0


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
) -> None:
    """Print the JSON Schema of network.yaml, for editors that check YAML as you type.

    Point yaml-language-server at it with a first line in network.yaml:
    `# yaml-language-server: $schema=network.schema.json`

    Example: mouctl schema -o network.schema.json
    """
    import json

    from mouctl.api import json_schema
    from mouctl.cli import console
    from mouctl.files import write_output

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        console.out(text)
    else:  # the one own file a command may write: the schema writing its own file
        write_output(output, text, allow=("network.schema.json",))
        console.success(f"wrote {output}")


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Folder to create the network in.")] = Path("."),
    name: Annotated[str | None, typer.Option("--name", help="The network's name.")] = None,
    coordinator: Annotated[
        str | None, typer.Option("--coordinator", help="Legal name of the coordinating school.")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Coordinator's country code, e.g. DE.")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Ask no questions.")] = False,
    no_git: Annotated[
        bool, typer.Option("--no-git", help="Do not create a git repository.")
    ] = False,
) -> None:
    """Create a new network folder with an example network.yaml that validates at once.

    Writes network.yaml (two partners, one qualification with two units), a README,
    .gitignore and the JSON Schema, then runs `git init` and commits. Never
    overwrites: in a folder that is not empty it stops and changes nothing.

    Example: mouctl init eurocook --name "EuroCook VET Network" --yes
    """
    import sys

    from mouctl import scaffold
    from mouctl.cli import console

    ask = not yes and sys.stdin.isatty()
    if ask:
        name = name or typer.prompt("Network name", default=scaffold.DEFAULT_NAME)
        coordinator = coordinator or typer.prompt(
            "Coordinating organisation", default=scaffold.DEFAULT_COORDINATOR)
        country = country or typer.prompt("Its country (two letters)", default="DE")
    result = scaffold.create(
        folder,
        name=name or scaffold.DEFAULT_NAME,
        coordinator=coordinator or scaffold.DEFAULT_COORDINATOR,
        country=(country or "DE").upper(),
        today=today(),
        use_git=not no_git,
    )
    console.success(f"created the network in {result.folder} ({len(result.files)} files)")
    if result.commit:
        console.say(f"  committed as {result.commit[:10]}")
    console.say(f"  next: cd {result.folder} && mouctl validate && mouctl render")
