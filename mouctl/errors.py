"""The one error root of mouctl.

Core code raises these; only the CLI boundary (`cli.py`) turns them into a
message and an exit code. Exceptions never print.
"""

from __future__ import annotations


class MouError(Exception):
    """An expected failure the user can fix: a message and a hint on what to do."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(MouError):
    """The command was called in a way that cannot work (bad option combination)."""

    exit_code = 2


class NetworkNotFound(MouError):
    """No network.yaml where the command looked."""


class InvalidNetwork(MouError):
    """The network data has errors; carries every diagnostic found."""

    def __init__(self, diagnostics: list, message: str | None = None,
                 heading: str | None = None) -> None:
        from mouctl.text import plural

        errors = [d for d in diagnostics if d.severity == "error"]
        super().__init__(
            message or f"the network data has {plural(len(errors), 'error')}",
            "run `mouctl validate` to see every problem with its file and line",
        )
        self.diagnostics = diagnostics
        # Printed above the diagnostics when several versions are involved (`diff`).
        self.heading = heading


class TemplateError(MouError):
    """A template could not be loaded or rendered."""


class GitError(MouError):
    """A git repository problem: not a repository, unknown revision, git missing."""


class GitRefused(GitError):
    """git refuses to work in a repository that is there (another user's, a partial
    clone offline): never taken for "not in git"."""


class OutputError(MouError):
    """An output file could not be written."""
