"""The click that typer runs on, whichever typer is installed.

typer up to 0.2x depends on the `click` package; newer typer vendors its own copy
as `typer._click` and no longer installs `click`. mouctl must catch the exceptions
that typer actually raises, so it takes them from the same place: a plain
`import click` would crash on a fresh install (no module) or miss usage errors
when an unrelated `click` happens to be installed too.
"""

from __future__ import annotations

import typer

try:  # typer with a vendored click
    from typer import _click as click
    from typer._click.exceptions import ClickException, UsageError
except ImportError:  # typer on top of the click package
    import click  # type: ignore[no-redef]
    from click.exceptions import ClickException, UsageError  # type: ignore[no-redef]

# typer.Exit and typer.Abort are click's own classes in older typer and typer's
# replacements in newer ones: the public names are right in both.
Exit = typer.Exit
Abort = typer.Abort

__all__ = ["Abort", "ClickException", "Exit", "UsageError", "click"]
