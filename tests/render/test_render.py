"""Rendering the MoU: golden documents, languages, escaping, determinism."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from mouctl.render import engine as rendering
from mouctl.source import loader as source
from tests.conftest import EXAMPLES

HERE = Path(__file__).parents[1]
SIX = HERE / "networks" / "six-partners"
NETWORKS = {"six-partners": SIX, **{f"example-{p.parent.name}": p.parent
                                    for p in sorted(EXAMPLES.glob("*/network.yaml"))}}
TODAY = dt.date(2026, 3, 1)


def load(folder: Path):
    return source.load(folder, today=TODAY).require()


def load_text(tmp_path: Path, yaml_text: str):
    (tmp_path / "network.yaml").write_text(yaml_text, encoding="utf-8")
    return load(tmp_path)


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_markdown_matches_golden(name, golden):
    golden(f"render/{name}.md", rendering.render_markdown(load(NETWORKS[name])))


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_html_matches_golden(name, golden):
    html = rendering.render(load(NETWORKS[name]), "html").decode("utf-8")
    golden(f"render/{name}.html", html)


def test_bilingual_markdown_matches_golden(golden):
    warnings: list[str] = []
    text = rendering.render_markdown(load(SIX), bilingual="de", warnings=warnings)
    golden("render/six-partners.en-de.md", text)
    assert warnings == []


def test_bilingual_html_puts_the_languages_side_by_side_authoritative_first():
    # The MoU is [en, de]: English is authoritative, so it comes first either way.
    html = rendering.render(load(SIX), "html", lang="de", bilingual="en").decode()
    assert '<html lang="en">' in html
    assert '<div class="bilingual">\n<div class="language" lang="en">\n<p>The purpose of ' \
        'this' in html
    assert '<div class="language" lang="de">\n<p>Ziel dieser Absichtserklärung' in html
    assert '<span class="alt" lang="de">/ Ziele der Absichtserklärung' in html


def test_every_official_section_is_rendered_in_order():
    text = rendering.render_markdown(load(SIX))
    headings = [line for line in text.splitlines()
                if line.startswith("## ") and line[3:4].isdigit()]
    assert [h.split(".")[0] for h in headings] == [f"## {n}" for n in range(1, 12)]
    assert "None" not in text.replace("None.", "")  # no Python None leaks into the document


@pytest.mark.parametrize(("lang", "expected"), [
    ("de", ["## 1. Ziele der Absichtserklärung", "## 9. Unterschriften",
            "gilt vom 1. Januar 2026 bis zum 31. August 2028", "| Land | Deutschland |",
            "Stempel", "Im Zweifelsfall ist die englische Fassung maßgeblich"]),
    ("fr", ["## 1. Objectifs du protocole d’accord", "## 9. Signatures",
            "est valable du 1er janvier 2026 au 31 août 2028", "| Pays | Allemagne |",
            "Cachet", "empreinte des données",
            "Le présent document est une traduction fournie à titre d’information"]),
])
def test_fixed_text_in_german_and_french(lang, expected):
    text = rendering.render_markdown(load(SIX), lang=lang)
    for snippet in expected:
        assert snippet in text, snippet


def test_missing_data_translation_falls_back_to_the_first_language_with_a_warning(tmp_path):
    # German is a language of the MoU: a text missing in German is the partners' gap.
    net = load(SIX).model_copy(update={"title": {"en": "EuroCook MoU"}})
    warnings: list[str] = []
    text = rendering.render_markdown(net, lang="de", warnings=warnings)
    assert "# EuroCook MoU" in text
    assert "title: no 'de' text; showing the 'en' text instead" in warnings
    assert len(warnings) == len(set(warnings))


def test_a_rendering_in_a_language_outside_the_mou_is_a_translation_not_a_fallback():
    warnings: list[str] = []
    notices: list[str] = []
    text = rendering.render_markdown(load(SIX), lang="fr", warnings=warnings,
                                     notices=notices)
    assert "# EuroCook Mobility Network - Memorandum of Understanding" in text
    assert warnings == []
    assert notices == ["the MoU is drawn up in en, de; this rendering in fr is a "
                       "translation, and the document says so"]
    assert ("Le présent protocole d’accord est rédigé en anglais et allemand\u202f; en cas "
            "de doute, la version en anglais fait foi.") not in text  # (one sentence only)
    assert ("Le protocole d’accord est rédigé en anglais et allemand\u202f; en cas de doute, "
            "la version en anglais fait foi.") in text


def test_a_language_without_fixed_text_falls_back_with_one_warning():
    warnings: list[str] = []
    text = rendering.render_markdown(load(SIX), lang="eo", warnings=warnings)
    assert "## 1. Objectives of the Memorandum of Understanding" in text
    fixed = [w for w in warnings if "fixed text" in w]
    assert fixed == ["the template has no fixed text in 'eo' (add i18n/eo.yaml to the "
                     "template); showing the 'en' text instead"]


def test_a_partner_adds_a_language_with_one_yaml_file(tmp_path):
    # Luxembourgish: a language the bundled catalogues do not have (Finnish now is one).
    i18n = tmp_path / "tpl" / "i18n"
    i18n.mkdir(parents=True)
    (i18n / "lb.yaml").write_text(
        "sections:\n  objectives: Ziler vum Memorandum of Understanding\n", encoding="utf-8")
    warnings: list[str] = []
    text = rendering.render_markdown(load(SIX), lang="lb", template=tmp_path / "tpl",
                                     warnings=warnings)
    assert "## 1. Ziler vum Memorandum of Understanding" in text
    assert "31. August 2028" in text  # the date as CLDR writes it in Luxembourgish
    # Keys the partner has not translated yet come from the first language, named one by one.
    assert any(w.startswith("the template text 'sections.partners' has no 'lb' translation")
               and w.endswith("showing the 'en' text instead") for w in warnings)
    assert not [w for w in warnings if "fixed text in 'lb'" in w]


NASTY = "<script>alert(1)</script> | *Ltd* `x` _y_ [z](http://e.org) {{ 7*7 }} {% if %}"


def nasty_network(tmp_path: Path):
    text = (SIX / "network.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Berufsschule am Hafen", f"name: {NASTY!r}".replace("'", '"'), 1)
    text = text.replace("address: Hafenstraße 12, 28217 Bremen",
                        'address: "Hafenstraße 12\\n# 28217 Bremen\\n- 3. floor | back"', 1)
    return load_text(tmp_path, text)


def test_data_is_literal_text_in_markdown_tables(tmp_path):
    from markdown_it import MarkdownIt

    text = rendering.render_markdown(nasty_network(tmp_path))
    row = next(line for line in text.splitlines() if line.startswith("| Address |"))
    assert len(re.split(r"(?<!\\)\|", row)) == 4  # still two cells: the pipe is escaped
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script>" not in html and "<em>" not in html.split("Objectives")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | *Ltd* `x` _y_ [z](http://e.org) " \
           "{{ 7*7 }} {% if %}" in html
    assert "<td>Hafenstraße 12<br># 28217 Bremen<br>- 3. floor | back</td>" in html


def test_data_is_literal_text_in_html(tmp_path):
    html = rendering.render(nasty_network(tmp_path), "html").decode()
    assert "<script>" not in html
    assert ("&lt;script&gt;alert(1)&lt;/script&gt; | *Ltd* `x` _y_ [z](http://e.org) "
            "{{ 7*7 }} {% if %}") in html
    assert "Hafenstraße 12<br># 28217 Bremen<br>- 3. floor | back" in html


def test_sections_without_data_say_so(tmp_path):
    net = load_text(tmp_path, """
title: Small MoU
partners:
  - {id: a, name: School A, country: DE, roles: [sending, competent_institution],
     signatory: {name: A. Head}}
  - {id: b, name: School B, country: FR, roles: [receiving], signatory: {name: B. Head}}
""")
    text = rendering.render_markdown(net)
    for sentence in ("No other organisations are covered by this Memorandum of Understanding.",
                     "No qualifications are listed yet.",
                     "No units of learning outcomes are listed yet.",
                     "The partners will agree on these arrangements before the first mobility.",
                     "This Memorandum of Understanding is concluded for an indefinite period.",
                     "This Memorandum of Understanding has no annexes."):
        assert sentence in text
    assert "None" not in text.replace("None.", "")


def test_version_label_and_fingerprint_are_in_the_footer():
    net = load(SIX)
    text = rendering.render_markdown(net, version="mou-v1.1")
    assert text.endswith(f"*Rendered by mouctl from the network data; version mou-v1.1, "
                         f"data fingerprint {net.fingerprint()}.*\n")


def test_rendering_is_byte_deterministic():
    net = load(SIX)
    for fmt in ("md", "html", "docx"):
        assert rendering.render(net, fmt, bilingual="de") == rendering.render(
            net, fmt, bilingual="de"), fmt


def test_the_default_template_is_found_where_the_wheel_puts_it():
    root = rendering.templates_root()
    assert (root / "default" / "mou.md.j2").is_file()
    assert {p.stem for p in (root / "default" / "i18n").glob("*.yaml")} >= {"en", "de", "fr"}


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_a_mistyped_placeholder_in_a_translation_is_a_template_error(tmp_path, fmt):
    from mouctl.errors import TemplateError

    i18n = tmp_path / "tpl" / "i18n"
    i18n.mkdir(parents=True)
    (i18n / "en.yaml").write_text(
        "rendered_from: Rendered from version {versoin}.\n"
        "languages_note: Drawn up in {langauges}.\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="unknown or broken placeholder"):
        rendering.render(load(SIX), fmt, template=tmp_path / "tpl")
