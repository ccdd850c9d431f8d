"""The language codes an MoU may be written in: ISO 639-1, the two-letter codes.

Only a real code is accepted (`xx` or `ee` for "English" would otherwise pass as two
lower-case letters and be printed as a language nobody can read). The check is one
regular expression so that pydantic-core runs it without calling Python for each of
the thousands of per-language texts of a large network, and so that the JSON Schema
gives editors the same rule.
"""

from __future__ import annotations

import re

# ISO 639-1 (the Library of Congress registration list), current codes only: the
# withdrawn ones (iw, in, ji, mo, sh) have replacements (he, id, yi, ro, sr/hr/bs).
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy
da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht
hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky
la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny
oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss
st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo
za zh zu
""".split())

# Withdrawn codes and their successors, for the hint.
WITHDRAWN = {"iw": "he", "in": "id", "ji": "yi", "mo": "ro", "sh": "sr, hr or bs"}


def _pattern() -> str:
    by_first: dict[str, list[str]] = {}
    for code in sorted(ISO_639_1):
        by_first.setdefault(code[0], []).append(code[1])
    return "^(?:" + "|".join(f"{first}[{''.join(seconds)}]"
                             for first, seconds in by_first.items()) + ")$"


PATTERN = _pattern()
_MATCH = re.compile(PATTERN)


def is_language(code: str) -> bool:
    """Whether `code` is an ISO 639-1 language code (lower case)."""
    return bool(_MATCH.match(code))


def is_language_pattern(pattern: str) -> bool:
    """Whether a pydantic pattern error comes from a language code (for the message)."""
    return pattern == PATTERN


def suggestion(code: str) -> str | None:
    """The code meant by `code`, when it is plainly one: `EN` -> `en`, `iw` -> `he`."""
    text = str(code).strip()
    if text.lower() in ISO_639_1 and text != text.lower():
        return text.lower()
    return WITHDRAWN.get(text.lower())
