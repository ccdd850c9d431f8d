"""Each language's typography in the fixed text: quotation marks and French spacing.

Applied to the catalogue's wording and to the punctuation templates add after a
label, never to the partners' data (a legal name prints exactly as written).
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: French before ; ! ? and inside « »

# Outer quotation marks per language, from CLDR's `delimiters` (Babel does not
# expose them). Languages not listed use the English marks.
_QUOTES = {
    "bg": ("„", "“"), "cs": ("„", "“"), "da": ("“", "”"), "de": ("„", "“"),
    "el": ("«", "»"), "en": ("“", "”"), "es": ("«", "»"), "et": ("„", "“"),
    "fi": ("”", "”"), "fr": ("«", "»"), "ga": ("“", "”"), "hr": ("„", "“"),
    "hu": ("„", "”"), "is": ("„", "“"), "it": ("«", "»"), "lt": ("„", "“"),
    "lv": ("“", "”"), "mk": ("„", "“"), "mt": ("“", "”"), "nl": ("‘", "’"),
    "no": ("«", "»"), "pl": ("„", "”"), "pt": ("«", "»"), "ro": ("„", "”"),
    "sk": ("„", "“"), "sl": ("„", "“"), "sr": ("„", "“"), "sv": ("”", "”"),
    "tr": ("“", "”"),
}
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")  # l'accord -> l’accord, partner's
_STRAIGHT = re.compile(r'"([^"\n]*)"')
_FRENCH_HIGH = re.compile(r"\s*([;!?])")  # ; ! ? take a narrow no-break space
_FRENCH_COLON = re.compile(r"(?<=\S)\s*:(?=\s|$)")  # not inside https:// or 10:30


def quotes(lang: str) -> tuple[str, str]:
    """The language's outer quotation marks."""
    return _QUOTES.get(lang, _QUOTES["en"])


def fix(text: str, lang: str) -> str:
    """Fixed text with the language's quotation marks, apostrophe and spacing."""
    if "'" in text:
        text = _APOSTROPHE.sub("\u2019", text)
    if '"' in text:
        start, end = quotes(lang)
        if lang == "fr":
            start, end = start + NNBSP, NNBSP + end
        text = _STRAIGHT.sub(lambda m: f"{start}{m.group(1)}{end}", text)
    if lang == "fr":
        text = _FRENCH_HIGH.sub(lambda m: NNBSP + m.group(1), text)
        text = _FRENCH_COLON.sub(NBSP + ":", text)
    return text


def colon(text: str, lang: str) -> str:
    """A label followed by a colon (French: a no-break space before it)."""
    return f"{text}{NBSP}:" if lang == "fr" else f"{text}:"


_DOUBLE_PERIOD = re.compile(r"(?<=\.)\.(?=\s|$)")


def filled(text: str) -> str:
    """A sentence after its placeholders are filled: a period that ends an abbreviation
    or ordinal ("2026. g.", "31. kolovoza 2028.") also ends the sentence, never twice."""
    return _DOUBLE_PERIOD.sub("", text) if ".." in text else text
