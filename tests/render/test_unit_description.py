"""`unit_description(u)` builds a unit of Annex A as the blocks its Markdown reads as.

The Markdown is the one docs/rendering.md gives for a network's own `unit` block; a
template made of exactly that block must give the same document as the default
template, for every network: the fixed ones (parts, groups, annexed outcomes,
shared units, two languages), the examples and generated ones (any Unicode, and
characters that mean something in Markdown).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mouctl.errors import TemplateError
from mouctl.model.network import Network
from mouctl.render import engine as rendering
from mouctl.render import markup, md_writer
from mouctl.source import loader as source
from mouctl.source import yamldoc
from tests.render.test_render import TODAY, load
from tests.strategies import any_text, networks, raw_text
from tests.test_properties import fast

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs" / "rendering.md"
EXAMPLES = sorted(p.parent for p in (ROOT / "examples").glob("*/network.yaml"))


def _valid(folder: Path) -> bool:
    loaded = source.load(folder, today=TODAY)
    return loaded.network is not None and not loaded.errors


# Every valid network of the tests (those kept broken on purpose are left out).
FIXED = [folder for folder in sorted(p.parent for p in (ROOT / "tests" / "networks")
                                     .glob("**/network.yaml")) if _valid(folder)]


def documented_unit_block() -> str:
    """The `unit` block docs/rendering.md gives (the first jinja block after its marker)."""
    text = DOCS.read_text(encoding="utf-8")
    after = text.split("<!-- unit-description:", 1)[1]
    return re.search(r"```jinja\n(.*?)```", after, re.DOTALL).group(1)


@pytest.fixture(scope="module")
def markdown_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("unit-template")
    (folder / "mou.md.j2").write_text(documented_unit_block(), encoding="utf-8")
    return folder


def both(network, template: Path, **options):
    """The document from the default template and from the documented Markdown."""
    built = rendering.document(network, **options)
    written = rendering.document(network, template=template, **options)
    return built, written


def assert_same(built, written) -> None:
    assert built == written
    assert md_writer.write(built) == md_writer.write(written)


@pytest.mark.parametrize("folder", FIXED + EXAMPLES, ids=lambda p: p.name)
def test_a_unit_reads_as_its_documented_markdown(folder, markdown_template):
    network = load(folder)
    assert_same(*both(network, markdown_template))
    for other in network.languages[1:]:
        assert_same(*both(network, markdown_template, bilingual=other))
        assert_same(*both(network, markdown_template, lang=other))


def test_the_fixed_networks_cover_every_part_of_a_unit():
    units = [u for folder in FIXED + EXAMPLES for q in load(folder).qualifications
             for u in q.units]
    assert any(u.parts for u in units)
    assert any(u.learning_outcomes_annex for u in units)
    assert any(u.group or u.compulsory is not None for u in units)
    assert any(u.validity for u in units)


# Texts that mean something in Markdown, or start like a block, in every place of a unit.
AWKWARD = ["1. looks like a list", "- a dash", "# a hash", "*stars* and _under_score_",
           "a | pipe", "back\\slash", "<b>tag</b> & &amp;", "[link](https://example.org)",
           "!bang", "~tilde~", "= equals", "+ plus", "`code`", "ends with a dot."]


def test_awkward_texts_in_every_part_of_a_unit_read_alike(markdown_template):
    data = yamldoc.read("network.yaml", (ROOT / "tests" / "networks" / "six-partners" /
                                         "network.yaml").read_bytes()).data
    unit = data["qualifications"][0]["units"][0]
    unit["title"] = {"en": "*Cold* dishes | starters", "de": "1. Kalte Speisen"}
    unit["description"] = {"en": "First paragraph with *stars*.\n\nSecond | paragraph.",
                           "de": "Erster Absatz."}
    unit["validity"] = {"en": "5 years"}
    unit["parts"] = [{"code": "1.", "title": "- dash start", "ecvet_points": 2},
                     {"title": {"en": "#hash", "de": "Raute"}, "hours": 10},
                     {"code": "B", "title": "both", "ecvet_points": 1, "hours": 5}]
    outcomes = unit["learning_outcomes"]
    outcomes["knowledge"] = [{"en": text} for text in AWKWARD]
    outcomes["skills"] = [{"en": text, "de": f"{text} (de)"} for text in AWKWARD[:5]]
    network = Network.model_validate(data)
    assert_same(*both(network, markdown_template))
    assert_same(*both(network, markdown_template, bilingual="de"))
    assert_same(*both(network, markdown_template, lang="de"))  # English passages tagged


@fast()
@given(networks(text=any_text))
def test_a_generated_unit_reads_as_its_documented_markdown(data):
    # The module's fixture is not available to hypothesis; the folder is made once.
    network = Network.model_validate(data)
    assert_same(*both(network, _template_folder()))


_FOLDER: list[Path] = []


def _template_folder() -> Path:
    if not _FOLDER:
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="mouctl-unit-"))
        (folder / "mou.md.j2").write_text(documented_unit_block(), encoding="utf-8")
        _FOLDER.append(folder)
    return _FOLDER[0]


def test_a_blocks_marker_written_by_hand_is_refused():
    with pytest.raises(TemplateError, match=r"line 3 .*'<!-- blocks 0 -->' stands for no"):
        markup.parse_lines(["# Title", "", "<!-- blocks 0 -->", ""], markup.Prebuilt())


@fast(200)
@given(st.one_of(raw_text, any_text))
def test_a_plain_text_is_read_as_its_escaped_markdown_would_be(text):
    from mouctl.render.context import LText
    from mouctl.render.escaping import md_finalize

    for value in (text, LText([("en", text)])):
        expected = markup._InlineParser().parse(str(md_finalize(value)))[0]
        assert markup._InlineParser().data(value) == expected


def _own_unit_block(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "mou.md.j2").write_text(
        '{% extends "default/mou.md.j2" %}\n{% block unit %}\n' + body + "{% endblock %}\n",
        encoding="utf-8")
    return folder


@pytest.mark.parametrize("body", ["    {{ unit_description(u) }}\n",
                                  "Unit: {{ unit_description(u) }}\n",
                                  "{% set d = unit_description(u) %}{{ d }}{{ d }}\n"])
def test_a_unit_description_not_on_a_line_of_its_own_is_refused(tmp_path, body):
    network = load(FIXED[0])
    with pytest.raises(TemplateError, match="not written on a line of its own"):
        rendering.document(network, template=_own_unit_block(tmp_path, body))


def test_a_unit_description_written_twice_is_refused(tmp_path):
    network = load(FIXED[0])
    twice = _own_unit_block(tmp_path, "{% set d = unit_description(u) %}\n{{ d }}\n{{ d }}\n")
    with pytest.raises(TemplateError, match="written a second time"):
        rendering.document(network, template=twice)


def test_a_unit_is_described_once(tmp_path):
    # A marker stands for a whole unit: a loop of them would pass the output limit of a
    # network's own template.
    network = load(FIXED[0])
    loop = _own_unit_block(tmp_path, "{% for i in range(3) %}\n{{ unit_description(u) }}\n"
                                     "{% endfor %}\n")
    with pytest.raises(TemplateError, match=r"mou.md.j2:\d+: unit '.+' is described a "
                                            "second time"):
        rendering.document(network, template=loop)


def test_the_texts_in_their_own_language_share_no_writable_sources():
    from mouctl.render.context import LText

    with pytest.raises(TypeError):
        LText([("en", "x")]).sources["en"] = "de"  # type: ignore[index]

