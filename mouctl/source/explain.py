"""Pydantic's validation errors, said in words a coordinator understands.

Pydantic reports unions branch by branch (`title.str`, `title.dict[...]`); this
module folds them into one finding per field, names the field, says what was
found, and hints at the fix (quotes for a phone number read as a number, the
closest field name for a typo).
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Callable
from difflib import get_close_matches

from pydantic import BaseModel, ValidationError

from mouctl.model import languages
from mouctl.model.languages import is_language_pattern
from mouctl.model.network import Network
from mouctl.source.diagnostics import Finding

# Segments pydantic adds to a location for union branches and validators.
_TAG = re.compile(r"^(str|int|float|bool|date|list\[.*\]|[a-z-]+\[.*\])$")


def explain_validation_error(
    exc: ValidationError, already_reported: Callable[[object], bool],
    root: type[BaseModel] = Network,
) -> list[Finding]:
    """One Finding per failing field of a `root` model (by default the network);
    values with their own problem are skipped."""
    groups: dict[tuple, list[dict]] = {}
    for err in exc.errors(include_url=False):
        if already_reported(err.get("input")):
            continue
        loc = tuple(err["loc"])
        cut = next((i for i, s in enumerate(loc) if isinstance(s, str) and _TAG.match(s)), None)
        key = loc[:cut] if cut is not None else loc
        groups.setdefault(key, []).append(err)
    findings = []
    for key, errs in groups.items():
        # The deepest error in a union group is the specific one (a bad language code
        # inside a per-language mapping); equal depths mean "none of the types fit".
        deepest = max(errs, key=lambda e: len(e["loc"]))
        if len(errs) > 1 and all(len(e["loc"]) == len(deepest["loc"]) for e in errs):
            findings.append(_union(key, errs))
        else:
            findings.append(_single(_clean(tuple(deepest["loc"])), deepest, root))
    return findings


def _clean(loc: tuple) -> tuple:
    return tuple(s for s in loc if not (isinstance(s, str) and (_TAG.match(s) or s == "[key]")))


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a yes/no value)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dt.datetime):
        return f"the date and time {value}"
    if isinstance(value, dt.date):
        return f"the date {value}"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"'{short}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _invisible(value: object) -> str:
    """The first invisible character in `value`, named (`U+200B ZERO WIDTH SPACE`)."""
    import unicodedata

    for char in value if isinstance(value, str) else "":
        if unicodedata.category(char) in ("Cf", "Cc", "Zl", "Zp") or char == "\u180e":
            name = unicodedata.name(char, "a control character")
            return f"the invisible character U+{ord(char):04X} {name}"
    return ""


QUOTE_HINT = "put the value in quotes: "


def quote_hint(name: str, written: str) -> str:
    """The hint for a value YAML read as a number, yes/no or date where text belongs:
    the same text in quotes, as the file has it (`id: "true"`, `release: "1.00"`)."""
    import json

    return f"{QUOTE_HINT}{name}: {json.dumps(written, ensure_ascii=False)}"


def requote(finding: Finding, written: str | None) -> Finding:
    """`finding` with its quote hint showing `written`, the value's text in the file."""
    if written is None or not (finding.hint or "").startswith(QUOTE_HINT):
        return finding
    from dataclasses import replace

    name = finding.hint[len(QUOTE_HINT):].split(":", 1)[0]
    message = finding.message
    if message.startswith("expected text, got the number "):
        message = f"expected text, got the number {written}"
    elif message.endswith("(a yes/no value)"):
        message = f"expected text, got '{written}' (a yes/no value)"
    return replace(finding, message=message, hint=quote_hint(name, written))


def _union(path: tuple, errs: list[dict]) -> Finding:
    types = {e["type"] for e in errs}
    value = errs[0].get("input")
    if types & {"int_parsing", "int_type", "float_parsing", "float_type"}:
        return Finding("error", "wrong-type", path, f"expected a number, got {_describe(value)}",
                       "write digits only, e.g. 30")
    return Finding(
        "error", "wrong-type", path,
        f"expected a text or one text per language, got {_describe(value)}",
        "write `field: text` or `field: {en: English text, de: Deutscher Text}`",
    )


def _single(path: tuple, err: dict, root: type[BaseModel]) -> Finding:
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    name = str(path[-1]) if path else "value"
    if kind == "missing":
        desc = _field_description(path, root)
        return Finding("error", "missing-field", path, f"required field '{name}' is missing",
                       f"add `{name}:`" + (f" ({desc})" if desc else ""))
    if kind == "extra_forbidden":
        allowed = _allowed_fields(path[:-1], root)
        close = get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else (
            "allowed here: " + ", ".join(allowed) if allowed else None)
        return Finding("error", "unknown-field", path, f"unknown field '{name}'", hint)
    if kind == "string_type":
        hint = None
        if isinstance(value, int | float | bool | dt.date):
            # Python's spelling of the value ('True', '1.0' for `1.00`); the loader puts
            # the text as written in its place (quote_hint), where it knows the node.
            hint = quote_hint(name, str(value))
        return Finding("error", "wrong-type", path, f"expected text, got {_describe(value)}", hint)
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        if is_language_pattern(pattern):
            meant = languages.suggestion(value) if isinstance(value, str) else None
            hint = (f"did you mean '{meant}'? (ISO 639-1 codes, in lower case)" if meant else
                    "use two lower-case letters (ISO 639-1), e.g. en, de, fr")
            if isinstance(value, str) and len(value) == 2 and value.isalpha() \
                    and value.islower():
                return Finding("error", "bad-language", path,
                               f"{_describe(value)} is not an ISO 639-1 language code",
                               hint)
            if len(str(value)) > 3:
                # `- Aim: more mobility` is read as a mapping, not as one text.
                hint += "; if this is one text containing ': ', put all of it in quotes"
            return Finding("error", "bad-language", path,
                           f"{_describe(value)} is not a language code", hint)
        if r"\.[0-9]+" in pattern:  # a release version, as `mouctl release` takes it
            return Finding("error", "bad-version", path,
                           f"{_describe(value)} is not a version number: versions are "
                           "written in ASCII digits and dots",
                           f"write it as the release tag names it, e.g. {name}: \"1.0\" "
                           "(tag mou-v1.0)")
        hidden = _invisible(value)
        if hidden:
            return Finding("error", "bad-id", path,
                           f"{_describe(value)} is not a valid id: it holds {hidden}, which "
                           "a reader cannot see", "retype the id with ASCII letters, digits, "
                           "'.', '_' and '-' only")
        return Finding("error", "bad-id", path, f"{_describe(value)} is not a valid id",
                       "use ASCII letters, digits, '.', '_' and '-' only, no spaces, "
                       "e.g. 'school-bilbao'")
    if kind in ("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type",
                "int_parsing_size"):
        return Finding("error", "wrong-type", path,
                       f"expected a {'whole ' if kind.startswith('int') else ''}number, got "
                       f"{_describe(value)}", "write digits only, e.g. 4")
    if kind == "date_from_datetime_inexact":
        return Finding("error", "invalid-date", path,
                       f"{_describe(value)} has a time of day; a date is expected",
                       f"leave out the time: {name}: {str(value)[:10]}")
    if kind == "bool_not_number":
        return Finding("error", "wrong-type", path, f"expected a number, got {_describe(value)}",
                       "write digits only, e.g. 4")
    if kind.startswith("date") or kind.startswith("datetime"):
        return Finding("error", "invalid-date", path,
                       f"{_describe(value)} is not a valid date",
                       "write the date as YYYY-MM-DD, e.g. 2027-08-31")
    if kind in ("list_type",):
        return Finding("error", "wrong-type", path, f"expected a list, got {_describe(value)}",
                       "write one item per line, each starting with '- '")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return Finding("error", "wrong-type", path,
                       f"expected a mapping of fields, got {_describe(value)}",
                       "write the fields indented below, one `key: value` per line")
    if kind == "enum":
        choices = re.findall(r"'([^']+)'", str(ctx.get("expected", "")))
        close = get_close_matches(str(value), choices, n=1)
        hint = f"did you mean '{close[0]}'?" if close else ""
        return Finding("error", "bad-choice", path, f"{_describe(value)} is not allowed here",
                       (hint + " " if hint else "") + f"choose one of: {', '.join(choices)}")
    if kind == "too_short":
        return Finding("error", "empty-list", path, f"'{name}' needs at least one item",
                       "add an item starting with '- '")
    if kind == "finite_number":
        return Finding("error", "not-finite", path, f"{_describe(value)} is not a finite number",
                       "write a number with digits, e.g. 20 or 2.5")
    if kind in ("greater_than_equal", "greater_than"):
        return Finding("error", "out-of-range", path,
                       f"{_describe(value)} is below the minimum {ctx.get('ge', ctx.get('gt'))}",
                       "use 0 or a positive number")
    if kind == "string_too_long":
        return Finding("error", "too-long", path, f"'{name}' is too long",
                       f"use at most {ctx.get('max_length')} characters")
    if kind == "country_code":
        return Finding("error", "bad-country", path, err["msg"],
                       "use the two-letter code, e.g. DE, FR, EL, UK")
    return Finding("error", kind.replace("_", "-"), path, err["msg"], None)


def _model_at(path: tuple, root: type[BaseModel]) -> type[BaseModel] | None:
    model: type[BaseModel] | None = root
    for part in path:
        if isinstance(part, int) or model is None:
            continue
        info = model.model_fields.get(part)
        model = model_in(info.annotation) if info else None
    return model


def model_in(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = model_in(arg)
        if found:
            return found
    return None


def _allowed_fields(path: tuple, root: type[BaseModel]) -> list[str]:
    model = _model_at(path, root)
    return list(model.model_fields) if model else []


def _field_description(path: tuple, root: type[BaseModel]) -> str | None:
    model = _model_at(path[:-1], root)
    info = model.model_fields.get(str(path[-1])) if model else None
    return info.description if info else None
