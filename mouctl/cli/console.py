"""The only place that prints: messages, diagnostics, errors with hints.

Colour only on a terminal and never with NO_COLOR (rich honours both). Lines are
never wrapped, so output stays greppable and golden files stay stable.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from functools import cache

from mouctl.source.diagnostics import Diagnostic
from mouctl.text import plural

QUIET, NORMAL, VERBOSE = 0, 1, 2

# Control characters (a partner's file may hold ESC sequences that recolour or rewrite
# the terminal), bidirectional marks and overrides (which reorder what is shown) and
# invisible characters (zero-width spaces and joiners, word joiners, the byte-order
# mark, soft hyphens, line and paragraph separators: two ids that differ only by one
# look the same) are printed as visible escapes in messages, never sent as they are.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f"
                        "\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")


def visible(text: str, *, lines: bool = False) -> str:
    """`text` with control and bidi-override characters shown as `\\x1b`, `\\u202e`
    (line breaks kept when `lines`: messages of our own may span lines)."""

    def escape(match: re.Match) -> str:
        char = match.group()
        if lines and char == "\n":
            return char
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _INVISIBLE.sub(escape, text)
def _shown(text: str) -> str:
    """Text from data, git authors, tags or the ledger, safe for a terminal: as
    `visible`, keeping line breaks and tabs (log, status and diff print such text)."""
    return "\t".join(visible(part, lines=True) for part in text.split("\t"))


_state = {"verbosity": NORMAL}


def set_verbosity(level: int) -> None:
    """QUIET prints only errors and requested data; VERBOSE adds detail."""
    _state["verbosity"] = level


def verbosity() -> int:
    return _state["verbosity"]


@cache
def _console(stderr: bool):
    from rich.console import Console  # lazy: rich costs ~40 ms to import

    return Console(stderr=stderr, soft_wrap=True, highlight=False, emoji=False,
                   no_color=bool(os.environ.get("NO_COLOR")) or None)


def out(text: str) -> None:
    """Data the user asked for (a document, JSON): plain, to standard output."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def text(line: str) -> None:
    """A line of a report made from data (`log`'s table), to standard output with
    control characters and bidi overrides shown as escapes."""
    out(_shown(line))


def _line(stderr: bool, line: str, style: str | None) -> None:
    """One line of text in `style`. Into a pipe or a file rich writes the text as it
    is, so it is written so, without importing rich (~15-40 ms of every command that
    says something); rich expands tabs, so a line with one still goes through it."""
    stream = sys.stderr if stderr else sys.stdout
    if stream is not None and _plain(stream) and "\t" not in line:
        stream.write(line + "\n")
        stream.flush()
        return
    _console(stderr).print(line, style=style, markup=False)


def say(message: str, style: str | None = None) -> None:
    """A normal message to standard error (kept off stdout so pipes stay clean)."""
    if verbosity() >= NORMAL:
        _line(True, _shown(message), style)


def rich(renderable) -> None:
    """A rich table or panel to standard output."""
    _console(False).print(renderable)


def detail(message: str) -> None:
    """Shown only with --verbose."""
    if verbosity() >= VERBOSE:
        _line(True, _shown(message), "dim")


def success(message: str) -> None:
    if verbosity() >= NORMAL:
        _line(True, f"✓ {_shown(message)}", "green")


def warn(message: str, hint: str | None = None) -> None:
    if verbosity() >= NORMAL:
        _line(True, f"warning: {visible(message, lines=True)}", "yellow")
        if hint:
            _line(True, f"  hint: {visible(hint, lines=True)}", "dim")


def error(message: str, hint: str | None = None) -> None:
    """An error with what to do about it; always shown, even with --quiet."""
    _line(True, f"error: {visible(message, lines=True)}", "bold red")
    if hint:
        _line(True, f"  hint: {visible(hint, lines=True)}", "cyan")


def diagnostics(items: list[Diagnostic], heading: str | None = None, *,
                report: bool = False, show_warnings: bool | None = None,
                warnings_fail: bool = False) -> None:
    """Diagnostics grouped by file, each `FILE:LINE:COL: severity: path: message`.

    To standard error, except when they are the report the user asked for
    (`validate`, `report=True`). Warnings are shown in a report; a failed command
    shows only what made it fail. --quiet hides warnings, except when they are the
    reason for a failure (`warnings_fail`, e.g. `validate --strict`).
    """
    console = _console(not report)
    if show_warnings is None:
        show_warnings = report
    if heading:
        console.print(visible(heading), style="bold", markup=False)
    last_file = None
    for d in items:
        if d.severity == "warning" and (not show_warnings
                                        or (verbosity() < NORMAL and not warnings_fail)):
            continue
        if d.file != last_file:
            if last_file is not None:
                console.print()
            last_file = d.file
        colour = "red" if d.severity == "error" else "yellow"
        subject = f"{d.path}: " if d.path else ""
        console.print(f"{visible(d.where())}: ", end="", style="bold", markup=False)
        console.print(f"{d.severity}: ", end="", style=colour, markup=False)
        console.print(visible(f"{subject}{d.message} [{d.code}]"), markup=False)
        if d.hint:
            console.print(f"    hint: {visible(d.hint)}", style="cyan", markup=False)


def summary(items: list[Diagnostic], files: int, what: str) -> str:
    """`2 errors, 1 warning in 3 files` style summary of diagnostics."""
    counts = Counter(d.severity for d in items)
    parts = [plural(counts["error"], "error"), plural(counts["warning"], "warning")]
    return f"{', '.join(parts)} in {plural(files, 'file')} ({what})"


def diagnostics_json(items: list[Diagnostic]) -> str:
    """The diagnostics as a JSON list for CI and editors."""
    return json.dumps([d.as_dict() for d in items], indent=2, ensure_ascii=False)


def json_report(fields: dict) -> None:
    """A command's `--format json`: one object, led by the mouctl version."""
    from mouctl._version import __version__

    out(json.dumps({"mouctl": __version__, **fields}, indent=2, ensure_ascii=False))


class progress:  # noqa: N801 - used like a function: `with console.progress("...") as tick`
    """A progress bar on standard error, only on a terminal and not with --quiet.

    Yields a callback `tick(done, total)`; off a terminal the callback does nothing,
    so pipes, CI logs and golden files stay clean.
    """

    def __init__(self, description: str, *, minimum: int = 50) -> None:
        self.description, self.minimum = description, minimum
        self.bar = None
        self.task = None

    def __enter__(self):
        return self.tick

    def tick(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < self.minimum or verbosity() < NORMAL or not sys.stderr.isatty():
                return
            from rich.progress import Progress

            self.bar = Progress(console=_console(True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.description, total=total)
        self.bar.update(self.task, completed=done)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def styled(lines: list[list[tuple[str, str | None]]]) -> None:
    """Lines made of (text, style) segments, to standard output (colour on a terminal)."""
    if _plain_stdout() and not any("\t" in text for segments in lines
                                   for text, _ in segments):
        # Into a pipe or a file rich prints the text as it is: skip importing it and
        # building a Text per line (a diff of a large network: 0.1 s).
        sys.stdout.write("".join("".join(_shown(text) for text, _ in segments) + "\n"
                                 for segments in lines))
        sys.stdout.flush()
        return
    from rich.text import Text

    console = _console(False)
    for segments in lines:
        line = Text(no_wrap=True, end="\n")
        for text, style in segments:
            line.append(_shown(text), style=style or "")
        console.print(line, soft_wrap=True)


def _plain_stdout() -> bool:
    """Whether rich would write standard output without colour or styles (its rules)."""
    return _plain(sys.stdout)


def _plain(stream) -> bool:
    """Whether rich would write `stream` without colour or styles (its rules)."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "0"
    if os.environ.get("FORCE_COLOR") is not None:
        return os.environ["FORCE_COLOR"] == ""
    try:
        return not stream.isatty()
    except (ValueError, AttributeError):
        return True


def is_stdout(output) -> bool:
    """`-o -` (or no -o) means standard output, as in most Unix tools."""
    return output is None or str(output) == "-"


def emit(output, data: bytes | str, *, what: str = "the output", network=None,
         allow: tuple[str, ...] = ()) -> bool:
    """Requested data to `output`: standard output for None or `-` (binary data only
    when it is not a terminal), else the file, written safely. True when a file was
    written (so the caller may say so)."""
    if is_stdout(output):
        if isinstance(data, str):
            out(data)
            return False
        if sys.stdout.isatty():
            from mouctl.errors import UsageError

            raise UsageError(f"{what} is binary and standard output is a terminal; nothing "
                             "was written", "write it to a file with -o FILE, or pipe it "
                             "into another program")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return False
    from mouctl.files import write_output

    write_output(output, data, network=network, allow=allow)
    return True
