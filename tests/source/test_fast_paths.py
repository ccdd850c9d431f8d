"""The loader's shortcuts give exactly what the general code they stand in for gives.

Each fast path here replaced a slower, obviously right one for speed (issue 18); the
slow one is kept in the test as the reference and compared on drawn and real input.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from mouctl.model.network import ADDED_LATER, HOSTING_ROLES, Network, fingerprint_data
from mouctl.source import checks, loader, references, yamldoc
from mouctl.source.diagnostics import Finding
from tests.strategies import LANGUAGES, networks

ROOT = Path(__file__).resolve().parents[2]
# Every YAML file the tests and examples hold: real networks, the error corpus, templates.
YAML_FILES = sorted(p for folder in ("examples", "tests", "templates")
                    for p in (ROOT / folder).rglob("*.y*ml") if p.is_file())


def fast(n: int = 200):
    return settings(max_examples=n, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


# --- aliases -------------------------------------------------------------------------

_ALIAS_REFERENCE = re.compile(r"(?:^|[\s\[\]{},:])\*")  # the first, slow pattern


@fast(500)
@given(st.text(st.sampled_from(" \t\n\r[]{},:*a&-\u2028\x85"), max_size=12))
def test_has_alias_is_the_reference_pattern(text):
    assert yamldoc.has_alias(text) == (_ALIAS_REFERENCE.search(text) is not None)


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_has_alias_on_real_files(path):
    text = path.read_text("utf-8", errors="replace")
    assert yamldoc.has_alias(text) == (_ALIAS_REFERENCE.search(text) is not None)


# --- resolving tags ------------------------------------------------------------------

def _tree(root):
    """A node graph as comparable data: each node once (aliases share nodes, and a
    billion-laughs file must not be expanded) with kind, tag, value, style, position."""
    number: dict[int, int] = {}
    rows: list = []
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in number:
            continue
        number[id(node)] = len(rows)
        rows.append(node)
        kids = node.value if isinstance(node, yaml.SequenceNode) else (
            [n for pair in node.value for n in pair]
            if isinstance(node, yaml.MappingNode) else [])
        stack.extend(reversed(kids))

    def row(node):
        mark = (node.start_mark.line, node.start_mark.column, node.end_mark.line,
                node.end_mark.column)
        if isinstance(node, yaml.ScalarNode):
            return ("scalar", node.tag, node.value, node.style or None, mark)
        if isinstance(node, yaml.SequenceNode):
            return ("seq", node.tag, [number[id(n)] for n in node.value], mark)
        return ("map", node.tag, [(number[id(k)], number[id(v)]) for k, v in node.value],
                mark)

    return [row(node) for node in rows]


def _composed(text: str, loader):
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        return ("error", type(exc).__name__, str(exc))
    return None if root is None else _tree(root)


# Scalars of every kind YAML 1.1 resolves, and text that starts like them.
_SCALARS = st.one_of(
    st.sampled_from(["", "~", "null", "Null", "NULL", "n", "N", "no", "No", "NO", "yes",
                     "Yes", "y", "Y", "on", "Off", "true", "True", "FALSE", "0", "-1",
                     "+3", "0x1F", "0o17", "017", "1_000", "1:30", "1.5", "-.5", ".inf",
                     "-.Inf", ".nan", "1e3", "2026-01-01", "2026-01-01 10:00:00",
                     "2026-1-1", "<<", "=", "!", "&", "*", "Norway", "the end", "tomato",
                     "'quoted'", '"2026-01-01"', "'true'", "!!str 12", "!!int 12",
                     "!custom x", "|\n  block", ">\n  folded"]),
    st.text(st.sampled_from("0123456789.-+:_eExXoOtTnNyYfF~ab <=!&"), max_size=8),
)


@fast(300)
@given(st.lists(_SCALARS, min_size=1, max_size=6))
def test_resolver_shortcut_gives_the_general_tags(values):
    items = "".join(f"- {v}\n" if "\n" not in v else f"- {v}\n" for v in values)
    keyed = "".join(f"k{i}: {v}\n" for i, v in enumerate(values))
    flow = "[" + ", ".join(v for v in values if "\n" not in v) + "]\n"
    for text in (items, keyed, flow):
        assert _composed(text, yamldoc._Loader) == _composed(text, yamldoc._SafeLoader)


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_resolver_shortcut_on_real_files(path):
    text = path.read_text("utf-8", errors="replace")
    assert _composed(text, yamldoc._Loader) == _composed(text, yamldoc._SafeLoader)


# --- translations --------------------------------------------------------------------

def _prose(model: BaseModel, path: tuple):
    """Every text field (Text or list[Text]) with its path, in order: the first walk."""
    for key, info in type(model).model_fields.items():
        value = getattr(model, key)
        if value is None:
            continue
        kind = checks._text_kind(info.annotation)
        if kind == "text":
            yield (*path, key), value
        elif kind == "texts":
            for i, item in enumerate(value):
                yield (*path, key, i), item
        elif isinstance(value, BaseModel):
            yield from _prose(value, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _prose(item, (*path, key, i))


def _translations_reference(n: Network) -> list[Finding]:
    """The missing-translation warnings as first written: one walk, one test per text."""
    langs, found = n.languages, []
    for path, value in _prose(n, ()):
        if tuple(p for p in path if isinstance(p, str)) in checks._NAMES:
            continue
        if isinstance(value, str):
            if len(langs) > 1:
                example = ", ".join(f"{lang}: ..." for lang in langs)
                found.append(Finding(
                    "warning", "missing-translation", path,
                    f"one text for an MoU in {', '.join(langs)}: the other languages "
                    "would show it untranslated", f"give it per language: {{{example}}}"))
            continue
        missing = [lang for lang in langs if lang not in value]
        if missing:
            found.append(Finding(
                "warning", "missing-translation", path,
                f"no {', '.join(missing)} text (the MoU's languages are {', '.join(langs)})",
                "add the translation, or the first language is shown instead"))
    return found


@fast(60)
@given(networks(max_partners=3, max_units=2),
       st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=3, unique=True))
def test_translation_check_is_the_reference_walk(data, languages):
    for langs in (data["languages"], languages):  # as drawn, then with other languages
        network = Network.model_validate({**data, "languages": langs})
        assert list(checks._translations(network)) == _translations_reference(network)


@pytest.mark.parametrize("folder", sorted((ROOT / "examples").iterdir()), ids=lambda p: p.name)
def test_translation_check_on_the_examples(folder):
    network = loader.load(folder).network
    assert network is not None
    for langs in (network.languages, ["en"], ["en", "xx"], [*network.languages, "fi"]):
        other = network.model_copy(update={"languages": langs})
        assert list(checks._translations(other)) == _translations_reference(other)


# --- references ----------------------------------------------------------------------

@fast(40)
@given(networks(max_partners=4, max_units=2))
def test_a_fine_reference_is_one_the_full_check_passes(data):
    network = Network.model_validate(data)
    ids = references.index(network)
    refs = references._Checker(ids, set())
    for ident in [*ids, "nobody", data["partners"][0]["id"]]:
        if refs.fine(ident, HOSTING_ROLES):
            assert list(refs.host(ident, ("x",))) == []
        if refs.fine(ident):
            assert list(refs.organisation(ident, ("x",), "assessor")) == []
    assert any(refs.fine(ident) for ident in ids)  # the shortcut is taken at all


# --- the data fingerprint ------------------------------------------------------------

def _without_additions_reference(model: BaseModel, dumped: dict) -> dict:
    """The first walk: every field of every model, dropping ADDED_LATER ones at default."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if ADDED_LATER in info.metadata and value == info.get_default(
                call_default_factory=True):
            dumped.pop(name, None)
        elif isinstance(value, BaseModel) and isinstance(dumped.get(name), dict):
            _without_additions_reference(value, dumped[name])
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            for item, item_dump in zip(value, dumped.get(name) or [], strict=False):
                _without_additions_reference(item, item_dump)
    return dumped


def _assert_fingerprint_data_as_reference(network: Network) -> None:
    reference = _without_additions_reference(network, network.model_dump(mode="json"))
    assert fingerprint_data(network) == reference
    for entity in [*network.partners, *network.qualifications, *network.covered_organisations]:
        assert fingerprint_data(entity) == _without_additions_reference(
            entity, entity.model_dump(mode="json"))


@fast(40)
@given(networks(max_partners=3, max_units=2), st.data())
def test_fingerprint_drops_what_the_full_walk_drops(data, draw):
    # Some fields added later set (to their defaults or not), the rest left out.
    extra = draw.draw(st.fixed_dictionaries({}, optional={
        "kind": st.sampled_from(["standard", "declaratory"]),
        "open_to_adhesion": st.booleans(), "valid_until_project_end": st.just(False),
        "organisations": st.just([])}))
    for unit in (u for q in data.get("qualifications", []) for u in q.get("units", [])):
        unit.update(draw.draw(st.fixed_dictionaries({}, optional={
            "compulsory": st.sampled_from([None, True, False]), "also_part_of": st.just([]),
            "code": st.sampled_from([None, "U1"])})))
    _assert_fingerprint_data_as_reference(Network.model_validate({**data, **extra}))


@pytest.mark.parametrize("folder", sorted((ROOT / "examples").iterdir()), ids=lambda p: p.name)
def test_fingerprint_data_on_the_examples(folder):
    _assert_fingerprint_data_as_reference(loader.load(folder).network)


# --- merge conflict markers ----------------------------------------------------------

@fast(500)
@given(st.text(st.sampled_from("<=>| \n\r\tx"), max_size=24), st.integers(0, 3))
def test_the_marker_prefilter_never_hides_a_conflict(text, which):
    marker = yamldoc._MARKERS[which]
    for candidate in (text, marker + text, f"{text}\n{marker}", f"{text}{marker} x"):
        if yamldoc._CONFLICT.search(candidate):
            assert candidate.startswith(yamldoc._MARKERS) or \
                yamldoc._MARKER_AFTER_LF.search(candidate)
