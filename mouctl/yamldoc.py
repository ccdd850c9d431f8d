"""Read one YAML file into plain data while keeping its nodes for line numbers.

The only importer of PyYAML. Parsing uses libyaml's C composer when available
(ten times faster than the pure-Python one) and converts nodes to data ourselves,
so that duplicate keys, custom tags and alias bombs are caught, not silently
accepted, and every value can be traced back to its line and column.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import yaml

try:  # libyaml is bundled in PyYAML's wheels; fall back to pure Python without it.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from mouctl.diagnostics import Finding

MAX_BYTES = 16 * 1024 * 1024
# Values reachable through aliases; far above any real network (L: ~0.5 million).
MAX_VALUES = 5_000_000

_T = "tag:yaml.org,2002:"
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)", re.MULTILINE)
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """One YAML file as data, with its root node kept for locating paths."""

    name: str
    data: object = None
    root: yaml.Node | None = None
    problems: list[tuple[int | None, int | None, Finding]] = field(default_factory=list)

    def fail(self, node_or_line, message: str, hint: str | None, code: str, path=()) -> None:
        """Record a problem at a node (or a 1-based line number)."""
        if isinstance(node_or_line, yaml.Node):
            line, col = node_or_line.start_mark.line + 1, node_or_line.start_mark.column + 1
        else:
            line, col = node_or_line, None
        self.problems.append((line, col, Finding("error", code, tuple(path), message, hint)))


def read(name: str, raw: bytes) -> Document:
    """Parse `raw` (the bytes of file `name`) into a Document; never raises."""
    doc = Document(name)
    text = _decode(doc, raw)
    if text is None:
        return doc
    conflict = _CONFLICT.search(text)
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        doc.fail(
            line,
            "unresolved git merge conflict marker",
            "finish the merge: keep the lines you want, delete the <<<<<<<, ======= and "
            ">>>>>>> lines, then run `mouctl validate` again",
            "merge-conflict",
        )
        return doc
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        _syntax_error(doc, text, exc)
        return doc
    except yaml.YAMLError as exc:  # errors without a mark (rare)
        doc.fail(None, f"YAML syntax error: {exc}", None, "yaml-syntax")
        return doc
    if root is None:
        doc.fail(
            1,
            "the file is empty (or holds only comments)",
            "write the network's fields in it, or run `mouctl init` to start from an example",
            "empty-file",
        )
        return doc
    doc.root = root
    if _count_values(root, {}) > MAX_VALUES:
        doc.fail(
            root,
            f"the file expands to more than {MAX_VALUES:,} values through YAML aliases",
            "remove the anchors (&) and aliases (*): write the data out",
            "alias-bomb",
        )
        return doc
    doc.data = _Converter(doc).convert(root, ())
    return doc


def _decode(doc: Document, raw: bytes) -> str | None:
    if len(raw) > MAX_BYTES:
        doc.fail(
            None,
            f"the file is {len(raw) / 1048576:.0f} MB; mouctl reads files of up to "
            f"{MAX_BYTES // 1048576} MB",
            "split large networks into partners/*.yaml and qualifications/*.yaml",
            "file-too-large",
        )
        return None
    if b"\x00" in raw:
        doc.fail(None, "this is a binary file, not YAML text", "check the file name", "binary")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        doc.fail(
            line,
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02X} at line {line})",
            "save the file as UTF-8 in your editor (it may be Latin-1 or Windows-1252)",
            "encoding",
        )
        return None
    text = text.removeprefix("\ufeff")  # a byte-order mark is harmless; editors add it
    if not text.strip():
        doc.fail(
            1,
            "the file is empty",
            "write the network's fields in it, or run `mouctl init` to start from an example",
            "empty-file",
        )
        return None
    return text


def _syntax_error(doc: Document, text: str, exc: yaml.MarkedYAMLError) -> None:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    lines = text.splitlines()
    source_line = lines[mark.line] if mark and mark.line < len(lines) else ""
    hint = "check the indentation and quotes on this line and the one above"
    if "\t" in source_line[: (mark.column + 1) if mark else 0] or (
        mark and mark.index < len(text) and text[mark.index] == "\t"
    ):
        message = "a tab character is used for indentation; YAML indents with spaces only"
        hint = "replace the tab with spaces (two per level, as elsewhere in the file)"
    elif "quoted scalar" in context or "quoted scalar" in problem:
        message = "a quoted text is never closed"
        if exc.context_mark:
            line, col = exc.context_mark.line + 1, exc.context_mark.column + 1
        hint = "add the closing quote (' or \") at the end of the text"
    elif "mapping values are not allowed" in problem:
        message = "a ':' inside a value starts a new key here"
        hint = "put the whole value in quotes, e.g. title: 'Cook: kitchen basics'"
    elif ("expected <block end>" in problem or "did not find expected key" in problem
          or "did not find expected '-'" in problem):
        message = "the indentation of this line does not match the lines above"
        hint = "align the line with its siblings; items of a list start with '- '"
    else:
        message = f"YAML syntax error: {problem or context}"
    doc.problems.append((line, col, Finding("error", "yaml-syntax", (), message, hint)))


def _count_values(node: yaml.Node, seen: dict[int, int]) -> int:
    # Memoised by node identity: aliases share nodes, so this is linear in the file
    # while reporting how large the expanded data would be.
    key = id(node)
    if key in seen:
        return seen[key]
    seen[key] = 1  # guards against recursive aliases
    if isinstance(node, yaml.MappingNode):
        total = 1 + sum(_count_values(k, seen) + _count_values(v, seen) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        total = 1 + sum(_count_values(v, seen) for v in node.value)
    else:
        total = 1
    seen[key] = total
    return total


class _Converter:
    """Nodes -> Python data; YAML 1.2 booleans so that `NO` (Norway) stays text."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def convert(self, node: yaml.Node, path: tuple):
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _T + "seq":
                return self.bad_tag(node, path)
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        return None  # pragma: no cover

    def mapping(self, node: yaml.MappingNode, path: tuple) -> dict | None:
        if node.tag != _T + "map":
            return self.bad_tag(node, path)
        out: dict = {}
        first_line: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == _T + "merge":
                self.doc.fail(
                    key_node,
                    "YAML merge keys (<<) are not supported",
                    "write the fields out in full",
                    "merge-key",
                    path,
                )
                continue
            key = self.convert(key_node, path)
            if not isinstance(key, str | int):
                self.doc.fail(key_node, "a key must be a plain name", None, "bad-key", path)
                continue
            if isinstance(key, int):
                key = str(key)
            if key in out:
                self.doc.fail(
                    key_node,
                    f"duplicate key '{key}' (first given at line {first_line[key]})",
                    "remove one of the two; YAML would silently keep only the last one",
                    "duplicate-key",
                    (*path, key),
                )
                continue
            first_line[key] = key_node.start_mark.line + 1
            out[key] = self.convert(value_node, (*path, key))
        return out

    def scalar(self, node: yaml.ScalarNode, path: tuple):
        tag, value = node.tag, node.value
        if tag == _T + "str":
            return value
        if tag == _T + "null":
            return None
        if tag == _T + "bool":
            low = value.lower()
            if low in ("true", "false"):
                return low == "true"
            return value  # yes/no/on/off are text in YAML 1.2 (and `NO` is Norway)
        if tag == _T + "int":
            try:
                return int(value.replace("_", ""), 0) if value[:2] != "0o" else int(value, 8)
            except ValueError:
                return _constructor.construct_yaml_int(node)
        if tag == _T + "float":
            return _constructor.construct_yaml_float(node)
        if tag == _T + "timestamp":
            try:
                stamp = _constructor.construct_yaml_timestamp(node)
            except ValueError:
                self.doc.fail(
                    node,
                    f"'{value}' is not a valid date",
                    "write a real calendar date as YYYY-MM-DD",
                    "invalid-date",
                    path,
                )
                return _INVALID
            if isinstance(stamp, dt.datetime) and stamp.time() == dt.time(0):
                return stamp.date()
            return stamp
        return self.bad_tag(node, path)

    def bad_tag(self, node: yaml.Node, path: tuple):
        tag = node.tag.replace(_T, "!!")
        self.doc.fail(
            node,
            f"the YAML tag '{tag}' is not allowed in network data",
            "remove the tag: network files hold only text, numbers, dates, lists and mappings",
            "yaml-tag",
            path,
        )
        return _INVALID


class _Invalid:
    """Stands in for a value already reported, so validation doesn't report it twice."""

    def __repr__(self) -> str:
        return "<invalid>"


_INVALID = _Invalid()


def is_invalid(value: object) -> bool:
    """True for the stand-in of a value that already has its own problem."""
    return value is _INVALID


def node_at(root: yaml.Node | None, path: tuple) -> tuple[yaml.Node | None, bool]:
    """The node at `path` below `root`, or the deepest ancestor found (exact=False)."""
    node = root
    for i, part in enumerate(path):
        child = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    # the key itself when the value is empty or is the path's end of a key
                    child = value_node
                    if i == len(path) - 1 and value_node.tag == _T + "null":
                        child = key_node
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                child = node.value[part]
        if child is None:
            return node, False
        node = child
    return node, True


def key_node_at(root: yaml.Node | None, path: tuple) -> yaml.Node | None:
    """The key node of the last part of `path` (to point at an unknown field's name)."""
    parent, exact = node_at(root, path[:-1])
    if exact and isinstance(parent, yaml.MappingNode):
        for key_node, _ in parent.value:
            if key_node.value == path[-1]:
                return key_node
    return None


def position(node: yaml.Node) -> tuple[int, int]:
    """1-based line and column of a node."""
    return node.start_mark.line + 1, node.start_mark.column + 1
