"""The typer app, its global options and the options every command shares."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from mouctl._version import __version__

app = typer.Typer(
    name="mouctl",
    help="Draft, render and version the common ECVET Memorandum of Understanding "
    "of a vocational-education network.\n\n"
    "Example: mouctl init demo --yes && cd demo && mouctl validate",
    no_args_is_help=True,
    add_completion=True,
    # Plain help is ~100 ms faster to start than rich help, and shows the same text.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

def _network_folder(ctx: typer.Context, param: typer.CallbackParam, value: Path) -> Path:
    """`-N` as people write it: a folder, or its network.yaml; by default the folder
    holding network.yaml here or above (as git finds its repository)."""
    from mouctl.cli.clickapi import click

    if value is None:
        return value
    if value.name.endswith((".yaml", ".yml")) and value.is_file():
        return value.parent
    explicit = ctx.get_parameter_source(param.name) is not click.core.ParameterSource.DEFAULT
    if explicit or (value / "network.yaml").exists():
        return value
    found = find_network(value)
    return found if found is not None else value


def find_network(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding network.yaml, as a path relative
    to the current folder; the search stops at the top of a git repository."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / "network.yaml").is_file():
            return Path(os.path.relpath(folder))
        if (folder / ".git").exists():
            return None
    return None


NetworkDir = Annotated[
    Path,
    typer.Option(
        "--network",
        "-N",
        help="The network folder (holding network.yaml), or its network.yaml.",
        show_default="the folder holding network.yaml, here or above",
        callback=_network_folder,
    ),
]

# The format of a document written with -o (adhesion, amendment, learning agreement,
# transcript); `render` has its own, checked against its formats by typer.
DocumentFormatOption = Annotated[
    str | None,
    typer.Option("--format", "-f", help="md, html, docx or pdf.",
                 show_default="from the -o extension, else md"),
]


def _version(value: bool) -> None:
    if value:
        print(f"mouctl {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only errors and requested data.")
    ] = False,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="Print more detail: the files, revisions, templates and "
        "cache entries read.")] = False,
) -> None:
    """Draft, render and version the common ECVET Memorandum of Understanding."""
    from mouctl.cli import console

    console.set_verbosity(console.QUIET if quiet else console.VERBOSE if verbose
                          else console.NORMAL)
    if verbose and not quiet:
        _show_what_is_read()


def _show_what_is_read() -> None:
    """--verbose: the core's notes of what it read (mouctl.trace) as detail lines."""
    import logging

    from mouctl import trace
    from mouctl.cli import console

    class ToConsole(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            console.detail(record.getMessage())

    trace.logger.handlers[:] = [ToConsole()]
    trace.logger.setLevel(logging.INFO)
    trace.logger.propagate = False


def today() -> dt.date:
    """Today, or MOUCTL_TODAY (YYYY-MM-DD) for reproducible output in tests and CI."""
    fixed = os.environ.get("MOUCTL_TODAY")
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            from mouctl.errors import UsageError

            raise UsageError(f"MOUCTL_TODAY='{fixed}' is not a date",
                             "write it as YYYY-MM-DD or unset it") from None
    return dt.date.today()
