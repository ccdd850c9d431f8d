"""Commands on the network's git history: diff, log, release, sign, status."""

from __future__ import annotations


# -- log, release, sign, status (history helper; `diff` lives above) ---------------

from enum import StrEnum as _StrEnum  # noqa: E402
from pathlib import Path as _Path  # noqa: E402
from typing import Annotated as _Ann  # noqa: E402

import typer as _typer  # noqa: E402

from mouctl.cli.app import NetworkDir as _NetworkDir  # noqa: E402
from mouctl.cli.app import app as _app  # noqa: E402
from mouctl.cli.app import today as _today  # noqa: E402


class _Format(_StrEnum):
    text = "text"
    json = "json"


@_app.command("log")
def log_cmd(
    network: _NetworkDir = _Path("."),
    since: _Ann[str | None, _typer.Option(
        "--since", help="Only versions after this date (2026-01-31, '2 weeks ago').")] = None,
    limit: _Ann[int | None, _typer.Option("--limit", "-n", min=1,
                                           help="Show at most this many versions.")] = None,
    format: _Ann[_Format, _typer.Option("--format", "-f",
                                        help="text for people, json for tools.")] = _Format.text,
) -> int:
    """List the versions of the MoU (commits that changed the network data), newest first.

    Each version shows its date, author, release tag and what changed in the
    agreement's words. Renames of the network folder are followed.

    Example: mouctl log --since 2026-01-01 --limit 20
    """
    import json

    from mouctl import console, versions

    with console.progress("reading versions") as tick:
        found = versions.log(network, since=since, limit=limit, progress=tick)
    if found.shallow:
        console.warn("this is a shallow clone: older versions are missing",
                     "run `git fetch --unshallow` to see the whole history")
    if format is _Format.json:
        console.out(json.dumps([v.as_dict() for v in found.versions], indent=2,
                               ensure_ascii=False))
    elif not found.versions:
        console.say("no versions of the network data in this history")
    else:
        for line in versions.table(found.versions):
            console.out(line)
    return 0
