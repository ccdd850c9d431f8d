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
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

from mouctl import files
from mouctl.source import yamlsyntax
from mouctl.source.diagnostics import Finding

MAX_BYTES = files.MAX_TEXT_BYTES  # the one reader's limit
# Values reachable through aliases; far above any real network (L: ~0.5 million).
MAX_VALUES = 5_000_000
# Characters of text reachable through aliases: a few aliases of a long text must
# not expand to gigabytes when the network is rendered or fingerprinted.
MAX_CHARS = 4 * MAX_BYTES
# Nesting levels; a real network needs about ten (network > qualifications > units >
# learning_outcomes > knowledge > text per language). Keeps conversion's recursion safe.
MAX_DEPTH = 64

_T = "tag:yaml.org,2002:"
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)", re.MULTILINE)
_MARKERS = ("<" * 7, "=" * 7, ">" * 7, "|" * 7)
# A marker starts the text or follows a line feed: the regex engine jumps from one
# line feed to the next (L: 2 ms, against 5 for looking for each marker anywhere).
_MARKER_AFTER_LF = re.compile(r"\n(?:<{7}|={7}|>{7}|\|{7})")
# Where an alias (`*name`) can start: the start of the text, after a space or a
# flow indicator. Text without one has no aliases (a `*` elsewhere only costs time).
# The pattern starts with the `*` itself and looks back, so the regex engine skips to
# each `*` at memchr speed (`(?:^|[...])\*` tried every position: L 46 ms -> 1 ms).
_ALIAS_AFTER = re.compile(r"\*(?<=[\s\[\]{},:]\*)")
_STR, _SEQ, _MAP, _SCALAR = _T + "str", _T + "seq", _T + "map", yaml.ScalarNode
_constructor = yaml.constructor.SafeConstructor()


def has_alias(text: str) -> bool:
    """True when `text` may hold a YAML alias: a `*` at its start, after white space
    or after a flow indicator."""
    return text.startswith("*") or _ALIAS_AFTER.search(text) is not None


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader, with a shortcut for the tags of plain text.

    PyYAML's resolver tries a list of regular expressions, chosen by the first
    character, on every scalar (L: 0.1 million calls, 10% of composing). Only the
    characters it registered can start a number, a date, a boolean or a null: any
    other plain scalar, and every quoted one, is text; the others are resolved once per
    value. The answer is the same tag; `tests/source/test_fast_paths.py` holds it
    against the general resolver.
    """

    def __init__(self, stream) -> None:
        super().__init__(stream)
        # Plain scalars that may not be text, by value -> tag: keys and numbers repeat
        # (L: 30,000 such scalars, 13,000 different ones).
        self._resolved: dict[str, str] = {}

    def resolve(self, kind, value, implicit):
        if kind is _SCALAR:
            if not implicit[0] or value[:1] not in _RESOLVED_FIRST:
                return _STR
            tag = self._resolved.get(value)
            if tag is None:
                tag = self._resolved[value] = _resolve(self, kind, value, implicit)
            return tag
        # Collections written without a tag (the composer asks only then).
        return _COLLECTION_TAGS.get(kind) or _resolve(self, kind, value, implicit)

    # No path resolvers are registered (checked below), so following the path is idle.
    def descend_resolver(self, current_node, current_index) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


_resolve = _SafeLoader.resolve
_COLLECTION_TAGS = {yaml.SequenceNode: _SafeLoader.DEFAULT_SEQUENCE_TAG,
                    yaml.MappingNode: _SafeLoader.DEFAULT_MAPPING_TAG}
# First characters for which a plain scalar may resolve to something other than text;
# '' (the empty scalar, a null) is among them. With a wildcard resolver (key None) or
# path resolvers (neither exists in PyYAML's safe loader) the shortcut would be wrong,
# so the plain loader is used then.
_RESOLVED_FIRST = frozenset(_SafeLoader.yaml_implicit_resolvers)
if None in _RESOLVED_FIRST or _SafeLoader.yaml_path_resolvers:  # pragma: no cover
    _Loader = _SafeLoader  # type: ignore[misc]


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
    # The line-anchored regex (slow: it tries every position) only runs when a marker
    # may be there.
    maybe = text.startswith(_MARKERS) or _MARKER_AFTER_LF.search(text) is not None
    conflict = _CONFLICT.search(text) if maybe else None
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
        line, col, message, hint = yamlsyntax.explain(exc, text)
        doc.problems.append((line, col, Finding("error", "yaml-syntax", (), message, hint)))
        return doc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in text
        line, col, message, hint = yamlsyntax.explain_character(exc.position, exc.character,
                                                                text)
        doc.problems.append((line, col, Finding("error", "yaml-syntax", (), message, hint)))
        return doc
    except yaml.YAMLError as exc:  # errors without a mark (rare)
        doc.fail(None, f"YAML syntax error: {exc}", None, "yaml-syntax")
        return doc
    except RecursionError:  # the pure-Python composer on absurdly deep nesting
        doc.fail(1, "the data is nested too deeply", _DEEP_HINT, "too-deep")
        return doc
    if root is None:
        doc.fail(
            1,
            "the file is empty (or holds only comments)",
            "write the network's fields in it, or run `mouctl init` to start from an example",
            "empty-file",
        )
        return doc
    aliased = has_alias(text)
    if aliased and not _within_limits(doc, root):
        return doc  # without a root, nothing below reports on data it cannot hold
    # Without aliases every value is its own node: no cycles and no more characters
    # than the file has, so only depth and count are left to check, and conversion
    # checks them on its way (L: _measure's extra walk took 1.2 s of 2).
    reported = len(doc.problems)
    converter = _Converter(doc, text)
    try:
        data = converter.convert(root, ())
    except _TooDeep:
        data = None
    if not aliased and (data is None or converter.values > MAX_VALUES):
        del doc.problems[reported:]
        _within_limits(doc, root)  # reports it exactly as for a file with aliases
        return doc
    doc.root = root
    doc.data = data
    return doc


class _TooDeep(Exception):
    """Conversion met a value nested deeper than MAX_DEPTH."""


_DEEP_HINT = "network data is only a few levels deep; check the brackets and indentation"
# Byte-order marks of encodings other than UTF-8 (longest first: UTF-32 LE starts like
# UTF-16 LE); Windows editors save "Unicode" text with them.
_OTHER_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
               (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def _decode(doc: Document, raw: bytes) -> str | None:
    if len(raw) > MAX_BYTES:
        doc.fail(
            None,
            files.too_large(len(raw), MAX_BYTES),
            "split large networks into partners/*.yaml and qualifications/*.yaml",
            "file-too-large",
        )
        return None
    encoding = next((enc for bom, enc in _OTHER_BOMS if raw.startswith(bom)), None)
    if encoding is None and len(raw) >= 4 and raw[1:4:2] == b"\x00\x00" and raw[0] and raw[2]:
        encoding = "UTF-16"  # UTF-16 without a byte-order mark: every other byte is 0
    if encoding:
        doc.fail(
            1,
            f"the file is saved as {encoding} text, not UTF-8",
            "save it as UTF-8 in your editor (in Notepad: Save as > Encoding: UTF-8)",
            "encoding",
        )
        return None
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        doc.fail(
            line,
            "this is a binary file, not YAML text",
            "network files are plain text; check that the right file was saved under "
            "this name",
            "binary",
        )
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


def _within_limits(doc: Document, root: yaml.Node) -> bool:
    """False (with a problem recorded) for self-containing, too deep or huge data."""
    size = _measure(root)
    if size.cycle is not None:
        doc.fail(
            size.cycle,
            "an alias (*) inside this value refers back to the value itself",
            "remove the alias: the data would contain itself without end",
            "recursive-alias",
        )
    elif size.depth > MAX_DEPTH:
        doc.fail(size.deepest, f"the data is nested more than {MAX_DEPTH} levels deep",
                 _DEEP_HINT, "too-deep")
    elif size.values > MAX_VALUES or size.chars > MAX_CHARS:
        amount = (f"more than {MAX_VALUES:,} values" if size.values > MAX_VALUES
                  else f"more than {MAX_CHARS // 1048576} million characters")
        doc.fail(
            root,
            f"the file expands to {amount} through YAML aliases",
            "remove the anchors (&) and aliases (*): write the data out",
            "alias-bomb",
        )
    else:
        return True
    return False


@dataclass
class _Size:
    values: int = 0
    chars: int = 0
    depth: int = 0
    cycle: yaml.Node | None = None
    deepest: yaml.Node | None = None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _measure(root: yaml.Node) -> _Size:
    """Values, characters and depth of the data as expanded through aliases.

    Iterative (deep nesting cannot exhaust the stack) and memoised by node identity
    (aliases share nodes), so it is linear in the file even for an alias bomb.
    """
    done: dict[int, tuple[int, int, int]] = {}  # node -> (values, chars, depth)
    open_nodes: set[int] = set()  # on the current path: met again means a cycle
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            kids = [done[id(k)] for k in _children(node)]
            own = len(node.value) if isinstance(node, yaml.ScalarNode) else 0
            done[key] = (1 + sum(k[0] for k in kids), own + sum(k[1] for k in kids),
                         1 + max((k[2] for k in kids), default=0))
            continue
        if key in done:
            continue
        if key in open_nodes:
            return _Size(cycle=node)
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((kid, False) for kid in _children(node) if id(kid) not in done)
    values, chars, depth = done[id(root)]
    size = _Size(values, chars, depth)
    if depth > MAX_DEPTH:  # point at the first node below the limit, not at the root
        node = root
        for _ in range(MAX_DEPTH):
            node = max(_children(node), key=lambda k: done[id(k)][2])
        size.deepest = node
    return size


class _Converter:
    """Nodes -> Python data; YAML 1.2 booleans so that `NO` (Norway) stays text."""

    def __init__(self, doc: Document, text: str = "") -> None:
        self.doc = doc
        self.values = 1  # nodes met, keys included (as _measure counts them)
        # Text values are taken as they are (no call per value) unless the file has an
        # escape that can write a control character; then each is checked in scalar().
        self.plain_tag = None if _CONTROL_ESCAPE.search(text) else _STR

    def convert(self, node: yaml.Node, path: tuple):
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                return self.bad_tag(node, path)
            items = node.value
            self._enter(path, len(items))
            # Plain text items (most of a network) are taken without a call per item.
            plain = self.plain_tag
            return [item.value if item.__class__ is _SCALAR and item.tag == plain
                    else self.convert(item, (*path, i)) for i, item in enumerate(items)]
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        return None  # pragma: no cover

    def _enter(self, path: tuple, children: int) -> None:
        # The node sits at depth len(path) + 1 (the root is 1), its children one deeper.
        if children and len(path) + 2 > MAX_DEPTH:
            raise _TooDeep
        self.values += children

    def mapping(self, node: yaml.MappingNode, path: tuple) -> dict | None:
        if node.tag != _MAP:
            return self.bad_tag(node, path)
        self._enter(path, 2 * len(node.value))
        out: dict = {}
        first: dict = {}  # key -> its key node, to name the line of a duplicate
        plain = self.plain_tag
        for key_node, value_node in node.value:
            if key_node.__class__ is _SCALAR and key_node.tag == _STR:
                key = key_node.value  # the usual case, without the general conversion
                if key not in out:
                    first[key] = key_node
                    out[key] = (value_node.value if value_node.__class__ is _SCALAR
                                and value_node.tag == plain
                                else self.convert(value_node, (*path, key)))
                    continue
            elif key_node.tag == _T + "merge":
                self.doc.fail(
                    key_node,
                    "YAML merge keys (<<) are not supported",
                    "write the fields out in full",
                    "merge-key",
                    path,
                )
                continue
            else:
                key = self.key(key_node, path)
            if key is None:
                continue
            if key in out:
                self.doc.fail(
                    key_node,
                    f"duplicate key '{key}' (first given at line "
                    f"{first[key].start_mark.line + 1})",
                    "remove one of the two; YAML would silently keep only the last one",
                    "duplicate-key",
                    (*path, key),
                )
                continue
            first[key] = key_node
            out[key] = self.convert(value_node, (*path, key))
        return out

    def key(self, node: yaml.Node, path: tuple) -> str | None:
        """A key as the text written: every key mouctl knows is a name, so `1:` or
        `2026-01-01:` are read as the names '1' and '2026-01-01' (then reported as
        unknown fields where they do not belong), never as numbers or dates."""
        if isinstance(node, yaml.ScalarNode):
            if node.tag.startswith(_T) and node.tag[len(_T):] in _PLAIN_TAGS:
                return node.value
            self.bad_tag(node, path)
            return None
        kind = "list" if isinstance(node, yaml.SequenceNode) else "mapping"
        self.doc.fail(node, f"a key must be a plain name, not a {kind}",
                      "write `name: value`; a line starting with '?' or a key in brackets "
                      "makes YAML read the key as a list or mapping", "bad-key", path)
        return None

    def scalar(self, node: yaml.ScalarNode, path: tuple):
        tag, value = node.tag, node.value
        if tag == _T + "str":
            bad = _FORBIDDEN_IN_TEXT.search(value)
            if bad:  # written as an escape ("\v", "\x00"): YAML refuses them raw
                self.doc.fail(node, "the text contains an invisible control character "
                              f"(U+{ord(bad.group()):04X})", "delete it: it often comes from "
                              "copying text out of a PDF or a word processor",
                              "control-character", path)
                return _INVALID
            return value
        if tag == _T + "null":
            return None
        if tag == _T + "bool":
            low = value.lower()
            if low in ("true", "false"):
                return low == "true"
            return value  # yes/no/on/off are text in YAML 1.2 (and `NO` is Norway)
        if tag == _T + "int":
            return _integer(value)
        if tag == _T + "float":
            number = _decimal(value)
            if number is _INVALID:
                self.doc.fail(node, f"'{value}' is not a number mouctl can use",
                              "write a finite number with digits, e.g. 20 or 2.5",
                              "not-finite", path)
            return number
        if tag == _T + "timestamp":
            try:
                stamp = _constructor.construct_yaml_timestamp(node)
            except Exception:  # noqa: BLE001 - ValueError, or worse for `!!timestamp x`
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


_PLAIN_TAGS = {"str", "null", "bool", "int", "float", "timestamp"}
# Characters no document can hold (Word's XML and PDF refuse them; a terminal obeys
# them): control characters other than tab and line breaks, non-characters, and
# halves of surrogate pairs. YAML refuses them raw; these arrive as escapes.
_CONTROL_ESCAPE = re.compile(r"\\[0abvfexuU]")  # escapes that can write one of them
_FORBIDDEN_IN_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# Numbers as YAML 1.2 writes them. YAML 1.1 (PyYAML's resolver) also reads `0401 2345`
# -style leading zeros as octal and `1:30` as base 60; a phone number, a postcode or a
# time would silently become another number, so those stay text, as in YAML 1.2.
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,30})|0x[0-9a-fA-F]{1,30}|0o[0-7]{1,30}")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?")


def _integer(value: str) -> int | str:
    """An int for a YAML 1.2 integer; the text itself for anything else."""
    plain = value.replace("_", "")
    if not _INT.fullmatch(plain):
        return value
    return int(plain, 0) if plain[:2] in ("0x", "0o") else int(plain)


def _decimal(value: str):
    """A float for a YAML 1.2 decimal; _INVALID for .inf/.nan; else the text."""
    plain = value.replace("_", "")
    if plain.lower().lstrip("+-") in (".inf", ".nan"):
        return _INVALID
    return float(plain) if _FLOAT.fullmatch(plain) else value


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


def written(node: yaml.Node | None) -> str | None:
    """A plain scalar's text exactly as the file has it (`True`, `1.00`), else None."""
    if isinstance(node, yaml.ScalarNode) and not node.style:  # libyaml says '', PyYAML None
        return node.value
    return None


def position(node: yaml.Node) -> tuple[int, int]:
    """1-based line and column of a node."""
    return node.start_mark.line + 1, node.start_mark.column + 1


# --- writing -------------------------------------------------------------------------

# Plain scalars that a YAML 1.2 reader (yaml-language-server, other tools) reads as
# something other than text, beyond what PyYAML's YAML 1.1 resolver already quotes.
_YAML12_NOT_TEXT = re.compile(
    r"[-+]?(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|true|True|TRUE|false|False|FALSE"
    r"|null|Null|NULL|~|")


# Line breaks other than \n (CR, NEL, LS, PS), a byte-order mark and control characters.
_UNSAFE_IN_QUOTES = re.compile("[\r\x85\u2028\u2029\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class _Dumper(yaml.SafeDumper):
    """SafeDumper that quotes every text a YAML 1.1 or 1.2 reader could take for a
    number, date, boolean or null (`NO`, `yes`, `0401`, `1e3`, `2026-01-01`), so that
    text stays text whichever tool reads the file next."""

    def represent_str(self, data: str) -> yaml.ScalarNode:
        data = str(data)  # StrEnum members (roles) are written as their text
        style = None
        if _UNSAFE_IN_QUOTES.search(data):
            style = '"'  # only double quotes escape them; other styles fold or drop them
        elif _YAML12_NOT_TEXT.fullmatch(data):
            style = "'"
        elif "\n" in data:
            style = "|"  # the emitter falls back to quotes when a block cannot hold it
        return self.represent_scalar(_T + "str", data, style=style)

    def ignore_aliases(self, data) -> bool:
        return True  # write repeated values out: mouctl's reader refuses nothing, but
        # people should not meet anchors in a file they edit by hand


_Dumper.add_representer(str, _Dumper.represent_str)
_Dumper.add_multi_representer(str, _Dumper.represent_str)


def dump(data: object) -> str:
    """`data` (mappings, lists, text, numbers, dates) as YAML text that `read` returns
    unchanged: keys in the given order, Unicode as is, no anchors, no line folding."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=1 << 16, indent=2)
