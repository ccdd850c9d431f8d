"""Diagnostics: one problem found in the network data, with where it is."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Path = tuple[str | int, ...]


def format_path(path: Path) -> str:
    """`('partners', 2, 'country')` -> `partners[2].country`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Finding:
    """A problem found by a check, located by its path in the data only."""

    severity: Severity
    code: str
    path: Path
    message: str
    hint: str | None = None


@dataclass(frozen=True)
class Diagnostic:
    """A problem located in a file: what `validate` prints, one line each."""

    severity: Severity
    code: str
    message: str
    file: str
    line: int | None = None
    column: int | None = None
    path: str = ""
    hint: str | None = None

    def where(self) -> str:
        """`network.yaml:12:5`, or as much of it as is known."""
        out = self.file
        if self.line is not None:
            out += f":{self.line}"
            if self.column is not None:
                out += f":{self.column}"
        return out

    def headline(self) -> str:
        """`FILE:LINE:COL: path: message`, the form editors and CI understand."""
        subject = f"{self.path}: " if self.path else ""
        return f"{self.where()}: {subject}{self.message}"

    def as_dict(self) -> dict:
        """Plain data for `--format json`."""
        return asdict(self)


def sort_key(d: Diagnostic) -> tuple:
    """Files in order, then lines; errors before warnings on the same line."""
    return (d.file, d.line or 0, d.column or 0, d.severity != "error", d.code)
