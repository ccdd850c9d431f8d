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

NetworkDir = Annotated[
    Path,
    typer.Option(
        "--network",
        "-N",
        help="The network folder (holding network.yaml).",
        show_default="current folder",
        file_okay=False,
    ),
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
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print more detail.")] = False,
) -> None:
    """Draft, render and version the common ECVET Memorandum of Understanding."""
    from mouctl.cli import console

    console.set_verbosity(console.QUIET if quiet else console.VERBOSE if verbose
                          else console.NORMAL)


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
