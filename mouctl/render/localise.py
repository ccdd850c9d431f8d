"""Dates, numbers, lists and names as each language writes them (CLDR through Babel).

The catalogues hold the MoU's wording; everything CLDR knows (month names, the
order of day, month and year, decimal commas, "A, B and C", the names of countries
and languages) comes from Babel, so that 29 languages need no hand-written rules.
The few rules CLDR does not have are here, each with its reason (the French "1er").
Babel is imported on first use: `--help` and `validate` never load it.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

# The CLDR locale of each language code the MoU uses. EU documents write British
# English and European Portuguese; CLDR's "no" is Norwegian Bokmål; Serbian is
# written in Cyrillic (CLDR's default for "sr", the script of the Serbian state).
_LOCALES = {"en": "en_GB", "pt": "pt_PT", "no": "nb"}


@cache
def locale(lang: str):
    """The Babel locale for a language code, or None when CLDR has none."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(_LOCALES.get(lang, lang))
    except (UnknownLocaleError, ValueError):
        return None


def date(day: dt.date, lang: str) -> str:
    """A date as written in running text of `lang` (1 October 2026, 1. Oktober 2026)."""
    loc = locale(lang)
    if loc is None:
        return day.isoformat()
    from babel.dates import format_date

    text = format_date(day, "long", locale=loc)
    if lang == "fr" and day.day == 1:
        # French writes the first day of a month as an ordinal ("1er octobre");
        # CLDR's date patterns have no ordinal day.
        text = text.replace("1 ", "1er ", 1) if text.startswith("1 ") else text
    return text


def number(value: float | int, lang: str) -> str:
    """A number with the language's decimal sign (7.5 -> 7,5) and no useless `.0`."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    loc = locale(lang)
    if loc is None:
        return str(value)
    from babel.numbers import format_decimal

    # Points and weeks are small: no grouping, so that a year "2026" or a code
    # never turns into "2 026".
    return format_decimal(value, locale=loc, group_separator=False)


def names(items: list[str], lang: str) -> str:
    """A list of names joined as the language joins them ("A, B and C")."""
    if len(items) < 2:
        return "".join(items)
    loc = locale(lang)
    if loc is None:
        return ", ".join(items)
    from babel.lists import format_list

    return format_list(items, style="standard", locale=loc)


def country(code: str, lang: str) -> str | None:
    """The name of a country (ISO code, or EL/UK as the EU writes them) in `lang`."""
    loc = locale(lang)
    if loc is None:
        return None
    iso = {"EL": "GR", "UK": "GB"}.get(code, code)
    return loc.territories.get(iso)


def language(code: str, lang: str) -> str | None:
    """The name of the language `code` in `lang` (CLDR's form: "Englisch", "anglais")."""
    loc = locale(lang)
    if loc is None:
        return None
    return loc.languages.get(code) or loc.languages.get(_LOCALES.get(code, code))

