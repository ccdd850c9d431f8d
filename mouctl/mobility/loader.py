"""Mobility files -> validated models, every problem located in its file.

A network keeps its mobilities in `mobilities/*.yaml`, one file per learner's
mobility, named by the mobility's id. They are read through the same located-YAML
reader as network.yaml (`source.yamldoc`), so syntax errors, duplicate keys and
unknown fields come with file, line and column, all of them at once.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from mouctl.errors import UsageError
from mouctl.mobility.model import Mobility
from mouctl.source import yamldoc
from mouctl.source.diagnostics import Diagnostic, Finding, format_path, sort_key
from mouctl.source.explain import explain_validation_error

FOLDER = "mobilities"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass
class MobilityFile:
    """One mobility file as read: its id, the model (None if invalid) and its problems."""

    id: str
    file: str  # the name shown in diagnostics
    mobility: Mobility | None = None
    doc: yamldoc.Document | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def add(self, finding: Finding) -> None:
        """Record a finding on this file, located by its path in the data."""
        node = None
        root = self.doc.root if self.doc else None
        if finding.code == "unknown-field":
            node = yamldoc.key_node_at(root, finding.path)
        if node is None:
            node, _ = yamldoc.node_at(root, finding.path)
        line, col = yamldoc.position(node) if node is not None else (None, None)
        self.diagnostics.append(Diagnostic(
            finding.severity, finding.code, finding.message, self.file, line, col,
            format_path(finding.path), finding.hint))
        self.diagnostics.sort(key=sort_key)


def folder_of(network: Path) -> Path:
    """The network's mobilities folder."""
    return network / FOLDER


def _show(network: Path, name: str) -> str:
    rel = f"{FOLDER}/{name}"
    return rel if str(network) in ("", ".") else os.path.join(str(network), rel)


def load_all(network: Path) -> list[MobilityFile]:
    """Every mobility of the network, sorted by id (none when there is no folder)."""
    folder = folder_of(network)
    if not folder.is_dir():
        return []
    try:
        names = sorted(p.name for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    except OSError as exc:
        raise UsageError(f"cannot list {folder}: {exc.strerror}",
                         "check the folder's permissions") from None
    return [load_file(network, name) for name in names]


def load_one(network: Path, wanted: str) -> MobilityFile:
    """The mobility named by its id or its file (`mobilities/ID.yaml`), or UsageError."""
    path = Path(wanted)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        if path.resolve().parent != folder_of(network).resolve():
            raise UsageError(f"'{wanted}' is not in the network's {FOLDER}/ folder",
                             f"keep mobility files in {folder_of(network)}/, named ID.yaml")
        return load_file(network, path.name)
    for suffix in (".yaml", ".yml"):
        if (folder_of(network) / f"{wanted}{suffix}").is_file():
            return load_file(network, f"{wanted}{suffix}")
    known = [m.id for m in load_all(network)] if folder_of(network).is_dir() else []
    from difflib import get_close_matches

    close = get_close_matches(wanted, known, n=1)
    hint = (f"did you mean '{close[0]}'?" if close else
            "mobilities: " + ", ".join(known) if known else
            f"create {folder_of(network)}/{wanted}.yaml (see the README's tutorial)")
    raise UsageError(f"there is no mobility '{wanted}' in {folder_of(network)}/", hint)


def load_file(network: Path, name: str) -> MobilityFile:
    """Read and type-check `mobilities/NAME` (domain rules come later, in checks)."""
    path = folder_of(network) / name
    ident = name.rsplit(".", 1)[0]
    loaded = MobilityFile(ident, _show(network, name))
    from mouctl import files

    try:  # the one reader: a pipe or a link out of the folder is refused, not read
        raw = files.read_bytes(path, folder_of(network), limit=yamldoc.MAX_BYTES,
                               what="mobilities folder")
    except files.FileProblem as exc:
        loaded.diagnostics.append(Diagnostic("error", exc.code, exc.reason, loaded.file,
                                             hint=exc.hint))
        return loaded
    doc = yamldoc.read(name, raw)
    loaded.doc = doc
    for line, col, finding in doc.problems:
        loaded.diagnostics.append(Diagnostic(
            finding.severity, finding.code, finding.message, loaded.file, line, col,
            format_path(finding.path), finding.hint))
    if not _ID.match(ident) or len(ident) > 64:
        loaded.diagnostics.append(Diagnostic(
            "error", "bad-id", f"the file name '{name}' is not a valid mobility id",
            loaded.file, 1, 1, hint="name the file with ASCII letters, digits, '.', '_' "
            "and '-' only, e.g. mobilities/2026-oulu-mueller.yaml"))
    if doc.root is None:
        return loaded
    if not isinstance(doc.data, dict):
        loaded.add(Finding("error", "not-a-mapping", (),
                           "the file must hold a mapping of fields (`key: value` lines)",
                           "see the README's tutorial for an example mobility"))
        return loaded
    try:
        loaded.mobility = Mobility.model_validate(doc.data)
    except ValidationError as exc:
        for finding in explain_validation_error(exc, yamldoc.is_invalid, Mobility):
            loaded.add(finding)
    if loaded.errors:
        loaded.mobility = None
    return loaded
