"""The command-line interface: parse arguments, call one core function, print.

`main` is the one boundary where errors become messages and exit codes:
0 success, 1 an expected failure (invalid data, refused operation), 2 bad usage,
3 a bug in mouctl, 130 interrupted. A traceback is shown only with MOUCTL_DEBUG=1.
"""

from __future__ import annotations

import os
import sys

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def __getattr__(name: str):
    """`from mouctl.cli import app`: the typer app, built on first use (see `main`)."""
    if name == "app":
        return _app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _app():
    from mouctl.cli.app import app

    # Importing these modules registers their commands on `app`.
    from mouctl.cli import (  # noqa: F401  isort: skip
        history_cmds, lifecycle_cmds, mobility_cmds, network_cmds, render_cmds, verify_cmd)

    # --help lists the commands in the order a coordinator uses them.
    order = ["init", "validate", "schema", "render", "diff", "amendment", "log", "release",
             "sign", "status", "withdraw", "adhesion", "verify", "mobilities", "learning-agreement",
             "transcript"]
    app.registered_commands.sort(
        key=lambda c: order.index(n) if (n := c.name or c.callback.__name__) in order else 99
    )

    # Importing the submodule bound `mouctl.cli.app` to the module; bind the app.
    globals()["app"] = app
    return app


def _diagnostic_groups(exc) -> list:
    """(diagnostics, heading) pairs carried by an error, outer first."""
    groups, seen = [], exc
    while seen is not None:
        if getattr(seen, "diagnostics", None):
            groups.append((seen.diagnostics, getattr(seen, "heading", None)))
        seen = seen.__cause__ if seen.__cause__ is not seen else None
    return groups[::-1]


def main(argv: list[str] | None = None) -> int:
    """Run mouctl; never lets a traceback reach the user."""
    if argv is None:
        _one_command_process()
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C while the libraries load, before any change
        sys.stderr.write("error: interrupted; nothing was changed\n")
        if argv is None:
            sys.exit(EXIT_INTERRUPTED)
        return EXIT_INTERRUPTED


def _main(argv: list[str] | None) -> int:
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:
        # Answered before typer and the commands are imported: 25 ms instead of 90.
        from mouctl._version import __version__
        from mouctl.cli import console

        console.out(f"mouctl {__version__}\n")
        if argv is None:
            sys.exit(EXIT_OK)
        return EXIT_OK
    from mouctl.cli import console
    from mouctl.cli.clickapi import Abort, ClickException, Exit, UsageError
    from mouctl.errors import MouError

    try:
        result = _app()(args=argv, standalone_mode=False, prog_name="mouctl")
        code = result if isinstance(result, int) else EXIT_OK
        if code == EXIT_INTERRUPTED:  # typer turns Ctrl-C into a return value of 130
            console.error("interrupted; nothing was changed")
    except MouError as exc:
        # The one place where diagnostics of a failed command are printed: on standard
        # error, so that `mouctl render > mou.md` leaves only the document in the file.
        for group in _diagnostic_groups(exc):
            console.diagnostics(*group)
        console.error(exc.message, exc.hint)
        code = exc.exit_code
    except Exit as exc:
        code = exc.exit_code
    except Abort:
        console.error("interrupted; nothing was changed")
        code = EXIT_INTERRUPTED
    except KeyboardInterrupt:
        console.error("interrupted; nothing was changed")
        code = EXIT_INTERRUPTED
    except ClickException as exc:
        exc.show()
        code = EXIT_USAGE if isinstance(exc, UsageError) else EXIT_FAILURE
    except BrokenPipeError:
        # `mouctl render | head`: the reader went away; not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_OK
    except OSError as exc:
        # The system refused (a file size limit, a full disk, no usable temporary
        # folder): the environment, not a bug; said as such.
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        console.error(f"the system refused an operation: {exc.strerror or exc}{where}",
                      "check the disk space, the file size limit (ulimit -f), the "
                      "permissions and the temporary folder (TMPDIR), then run again")
        code = EXIT_FAILURE
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if type(exc).__name__ == "GitCommandError" and not os.environ.get("MOUCTL_DEBUG"):
            from mouctl.history import repo  # a git command no message of ours covers

            error = repo.failure(exc)
            console.error(error.message, error.hint)
            return _exit(argv, EXIT_FAILURE)
        if os.environ.get("MOUCTL_DEBUG"):
            raise
        console.error(
            f"internal error: {type(exc).__name__}: {exc}",
            "this is a bug in mouctl; run again with MOUCTL_DEBUG=1 for the details and "
            "report it with the command you ran",
        )
        code = EXIT_BUG
    return _exit(argv, code)


def _one_command_process() -> None:
    """A process that runs one command and ends: no cyclic garbage collection (nor
    a search for pydantic plugins).

    A command builds large acyclic structures (a loaded network: a million objects;
    a document tree), which reference counting frees. The cycle collector would walk
    them again and again while they grow and once more, all of them, on its first run
    after they are built (L: 80 ms after loading, more while importing the libraries),
    and finds nothing to free. The few cycles a command leaves are let go when the
    process ends (see `_leave`). Called as a library (`main(argv)`, the Python API),
    mouctl leaves the collector to its caller.
    """
    import gc

    gc.disable()
    # pydantic looks for plugins (entry points of every installed distribution) when
    # it builds mouctl's first model: 10-30 ms of every command, for plugins a
    # command-line run never uses. A user's own setting of the variable is kept. (git's
    # hooks inherit it too; mouctl's git commands run none that would use pydantic.)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def _exit(argv: list[str] | None, code: int) -> int:
    if argv is None:
        _leave(code)
    return code


def _leave(code: int) -> None:
    """End the process with `code`, without tearing the interpreter down.

    Everything a command writes is written (atomically) and closed before it returns;
    what remains is Python freeing every object one by one and collecting cycles at
    shutdown: 70 ms after rendering the large benchmark network, for nothing. So the
    output streams are flushed and the process leaves. If a flush fails (a closed
    pipe, a full disk), Python's own shutdown handles it as before.
    """
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: started with the stream closed (`>&-`)
                stream.flush()
    except (OSError, ValueError):
        sys.exit(code)
    # Nothing else may be left to do at exit: no atexit handler of mouctl's, no thread,
    # no temporary folder or buffered file still open (os._exit skips them all).
    os._exit(code)
