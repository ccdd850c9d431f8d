"""Commands about the network description: init, validate, schema."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mouctl.cli.app import NetworkDir, app, today
from mouctl.text import plural


class CiService(StrEnum):
    github = "github"
    gitlab = "gitlab"
    none = "none"


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def validate(
    network: NetworkDir = Path("."),
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    for_release: Annotated[
        bool, typer.Option("--for-release",
                           help="What a release needs: signatories, learning outcomes, "
                           "assessment and awarding bodies a draft may lack are errors.")
    ] = False,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="text for people, json for tools.")
    ] = ReportFormat.text,
) -> int:
    """Check the network's data files and report every problem with its file and line.

    A draft may lack what only a signed MoU needs (signatory names, learning
    outcomes, assessment, awarding bodies): those are warnings that say "needed
    before release", and errors with --for-release (the view `mouctl release` uses).
    Exits 0 when the network is valid, 1 when it has errors (or warnings with
    --strict).

    Example: mouctl validate --for-release
    """
    from mouctl import api
    from mouctl.cli import console

    loaded = api.load(network, today=today())
    if for_release:
        loaded = loaded.for_release()
    _stale_schemas(network, loaded)
    failed = bool(loaded.errors) or (strict and bool(loaded.warnings))
    n = loaded.network
    if format is ReportFormat.json:
        console.json_report({
            "valid": not failed, "strict": strict, "errors": len(loaded.errors),
            "warnings": len(loaded.warnings), "files": len(loaded.files),
            "partners": len(n.partners) if n else None,
            "qualifications": len(n.qualifications) if n else None,
            "units": len(n.units()) if n else None,
            "diagnostics": [d.as_dict() for d in loaded.diagnostics]})
        return 1 if failed else 0
    console.diagnostics(loaded.diagnostics, report=True, warnings_fail=strict)
    if loaded.diagnostics:
        console.say("")
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


def _stale_schemas(folder: Path, loaded) -> None:
    """Warn about schema files written by another mouctl: editors would check against
    rules that are no longer validate's."""
    from mouctl.model import schema as schemas
    from mouctl.source.diagnostics import Diagnostic

    if not any((folder / schemas.file_name(k)).is_file() for k in schemas.KINDS):
        return
    shown = "" if str(folder) in ("", ".") else f"{folder}/"
    for name, _kind in schemas.stale(folder):
        loaded.diagnostics.append(Diagnostic(
            "warning", "stale-schema", f"{name} differs from the schema of this mouctl, "
            "so editors check against outdated rules", f"{shown}{name}",
            hint="refresh it with `mouctl schema --write"
            + (f" -N {folder}" if shown else "") + "`, then commit it"))


class SchemaKind(StrEnum):
    network = "network"
    partner = "partner"
    qualification = "qualification"


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Option(
        "--kind", "-k", help="network (network.yaml), partner (partners/*.yaml) or "
        "qualification (qualifications/*.yaml).")] = SchemaKind.network,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    write: Annotated[bool, typer.Option(
        "--write", help="Write or refresh all three schema files in the network folder.")
    ] = False,
    network: NetworkDir = Path("."),
) -> None:
    """Print the JSON Schema of a network file, for editors that check YAML as you type.

    Point yaml-language-server at it with a first line in network.yaml:
    `# yaml-language-server: $schema=network.schema.json` (in partners/ID.yaml:
    `$schema=../partner.schema.json`). `mouctl init` writes the three schema files;
    `mouctl validate` says when they are older than this mouctl.

    Example: mouctl schema --write
    """
    from mouctl.cli import console
    from mouctl.model import schema as schemas

    if write:
        if output is not None:
            from mouctl.errors import UsageError

            raise UsageError("--write writes the three schema files into the network folder",
                             "leave out -o, or leave out --write to write one schema")
        if not (network / "network.yaml").is_file():
            from mouctl.errors import NetworkNotFound

            raise NetworkNotFound(f"no network.yaml in '{network}'; nothing was written",
                                  "run it in the network folder, or point at it with -N DIR")
        for path in schemas.write_all(network):
            console.success(f"wrote {path}")
        return
    text = schemas.text(kind.value)
    # the one kind of own file a command may write: a schema file
    if console.emit(output, text, allow=tuple(schemas.file_name(k) for k in schemas.KINDS)):
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
    ci: Annotated[
        CiService, typer.Option("--ci", help="Write the CI configuration for GitHub Actions, "
                                "GitLab CI/CD, or none.")
    ] = CiService.github,
) -> None:
    """Create a new network folder with an example network.yaml that validates at once.

    Writes network.yaml (two partners, one qualification with two units), a README,
    .gitignore, the JSON Schema and the CI configuration (--ci), then runs `git init`
    and commits. The CI installs the mouctl that ran `init`; `init` says from where
    and how to change it. Never overwrites: in a folder that is not empty it stops
    and changes nothing.

    Example: mouctl init eurocook --name "EuroCook VET Network" --ci gitlab --yes
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
        ci=ci.value,
    )
    console.success(f"created the network in {result.folder} ({len(result.files)} files)")
    if result.commit:
        console.say(f"  committed as {result.commit[:10]}")
    if result.ci_file:
        spec = result.install
        console.say(f"  CI: {result.ci_file} installs {spec.spec} from {spec.source}")
        if spec.note:
            console.say(f"    ({spec.note})")
        console.say(f"    to install from elsewhere (a git URL, a wheel), change MOUCTL_PACKAGE "
                    f"at the top of {result.ci_file}")
    console.say(f"  next: cd {result.folder} && mouctl validate && mouctl render")
