"""The fixed text of the default template: one catalogue per language, all alike.

Every catalogue has exactly the keys and {placeholders} of English, leaves nothing in
English, says whose translation it is, and has a glossary naming where its key terms
come from. A failure names each missing key and the file it is missing from.
"""

from __future__ import annotations

import string

import yaml

from mouctl.render import engine as rendering

I18N = rendering.templates_root() / "default" / "i18n"
GLOSSARY = I18N / "glossary"
# Maps that a catalogue may have or not: CLDR gives country and language names, and
# `language_forms` exists only where a sentence needs an inflected language name.
OPTIONAL = {"countries", "languages", "language_forms"}


def flatten(data: dict, prefix: str = "") -> dict[str, object]:
    """{"sections.units": "..."} for every text of a catalogue (optional maps left out)."""
    out: dict[str, object] = {}
    for key, value in data.items():
        if not prefix and key in OPTIONAL:
            continue
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def placeholders(text: object) -> set[str]:
    if not isinstance(text, str):
        return set()
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def catalogues() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted(I18N.glob("*.yaml"))}


def parity_problems(texts: dict[str, dict]) -> list[str]:
    """Each key missing or extra, and each placeholder that differs, per catalogue."""
    english = flatten(texts["en"])
    problems = []
    for lang, data in sorted(texts.items()):
        if lang == "en":
            continue
        mine = flatten(data)
        for key in sorted(english.keys() - mine.keys()):
            problems.append(f"i18n/{lang}.yaml: missing key '{key}' "
                            f"(English: {english[key]!r})")
        for key in sorted(mine.keys() - english.keys()):
            problems.append(f"i18n/{lang}.yaml: key '{key}' is not in en.yaml")
        for key in sorted(english.keys() & mine.keys()):
            if placeholders(mine[key]) != placeholders(english[key]):
                problems.append(f"i18n/{lang}.yaml: '{key}' has placeholders "
                                f"{sorted(placeholders(mine[key]))}, English has "
                                f"{sorted(placeholders(english[key]))}")
    return problems


def test_every_catalogue_has_the_keys_and_placeholders_of_english():
    problems = parity_problems(catalogues())
    assert not problems, "\n".join(problems)


def test_the_parity_check_names_the_missing_key_and_the_file():
    texts = {"en": {"a": "x {n}", "b": {"c": "y"}}, "xx": {"a": "z {m}"}}
    assert parity_problems(texts) == [
        "i18n/xx.yaml: missing key 'b.c' (English: 'y')",
        "i18n/xx.yaml: 'a' has placeholders ['m'], English has ['n']",
    ]


def test_no_catalogue_leaves_a_phrase_in_english():
    texts = catalogues()
    english = flatten(texts["en"])
    left = []
    for lang, data in texts.items():
        if lang == "en":
            continue
        for key, value in flatten(data).items():
            # One- or two-word labels may be the same word (Version, Validation, PIC).
            if value == english.get(key) and len(str(value).split()) > 2:
                left.append(f"{lang}: {key}")
    assert left == []


def test_each_catalogue_says_whose_translation_it_is():
    for path in I18N.glob("*.yaml"):
        head = path.read_text(encoding="utf-8").split("\n", 6)[:6]
        if path.stem != "en":
            assert any("own translation" in line for line in head), path.name


def test_each_catalogue_has_a_glossary_that_names_its_sources():
    for path in I18N.glob("*.yaml"):
        if path.stem == "en":
            continue
        glossary = GLOSSARY / f"{path.stem}.yaml"
        assert glossary.is_file(), f"no glossary for {path.stem}: {glossary}"
        entries = yaml.safe_load(glossary.read_text(encoding="utf-8"))["terms"]
        assert len(entries) >= 8, glossary.name
        for entry in entries:
            assert entry["en"] and entry["term"], entry
            assert entry["source"] == "unsourced, needs native review" or len(
                entry["source"]) > 20, entry


def test_glossary_terms_are_the_catalogue_terms():
    # A glossary that the catalogue does not follow is worse than none.
    for glossary in GLOSSARY.glob("*.yaml"):
        catalogue = (I18N / f"{glossary.stem}.yaml").read_text(encoding="utf-8").lower()
        for entry in yaml.safe_load(glossary.read_text(encoding="utf-8"))["terms"]:
            if entry.get("in_catalogue", True):
                assert entry["term"].lower() in catalogue, (glossary.name, entry["term"])
