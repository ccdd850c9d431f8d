"""The template sandbox's work budget and the catalogue's safe formatter.

Each attack is refused as it runs (before the text is built), with a message
the CLI turns into `FILE:LINE: not allowed in a template: ...`; the corpus
(tests/corpus/template-*, catalogue-placeholder-*) shows the same through `render`.
"""

from __future__ import annotations

import re

import pytest
from jinja2.sandbox import SecurityError

from mouctl.render.context import fill
from mouctl.render.sandbox import Sandbox


@pytest.mark.parametrize("source, message", [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "the template's loops ran more than 2,000,000 times"),
    ("{{ lipsum(n=1000000000) }}", "a width of 1,000,000,000 in lipsum(n)"),
    ("{{ '%1500000000d' % 1 }}", "a width of 1,500,000,000 in a % format"),
    ("{{ '%*d' % (5, 1) }}", "a `*` width in a % format"),
    ("{{ '%1500000000d'|format(1) }}", "a width of 1,500,000,000 in a % format"),
    ("{{ 'a'|center(1500000000) }}", "a width of 1,500,000,000 in |center"),
    ("{{ 'a'|indent(1500000000) }}", "a width of 1,500,000,000 in |indent"),
    ("{{ 'a'.ljust(10**9) }}", "a width of 1,000,000,000 in ljust()"),
    ("{{ '{:>1500000000}'.format(1) }}", "a width of 1,500,000,000 in a format"),
    ("{{ '{:{w}}'.format(1, w=9) }}", "a nested {} in a format specification"),
    ("{% set ns = namespace(s='a') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
     "{% endfor %}", "the result of ~ would hold more than"),
    ("{% set ns = namespace(s='a') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}"
     "{% endfor %}", "the result of + would hold more than"),
    ("{{ ('a' * 1000000).replace('a', 'b' * 100) }}", "the result of replace() would hold"),
    ("{{ ('a' * 1000000)|replace('a', 'b' * 100) }}", "the result of replace() would hold"),
])
def test_unbounded_work_is_refused_as_the_template_runs(source, message):
    with pytest.raises(SecurityError, match=re.escape(message)):
        Sandbox().from_string(source).render()


def test_ordinary_template_code_still_works():
    source = ("{% for x in [1, 2] %}{{ x }}{% endfor %} {{ 'a' ~ 'b' }} {{ '%3d' % 7 }} "
              "{{ '{:>4}'.format('x') }} {{ 'x'|center(5) }} {{ 'ab'.replace('a', 'c') }} "
              "{{ [1] + [2] }}")
    assert Sandbox().from_string(source).render() == "12 ab   7    x   x   cb [1, 2]"


def test_the_loop_budget_counts_every_loop_of_the_environment():
    # engine.render_text makes one environment per render, so this is the budget of one.
    template = Sandbox().from_string(
        "{% for i in range(15) %}{% for j in range(100000) %}{% endfor %}{% endfor %}done")
    assert template.render() == "done"  # 1.5 million iterations: within the budget
    with pytest.raises(SecurityError, match="loops ran more than"):
        template.render()  # 3 million in all


def test_catalogue_placeholders_are_names_with_simple_widths():
    assert fill("{day}. {month} {year}", {"day": 5, "month": "März", "year": 2026}) == \
        "5. März 2026"
    assert fill("[{name:>6}]", {"name": "ab"}) == "[    ab]"


@pytest.mark.parametrize("pattern, message", [
    ("{day.__class__.__mro__[1].__subclasses__}", "is not a plain placeholder name"),
    ("{day[0]}", "is not a plain placeholder name"),
    ("{day!r}", "conversions are not allowed"),
    ("{day:>1500000000}", "only an alignment and a width up to 100"),
    ("{day:{width}}", "only an alignment and a width up to 100"),
    ("{0}", "is not a plain placeholder name"),
])
def test_catalogue_placeholders_reaching_further_are_refused(pattern, message):
    with pytest.raises(ValueError, match=message):
        fill(pattern, {"day": 5, "width": 9})


def test_an_unknown_placeholder_is_a_key_error():
    with pytest.raises(KeyError):
        fill("{nope}", {"day": 5})


def test_only_the_bundled_templates_run_outside_the_sandbox(tmp_path):
    """The default templates ship with mouctl and skip the sandbox's checks (they cost
    a third of a large network's render); any folder or file of the user's is sandboxed,
    also when it only extends the default."""
    from mouctl.render import engine

    assert not isinstance(engine.environment(engine.template_set(None)), Sandbox)
    own = tmp_path / "templates"
    own.mkdir()
    (own / "mou.md.j2").write_text('{% extends "default/mou.md.j2" %}', encoding="utf-8")
    assert isinstance(engine.environment(engine.template_set(own)), Sandbox)
    assert isinstance(engine.environment(engine.template_set(own / "mou.md.j2")), Sandbox)
