"""When is a text change only a wording fix? (pure; used by the amendment rules)

Two levels, both documented in docs/amendments.md:

- *formatting only*: the same words in the same order once case, whitespace,
  punctuation and Unicode forms are ignored (`Hygiene rules  (HACCP)` ->
  `hygiene rules, HACCP`). The meaning cannot have changed, so this is
  administrative in every text field.
- *spelling fix*: the same number of words, and each changed word is a letter
  away from the old one (one insertion, deletion, substitution or swap of two
  neighbours), is at least five letters long and holds no digit; at most one
  word in five changes. Only names, titles and descriptions get this benefit:
  in learning outcomes, criteria and arrangements one letter can turn a
  meaning around, so there it stays substantive.

Digits never count as wording: `10 years` -> `15 years` is a change of substance,
and `1,5` -> `15` differs in its words (`1`, `5` vs `15`).
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+")
_MIN_SPELLING_LENGTH = 5
_WORDS_PER_FIX = 5


def words(text: str) -> list[str]:
    """The words of `text`, case-folded, in Unicode normal form, without punctuation."""
    return [w.casefold() for w in _WORD.findall(unicodedata.normalize("NFKC", text))]


def formatting_only(old: object, new: object) -> bool:
    """True when two texts (str or {lang: str}) differ only in formatting."""
    return _pairwise(old, new, lambda a, b: words(a) == words(b))


def spelling_fix(old: object, new: object) -> bool:
    """True when two texts differ by small typo-like edits of long, digit-free words."""
    return _pairwise(old, new, _spelling_fix_text)


def _spelling_fix_text(old: str, new: str) -> bool:
    a, b = words(old), words(new)
    if len(a) != len(b):
        return False
    changed = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(changed) > max(1, len(a) // _WORDS_PER_FIX):
        return False
    return all(_typo(x, y) for x, y in changed)


def _typo(a: str, b: str) -> bool:
    if min(len(a), len(b)) < _MIN_SPELLING_LENGTH:
        return False
    if any(c.isdigit() for c in a + b):
        return False
    return _within_one_edit(a, b)


def _within_one_edit(a: str, b: str) -> bool:
    """Optimal-string-alignment distance <= 1, in linear time."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        if a[i + 1:] == b[i + 1:]:
            return True  # one substitution
        return a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1]  # one swap
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1:] == shorter[i:]  # one insertion or deletion


def _pairwise(old: object, new: object, same) -> bool:
    """Apply `same` per language; a language added or removed is never a wording fix.

    A plain string stands for the text in every language, so `"Cook"` against
    `{en: "cook", de: "Koch"}` compares the string with each translation.
    """
    if isinstance(old, str) and isinstance(new, str):
        return same(old, new)
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(
            isinstance(old[k], str) and isinstance(new[k], str) and same(old[k], new[k])
            for k in old)
    if isinstance(old, str) and isinstance(new, dict):
        return bool(new) and all(isinstance(v, str) and same(old, v) for v in new.values())
    if isinstance(old, dict) and isinstance(new, str):
        return bool(old) and all(isinstance(v, str) and same(v, new) for v in old.values())
    return False
