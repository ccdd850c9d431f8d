"""YAML syntax errors said in words, with the line where the user must look.

libyaml reports what its parser expected ("did not find expected key"); a
coordinator needs to know what is wrong in the file and what to type instead.
This module turns a parser error (its problem text, context and marks) into a
message and a hint. It reads only the error's attributes, so it needs no PyYAML.
"""

from __future__ import annotations

import re
import unicodedata

_GENERIC_HINT = ("check the indentation and quotes on this line and the one above; "
                 "put texts with special characters (: # & * ! | > ' \" % @ `) in quotes")
_KEY_NO_SPACE = re.compile(r"^\s*(?:- )?([A-Za-z_][\w-]*):(\S.*)$")
_KEY_VALUE = re.compile(r"^\s*(?:- )?[^\s#'\"][^:#]*:\s+\S")


def explain(exc, text: str) -> tuple[int | None, int | None, str, str]:
    """(line, column, message, hint) for a yaml.MarkedYAMLError raised on `text`."""
    problem = (getattr(exc, "problem", None) or "").strip()
    context = (getattr(exc, "context", None) or "").strip()
    mark = exc.problem_mark or exc.context_mark
    where = _Where(text, mark)
    ctx = _Where(text, exc.context_mark) if exc.context_mark else where

    if where.tab_before():
        return (*where.pos(), "a tab character is used for indentation; YAML indents with "
                "spaces only", "replace the tab with spaces (two per level, as elsewhere in "
                "the file)")
    if "escape" in problem or "hexdecimal" in problem or "hexadecimal" in problem:
        at = where.backslash()
        return (*at.pos(), f"'{at.ahead(2)}' is not a valid escape in a \"double-quoted\""
                " text", "write \\\\ for a backslash, or use 'single quotes', in which a "
                "backslash is an ordinary character")
    if "quoted scalar" in context or "quoted scalar" in problem:
        return (*ctx.pos(), "a quoted text is never closed",
                "add the closing quote (' or \") at the end of the text")
    if "undefined alias" in problem:
        name = where.word()
        return (*where.pos(), f"'{name}' refers to an anchor (&{name[1:]}) that is not defined",
                f"a value starting with '*' is a YAML alias; if it is text, put it in quotes: "
                f"'{name}'")
    if "alphabetic or numeric" in problem and ("alias" in context or "anchor" in context):
        return (*ctx.pos(), "'&' or '*' starts a YAML anchor or alias here, but no name follows",
                "if the '&' or '*' is part of the text, put the whole text in quotes")
    if "cannot start any token" in problem:
        char = where.char()
        return (*where.pos(), f"'{char}' cannot start a value in YAML",
                f"put the whole value in quotes, e.g. '{where.rest_of_line()}'")
    if "mapping values are not allowed" in problem:
        return _colon(where)
    if "block sequence entries are not allowed" in problem:
        return (*where.pos(), "a list item ('- ') cannot start on the same line as a key",
                "start the list on the next line, indented below the key, or put the text "
                "in quotes if the '-' belongs to it")
    if "could not find expected ':'" in problem:
        return (*ctx.pos(), "this line is not `key: value`, nor a list item ('- ')",
                "add the ':' after the key, or continue the text above with the same "
                "indentation, or make it a comment starting with '#'")
    if re.search(r"expected ',' or '\]'", problem):
        return (*ctx.pos(), "a list in [brackets] is not closed, or two items lack a comma",
                "close it with ']' and separate the items with ', '; put an item that "
                "holds a ',' or ']' in quotes")
    if re.search(r"expected ',' or '\}'", problem):
        return (*ctx.pos(), "a mapping in {braces} is not closed, or two fields lack a comma",
                "close it with '}' and separate the fields with ', '")
    if "another document" in problem or "document separator" in problem:
        return (*where.pos(), "a second YAML document starts here ('---'); a network file "
                "holds one", "delete the '---' line and what follows, or move that part "
                "into its own file")
    if "<document start>" in problem:
        return (*where.pos(), "this line does not belong to the data above it",
                "check its indentation: the top-level fields start at the beginning of "
                "the line, and nothing follows the data at the top level")
    if "nesting depth" in problem:
        return (*where.pos(), "the data is nested too deeply",
                "network data is only a few levels deep; check the brackets and indentation")
    if "expected <block end>" in problem or "expected key" in problem \
            or "'-' indicator" in problem or "expected '-'" in problem:
        return _indentation(where)
    if "node content" in problem:
        return (*where.pos(), "a value is missing here, or starts with a character YAML "
                "reserves", "put the value in quotes")
    return (*where.pos(), f"YAML syntax error: {problem or context}", _GENERIC_HINT)


def explain_character(position: int, character, text: str) -> tuple[int, int, str, str]:
    """(line, column, message, hint) for a character YAML does not allow in a file."""
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    code = ord(character) if isinstance(character, str) else int(character)
    name = unicodedata.name(chr(code), "")
    return (line, column, f"the file contains an invisible control character (U+{code:04X}"
            f"{' ' + name if name else ''})", "delete it: it often comes from copying text "
            "out of a PDF or a word processor")


def _colon(where: _Where) -> tuple[int | None, int | None, str, str]:
    """`mapping values are not allowed`: a stray ':' or a line indented too far."""
    above = where.line_above()
    if above is not None:
        number, previous = above
        no_space = _KEY_NO_SPACE.match(previous)
        if no_space and not previous.lstrip().startswith("#"):
            key, value = no_space.groups()
            return (number, previous.index(":") + 2, f"a key needs a space after its ':' "
                    f"(`{key}:{value}`)", f"write `{key}: {value}`")
        key_column = _indent(previous) + (2 if previous.lstrip().startswith("- ") else 0)
        if where.first_colon() and _KEY_VALUE.match(previous) and where.indent() > key_column:
            return (*where.pos_line(), "this line is indented more than the line above, so "
                    "YAML reads it as part of that line's value",
                    "align it with the keys above it")
    pair = re.match(r"^\s*(?:- )?([^:'\"]+):\s+(.+?)\s*$", where.line())
    example = (f"{pair.group(1)}: '{pair.group(2)}'" if pair and "'" not in pair.group(2)
               else "title: 'Cook: kitchen basics'")
    return (*where.pos(), "a ':' inside a value starts a new key here",
            f"put the whole value in quotes: {example}")


def _indentation(where: _Where) -> tuple[int | None, int | None, str, str]:
    stripped = where.line().lstrip()
    if re.match(r"-[^\s-]", stripped):
        return (*where.pos_line(), "a list item needs a space after its '-'",
                f"write `- {stripped[1:]}`")
    return (*where.pos_line(), "the indentation of this line does not match the lines above",
            "align the line with its siblings; items of a list start with '- '")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class _Mark:
    """A position like PyYAML's marks: 0-based line, column and index in the text."""

    def __init__(self, line: int, column: int, index: int) -> None:
        self.line, self.column, self.index = line, column, index


class _Where:
    """A parser mark in the text: line, column and what is written around it."""

    def __init__(self, text: str, mark) -> None:
        self.text = text
        self.mark = mark
        self.lines = text.splitlines()

    def pos(self) -> tuple[int | None, int | None]:
        if self.mark is None:
            return None, None
        return self.mark.line + 1, self.mark.column + 1

    def pos_line(self) -> tuple[int | None, int | None]:
        """The mark's line and the column where that line's content starts."""
        if self.mark is None:
            return None, None
        return self.mark.line + 1, self.indent() + 1

    def line(self) -> str:
        if self.mark is None or self.mark.line >= len(self.lines):
            return ""
        return self.lines[self.mark.line]

    def indent(self) -> int:
        return _indent(self.line())

    def line_above(self) -> tuple[int, str] | None:
        """(1-based number, text) of the nearest non-blank line above the mark."""
        if self.mark is None:
            return None
        for number in range(min(self.mark.line, len(self.lines)) - 1, -1, -1):
            if self.lines[number].strip():
                return number + 1, self.lines[number]
        return None

    def char(self) -> str:
        index = self.mark.index if self.mark else 0
        return self.text[index] if index < len(self.text) else ""

    def backslash(self) -> _Where:
        """The escape's backslash at or shortly before the mark (where it starts)."""
        index = self.mark.index if self.mark else 0
        start = self.text.rfind("\\", max(index - 10, 0), index + 1)
        if self.mark is None or start < 0:
            return self
        return _Where(self.text, _Mark(self.mark.line, self.mark.column - (index - start),
                                       start))

    def ahead(self, length: int) -> str:
        index = self.mark.index if self.mark else 0
        return self.text[index: index + length]

    def first_colon(self) -> bool:
        """True when the mark is the first `: ` of its line (the line's own key)."""
        if self.mark is None:
            return False
        line = self.line()
        found = re.search(r":(\s|$)", line)
        return found is not None and found.start() == self.mark.column

    def word(self) -> str:
        index = self.mark.index if self.mark else 0
        match = re.match(r"[^\s,\[\]{}]*", self.text[index:])
        return match.group(0) if match else ""

    def rest_of_line(self) -> str:
        index = self.mark.index if self.mark else 0
        end = self.text.find("\n", index)
        return self.text[index: end if end >= 0 else len(self.text)].strip()

    def tab_before(self) -> bool:
        """A tab in the indentation of the mark's line or right at the mark."""
        if self.mark is None:
            return False
        line = self.line()
        indentation = line[: len(line) - len(line.lstrip(" \t"))]
        return "\t" in indentation[: self.mark.column + 1] or self.char() == "\t"
