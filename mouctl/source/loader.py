"""Network files -> validated model, with every problem located in its file.

A network is a folder with `network.yaml` and optionally `partners/*.yaml` and
`qualifications/*.yaml` (one entity per file) that load exactly as if they were
inline. `load` reads a folder; `load_documents` takes file contents from anywhere
(the history module passes blobs from a git revision through the same path).
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import ValidationError

from mouctl import collector
from mouctl import files as safe
from mouctl.errors import InvalidNetwork, NetworkNotFound
from mouctl.model.network import Network
from mouctl.source import checks, yamldoc
from mouctl.source.diagnostics import Diagnostic, Finding, format_path, sort_key
from mouctl.source.explain import explain_validation_error, model_in, requote
from mouctl.source.names import ENTITY_LISTS, NETWORK_FILE, SPLIT_KINDS  # noqa: F401


@dataclass
class Loaded:
    """The outcome of loading a network: the model (None if invalid) and diagnostics."""

    network: Network | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def require(self, *, strict: bool = False) -> Network:
        """The model, or InvalidNetwork carrying the diagnostics."""
        if self.network is None or self.errors or (strict and self.warnings):
            raise InvalidNetwork(self.diagnostics)
        return self.network

    @property
    def release_requirements(self) -> list[Diagnostic]:
        """What a draft may lack but a release needs (signatories, outcomes ...)."""
        return [d for d in self.warnings if checks.is_release_requirement(d.code)]

    def for_release(self) -> Loaded:
        """The release view: what is needed before release counts as an error."""
        shown = [replace(d, severity="error") if checks.is_release_requirement(d.code)
                 and d.severity == "warning" else d for d in self.diagnostics]
        ok = self.network is not None and not any(d.severity == "error" for d in shown)
        return Loaded(self.network if ok else None, sorted(shown, key=sort_key), self.files)


def find_network(folder: Path) -> Path:
    """The network folder's `network.yaml`, or NetworkNotFound with a hint."""
    path = folder / NETWORK_FILE
    if not path.is_file():
        where = ("this folder or any folder above it" if str(folder) in ("", ".")
                 else f"'{folder}'")
        raise NetworkNotFound(
            f"no {NETWORK_FILE} in {where}",
            "run mouctl inside a network folder, point at one with --network DIR, "
            "or create one with `mouctl init`",
        )
    return path


def read_folder(folder: Path) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """The network's files as {relative name: bytes}, each read by `files.read_bytes`
    (regular files inside the folder only); anything else where data belongs is reported."""
    find_network(folder)
    names = [NETWORK_FILE]
    files: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    for kind in SPLIT_KINDS:
        found, trouble = _split_files(folder, kind)
        names += found
        problems += trouble
    from mouctl.trace import note

    for name in names:
        try:
            files[name] = safe.read_bytes(folder / name, folder, limit=yamldoc.MAX_BYTES,
                                          what="network folder")
            note("read %s (%d bytes)", _show(folder, name), len(files[name]))
        except safe.FileProblem as exc:
            code = "outside-network" if exc.code == "outside-folder" else exc.code
            hint = _SPLIT_HINT if code == "file-too-large" else exc.hint
            problems.append(Diagnostic("error", code, exc.reason, _show(folder, name),
                                       hint=hint))
    return files, problems


_SPLIT_HINT = "split large networks into partners/*.yaml and qualifications/*.yaml"


def not_a_folder(kind: str, shown: str) -> Diagnostic:
    """`partners` (or `qualifications`) is a file: its entities cannot be read."""
    return Diagnostic("error", "unreadable", f"'{kind}' is not a folder; its entities were "
                      "not read", shown, hint=f"make {kind}/ a folder of *.yaml files (one "
                      f"per entity), or move the {kind} into network.yaml")


def submodule(kind: str, shown: str) -> Diagnostic:
    """`partners/` is a git submodule: in the working tree and at every revision alike."""
    return Diagnostic("error", "submodule", f"'{kind}/' is a separate git repository (a "
                      "submodule): its files are not part of the network's history, so "
                      "releases would not hold them", shown,
                      hint=f"make {kind}/ an ordinary folder of the network's repository")


def wrong_case(name: str, shown: str) -> Diagnostic | None:
    """A data file named `*.YAML` (another letter case): not read, and said so."""
    stem, suffix = os.path.splitext(name)
    if suffix in (".yaml", ".yml") or suffix.lower() not in (".yaml", ".yml"):
        return None
    return Diagnostic("error", "wrong-name", f"the file ends in '{suffix}', so it was not "
                      "read", shown, hint=f"rename it to {stem}{suffix.lower()}")


def _split_files(folder: Path, kind: str) -> tuple[list[str], list[Diagnostic]]:
    """The data files in `partners/` or `qualifications/`, and what is wrong there:
    a file where the folder belongs, a git submodule, `*.YAML` in other letter case."""
    sub = folder / kind
    shown = _show(folder, kind)
    if not sub.exists() and not sub.is_symlink():
        return [], []
    if not sub.is_dir():
        return [], [not_a_folder(kind, shown)]
    if (sub / ".git").exists():
        return [], [submodule(kind, shown)]
    try:
        entries = sorted(p.name for p in sub.iterdir())
    except OSError as exc:
        return [], [Diagnostic("error", "unreadable", f"cannot list the folder: "
                               f"{exc.strerror}", shown, hint="check its permissions")]
    names, problems = [], []
    for entry in entries:
        if os.path.splitext(entry)[1] in (".yaml", ".yml"):
            names.append(f"{kind}/{entry}")
        elif (problem := wrong_case(entry, _show(folder, f"{kind}/{entry}"))) is not None:
            problems.append(problem)
    return names, problems


def _show(folder: Path, name: str) -> str:
    return name if str(folder) in ("", ".") else os.path.join(str(folder), name)


def load(folder: Path, *, today: dt.date | None = None) -> Loaded:
    """Load and check the network in `folder` (raises NetworkNotFound only)."""
    from mouctl.render.catalogue import available_languages

    files, problems = read_folder(folder)
    loaded = load_documents(files, today=today, display=lambda n: _show(folder, n),
                            catalogues=available_languages(folder / "templates"),
                            annex_problem=lambda name: annex_problem(folder, name))
    loaded.diagnostics = sorted(problems + loaded.diagnostics, key=sort_key)
    if problems:  # a file that could not be read: the network is incomplete
        loaded.network = None
    return loaded


def load_documents(
    files: Mapping[str, bytes],
    *,
    today: dt.date | None = None,
    display: Callable[[str], str] = lambda name: name,
    catalogues: set[str] | None = None,
    annex_problem: Callable[[str], str | None] | None = None,
) -> Loaded:
    """Parse, validate and check a network given as {relative file name: bytes}.

    `catalogues`: the languages the templates have fixed text in, when known.
    `annex_problem(name)` checks an annex file the data names; without it (files at
    a git revision) annex files are not looked at.
    """
    with collector.paused():
        assembly = _Assembly(display, annex_problem)
        for name in sorted(files, key=lambda n: (n != NETWORK_FILE, n)):
            assembly.add(name, files[name])
        return assembly.finish(today or dt.date.today(), catalogues)


def annex_problem(folder: Path, name: str) -> str | None:
    """What is wrong with the annex file `name` of the network in `folder`, if anything
    (it must be a regular file inside the folder: no links out, no pipes)."""
    candidate = Path(name)
    if candidate.is_absolute() or ".." in candidate.parts:
        return f"'{name}' leads outside the network folder"
    if not (folder / candidate).exists() and not (folder / candidate).is_symlink():
        return f"there is no file '{name}' in the network folder"
    problem = safe.inspect(folder / candidate, folder, what="network folder")
    return problem[1] if problem else None


def read_annex(folder: Path, name: str) -> bytes | None:
    """The bytes of the annex file `name`, or None when it cannot be read safely."""
    if annex_problem(folder, name) is not None:
        return None
    try:
        return safe.read_bytes(folder / name, folder, what="network folder")
    except safe.FileProblem:
        return None


class _Assembly:
    """Collects documents into one raw network and maps paths back to files."""

    def __init__(self, display: Callable[[str], str], annex_problem=None) -> None:
        self.display = display
        self.annex_problem = annex_problem
        self.docs: dict[str, yamldoc.Document] = {}
        self.raw: dict = {}
        self.diagnostics: list[Diagnostic] = []
        # (kind, index) of an entity that came from a split file -> that file's name
        self.origin: dict[tuple[str, int], str] = {}

    def add(self, name: str, content: bytes) -> None:
        doc = yamldoc.read(name, content)
        self.docs[name] = doc
        for line, col, finding in doc.problems:
            self._emit(finding, name, line, col)
        if doc.root is None:
            return
        if not isinstance(doc.data, dict):
            self._at(name, (), Finding(
                "error", "not-a-mapping", (),
                "the file must hold a mapping of fields (`key: value` lines), not a "
                + ("list" if isinstance(doc.data, list) else "single value"),
                "see `mouctl init` for an example of the layout"))
            return
        if name == NETWORK_FILE:
            self.raw = dict(doc.data)
            return
        kind, _, filename = name.partition("/")
        items = self.raw.setdefault(kind, [])
        if not isinstance(items, list):
            return  # the inline value is already wrong; validation reports it
        index = len(items)
        self.origin[(kind, index)] = name
        items.append(doc.data)
        stem = filename.rsplit(".", 1)[0]
        ident = doc.data.get("id")
        if isinstance(ident, str) and ident != stem:
            self._locate(Finding(
                "error", "file-name-mismatch", (kind, index, "id"),
                f"id '{ident}' does not match the file name '{filename}'",
                f"rename the file to '{ident}.yaml' or set `id: {stem}`"))

    def finish(self, today: dt.date, catalogues: set[str] | None = None) -> Loaded:
        files = [self.display(n) for n in self.docs]
        if NETWORK_FILE not in self.docs or self.docs[NETWORK_FILE].root is None or any(
            d.severity == "error" and d.code in _FATAL for d in self.diagnostics
        ):
            return Loaded(None, sorted(self.diagnostics, key=sort_key), files)
        network, kept = self._validate()
        if network is not None:
            shadow = _raw_ids(self.raw)
            for finding in checks.run(network, today=today, known_ids=shadow,
                                      catalogues=catalogues,
                                      annex_problem=self.annex_problem):
                finding = _unprune(finding, kept)
                if not _depends_on_dropped(finding, kept):
                    self._locate(finding)
        ok = network is not None and not any(d.severity == "error" for d in self.diagnostics)
        return Loaded(network if ok else None, sorted(self.diagnostics, key=sort_key), files)

    def _validate(self) -> tuple[Network | None, dict]:
        """The model; when the data has errors, a model of the valid part for checks."""
        try:
            return Network.model_validate(self.raw), {}
        except ValidationError as exc:
            findings = explain_validation_error(exc, yamldoc.is_invalid)
            failed = [f.path for f in findings] + _invalid_paths(exc)
        for finding in findings:
            self._locate(finding)
        # Drop what failed and check the rest, so that one typo does not hide the
        # domain problems elsewhere: first only the failing optional fields, then,
        # if that is not enough, the whole entities that still fail.
        raw, kept = _prune(self.raw, failed, fields_first=True)
        for _ in range(2):
            try:
                return Network.model_validate(raw), kept
            except ValidationError as exc:
                again = [tuple(e["loc"]) for e in exc.errors()]
                raw, kept = _prune(self.raw, failed + again, fields_first=False)
        return None, kept

    def _locate(self, finding: Finding) -> None:
        path = finding.path
        name, sub = NETWORK_FILE, path
        if len(path) >= 2 and (path[0], path[1]) in self.origin:
            name, sub = self.origin[(path[0], path[1])], path[2:]
        self._at(name, sub, finding)

    def _at(self, name: str, sub: tuple, finding: Finding) -> None:
        root = self.docs[name].root
        node = None
        if finding.code == "unknown-field":
            node = yamldoc.key_node_at(root, sub)
        exact = False
        if node is None:
            node, exact = yamldoc.node_at(root, sub)
        line, col = yamldoc.position(node) if node is not None else (None, None)
        if exact:
            finding = requote(finding, yamldoc.written(node))
        self._emit(finding, name, line, col)

    def _emit(self, finding: Finding, name: str, line, col) -> None:
        self.diagnostics.append(Diagnostic(
            finding.severity, finding.code, finding.message, self.display(name), line, col,
            format_path(finding.path), finding.hint))


# Problems after which the data cannot be assembled at all.
_FATAL = {"yaml-syntax", "merge-conflict", "encoding", "binary", "empty-file",
          "file-too-large", "alias-bomb", "not-a-mapping", "recursive-alias", "too-deep"}


def _raw_ids(raw: dict) -> set[str]:
    ids: set[str] = set()
    for kind in ENTITY_LISTS:
        items = raw.get(kind)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                ids.add(item["id"])
    return ids


def _invalid_paths(exc: ValidationError) -> list[tuple]:
    return [tuple(e["loc"]) for e in exc.errors() if yamldoc.is_invalid(e.get("input"))]


def _prune(raw: dict, paths: list[tuple], *, fields_first: bool) -> tuple[dict, dict]:
    """A copy of `raw` without what failed: optional fields, else whole entities.

    Returns the copy and, per entity list, the file positions of the items kept,
    so findings on the pruned model can be mapped back to lines in the files.
    """
    out = copy.deepcopy(raw)
    drop_items: dict[tuple, set[int]] = {}
    dropped: set[tuple] = set()  # paths of the fields removed whole
    for path in paths:
        field_path = _optional_field(path) if fields_first else None
        if field_path is not None:
            _delete(out, field_path)
            dropped.add(field_path)
            continue
        entity = _entity_of(path)
        if entity is None:
            if path:
                out.pop(str(path[0]), None)
                dropped.add((str(path[0]),))
            if path and path[0] == "title":
                out["title"] = ""
        else:
            drop_items.setdefault(entity[:-1], set()).add(entity[-1])
    kept: dict = {_DROPPED: dropped}
    # Units first: their positions are relative to their qualification in the file.
    for scope, dropped in sorted(drop_items.items(), key=lambda kv: -len(kv[0])):
        items = _get(out, scope)
        if isinstance(items, list):
            keep = [i for i in range(len(items)) if i not in dropped]
            items[:] = [items[i] for i in keep]
            kept[scope] = keep
    return out, kept


# Key in `kept` of the set of paths of fields dropped whole (not a list position).
_DROPPED = "dropped"
# Findings that only say that a dropped field is missing, by the field's name: the
# field's own error already says what is wrong with it.
_FOLLOW_UPS = {"coordinator": {"no-coordinator"}, "signatory": {"no-signatory"},
               "partners": {"unknown-reference", "wrong-kind", "one-country"},
               "awarding_institution": {"no-awarding-institution"}}

# Lists of entities: dropping one of these fields would drop every entity in it.
_ENTITY_FIELDS = {*ENTITY_LISTS, "units"}


def _entity_of(path: tuple) -> tuple | None:
    """The path of the entity (list item) that holds `path`, or None for top level."""
    if len(path) >= 4 and path[0] == "qualifications" and path[2] == "units" \
            and isinstance(path[1], int) and isinstance(path[3], int):
        return path[:4]
    if len(path) >= 2 and path[0] in ENTITY_LISTS and isinstance(path[1], int):
        return path[:2]
    return None


def _optional_field(path: tuple) -> tuple | None:
    """The deepest prefix of `path` naming an optional or unknown field, if any."""
    model: type | None = Network
    found = None
    for i, part in enumerate(path):
        if isinstance(part, int) or model is None:
            continue
        info = model.model_fields.get(part)
        if info is None:
            return path[: i + 1]  # an unknown field: dropping it is always safe
        if not info.is_required() and part not in _ENTITY_FIELDS:
            found = path[: i + 1]
        model = model_in(info.annotation)
    return found


def _get(data, path: tuple):
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _delete(data, path: tuple) -> None:
    parent = _get(data, path[:-1])
    if isinstance(parent, dict):
        parent.pop(path[-1], None)


def _depends_on_dropped(finding: Finding, kept: dict) -> bool:
    """Totals over a list that lost entities to errors would be misleading."""
    for field_path in kept.get(_DROPPED, ()):
        if finding.code in _FOLLOW_UPS.get(field_path[-1], ()) and (
                len(field_path) == 1 or finding.path[:len(field_path) - 1] == field_path[:-1]):
            return True
    if finding.code == "one-country":
        return ("partners",) in kept
    if finding.code.startswith("unit-points"):
        return any(isinstance(scope, tuple) and scope[0] == "qualifications"
                   and len(scope) == 3 for scope in kept)
    return False


def _unprune(finding: Finding, kept: dict) -> Finding:
    """Map a finding's path on the pruned model back to positions in the files."""
    path = list(finding.path)
    if len(path) >= 2 and isinstance(path[1], int) and (path[0],) in kept:
        path[1] = kept[(path[0],)][path[1]]
    if len(path) >= 4 and path[0] == "qualifications" and path[2] == "units":
        units_kept = kept.get(("qualifications", path[1], "units"))
        if units_kept is not None and isinstance(path[3], int):
            path[3] = units_kept[path[3]]
    if tuple(path) == finding.path:
        return finding
    return Finding(finding.severity, finding.code, tuple(path), finding.message, finding.hint)


def load_or_raise(folder: Path, *, today: dt.date | None = None, strict: bool = False) -> Network:
    """The valid network in `folder`, or InvalidNetwork with every diagnostic."""
    return load(folder, today=today).require(strict=strict)


def dumps(network: Network) -> str:
    """The network as the text of a single network.yaml that loads back equal.

    Fields left at their defaults are left out; texts that YAML could read as
    numbers, dates or booleans (`NO`, `0401`, `2026-01-01`) are quoted.
    """
    return yamldoc.dump(network.model_dump(mode="python", exclude_defaults=True))
