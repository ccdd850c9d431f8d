"""The template sandbox: Jinja's SandboxedEnvironment plus the limits it lacks.

A network's `templates/` folder travels in the network's shared git repository,
so a template is as untrusted as a data file. Jinja's sandbox already refuses
attributes such as `__class__` or `__globals__` and ranges over 100,000 items;
this module adds:

- a loader that refuses a template file reached through a symbolic link out of
  its folder (a committed link to `~/.ssh/id_rsa` would otherwise be printed
  into the MoU that is then sent to every partner);
- bounds on `*` and `**`, whose results Jinja does not limit (`'a' * 10**10`
  fills the memory, `10 ** 10 ** 10` never finishes).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from jinja2 import BaseLoader, TemplateNotFound, nodes
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.visitor import NodeTransformer

from mouctl import files

MAX_REPEAT = 1_000_000  # characters or items a `*` may produce
MAX_EXPONENT = 1_000  # largest integer exponent of `**`
MAX_POWER_BITS = 100_000  # and the size of its result (`(10 ** 999) ** 999`)


class ContainedLoader(BaseLoader):
    """Loads templates from one folder through `files.read_text`: regular files inside
    the folder only, size-limited, UTF-8. A name that exists but is not such a file
    (a folder, a pipe, a link out) is an error, never silently passed over for the
    default template."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def get_source(self, environment, template):
        path = os.path.join(self.folder, *split_template_path(template))
        if not os.path.lexists(path):
            raise TemplateNotFound(template)
        try:
            source = files.read_text(Path(path), Path(self.folder), what="template folder")
        except files.FileProblem as exc:
            if exc.code == "outside-folder":
                raise SecurityError(f"template '{template}' {exc.reason.removeprefix('the file ')}"
                                    ) from None
            raise
        return source, path, lambda: True


class Sandbox(SandboxedEnvironment):
    """SandboxedEnvironment with a work budget: loop iterations counted as the template
    runs, and every operation that could build a huge text or list checked before it
    does (`*`, `+`, `~`, `%`, format widths, `center`, `replace`, `lipsum` ...)."""

    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.iterations = 0
        self.globals["lipsum"] = _bounded_lipsum(self.globals["lipsum"])
        for name in ("center", "indent", "format", "replace", "wordwrap", "truncate"):
            self.filters[name] = _bounded_filter(name, self.filters[name])

    def _parse(self, source, name, filename):
        """The template's tree with every loop counted and every `~` checked."""
        return _Budgeted().visit(super()._parse(source, name, filename))

    def budget_loop(self, iterable):
        """`iterable`, counting each item against MAX_ITERATIONS for this render."""
        for item in iterable:
            self.iterations += 1
            if self.iterations > MAX_ITERATIONS:
                raise SecurityError(f"the template's loops ran more than {MAX_ITERATIONS:,} "
                                    "times")
            yield item

    def budget_concat(self, *parts):
        """`a ~ b ~ c`, refused when the text would exceed MAX_STRING characters."""
        texts = [str(part) for part in parts]
        _check_size(sum(map(len, texts)), "~")
        return "".join(texts)

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        # Jinja decides from the object's type and the attribute's name alone; asked
        # ~250,000 times rendering a large network (L: 1.0 s), so each answer is kept.
        key = (type(obj), attr)
        cache = self.__dict__.setdefault("_safe_attributes", {})
        found = cache.get(key)
        if found is None:
            found = cache[key] = super().is_safe_attribute(obj, attr, value)
        return found

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) \
                        and len(seq) * times > MAX_REPEAT:
                    raise SecurityError(f"the result of * would hold more than {MAX_REPEAT:,} "
                                        "items")
        if operator == "**" and isinstance(left, int) and isinstance(right, int) \
                and abs(left) > 1 and (abs(right) > MAX_EXPONENT
                                       or left.bit_length() * right > MAX_POWER_BITS):
            raise SecurityError("the result of ** would be too large a number")
        if operator == "+" and isinstance(left, str | list | tuple) \
                and isinstance(right, str | list | tuple):
            _check_size(len(left) + len(right), "+")
        if operator == "%" and isinstance(left, str):
            _check_percent(left)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value):
        """`'{:>9}'.format(x)` with widths bounded (Jinja's sandbox bounds nothing here)."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_braces(str(value.__self__))
        return wrapped

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            _check_str_method(owner, getattr(__obj, "__name__", ""), args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)


MAX_ITERATIONS = 2_000_000  # loop iterations per render (the L network needs ~40,000)
MAX_STRING = 16 * 1024 * 1024  # characters of one text built in a template
MAX_OUTPUT = 64 * 1024 * 1024  # characters a template may write (L: ~3.4 million)
MAX_WIDTH = 1_000  # width or precision in a format, `center`, `indent`, `ljust` ...
_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_size(size: int, what: str) -> None:
    if size > MAX_STRING:
        raise SecurityError(f"the result of {what} would hold more than {MAX_STRING:,} "
                            "characters")


def _check_width(width: object, what: str) -> None:
    if isinstance(width, int) and abs(width) > MAX_WIDTH:
        raise SecurityError(f"a width of {width:,} in {what} is more than {MAX_WIDTH:,}")


def _check_percent(fmt: str) -> None:
    for match in _PERCENT.finditer(fmt):
        for number in match.groups():
            if number == "*":
                raise SecurityError("a `*` width in a % format is not allowed in a template")
            if number:
                _check_width(int(number), "a % format")


def _check_braces(fmt: str) -> None:
    import string

    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format raises the same error itself, with its own message
    for _literal, _field, spec, _conversion in parsed:
        if spec and "{" in spec:
            raise SecurityError("a nested {} in a format specification is not allowed")
        for number in re.findall(r"\d+", spec or ""):
            _check_width(int(number), "a format")


def _check_str_method(text: str, name: str, args: tuple, kwargs: dict) -> None:
    if name in ("center", "ljust", "rjust", "zfill") and args:
        _check_width(args[0], f"{name}()")
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(size, int):
            _check_size(len(text) + text.count("\t") * size, "expandtabs()")
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) \
            and isinstance(args[1], str):
        count = text.count(args[0]) if args[0] else len(text) + 1
        _check_size(len(text) + count * len(args[1]), "replace()")
    elif name == "join" and args and isinstance(args[0], list | tuple):
        _check_size(sum(len(str(x)) for x in args[0]) + len(text) * len(args[0]), "join()")


def _bounded_filter(name: str, jinja_filter):
    """One of Jinja's filters with its width or result size checked first."""
    import functools

    @functools.wraps(jinja_filter)
    def bounded(*args, **kwargs):
        values = [a for a in args if not _is_context(a)]
        if name in ("center", "indent", "wordwrap", "truncate"):
            width = values[1] if len(values) > 1 else kwargs.get("width", kwargs.get("length"))
            _check_width(width, f"|{name}")
        elif name == "format" and values and isinstance(values[0], str):
            _check_percent(values[0])
        elif name == "replace" and len(values) >= 3:
            _check_str_method(str(values[0]), "replace", (str(values[1]), str(values[2])), {})
        return jinja_filter(*args, **kwargs)

    return bounded


def _is_context(value: object) -> bool:
    from jinja2.nodes import EvalContext
    from jinja2.runtime import Context

    return isinstance(value, EvalContext | Context) or hasattr(value, "sandboxed")


def _bounded_lipsum(lipsum):
    def bounded(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
        for value, what in ((n, "lipsum(n)"), (min, "lipsum(min)"), (max, "lipsum(max)")):
            _check_width(value, what)
        return lipsum(n=n, html=html, min=min, max=max)

    return bounded


class _Budgeted(NodeTransformer):
    """Wraps each `{% for %}`'s iterable in `budget_loop` and each `~` in
    `budget_concat`, so the budget is counted as the template runs."""

    def visit_For(self, node):  # noqa: N802 - NodeTransformer's naming
        self.generic_visit(node)
        node.iter = nodes.Call(nodes.EnvironmentAttribute("budget_loop"), [node.iter],
                               [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node):  # noqa: N802
        self.generic_visit(node)
        return nodes.Call(nodes.EnvironmentAttribute("budget_concat"), node.nodes, [],
                          None, None, lineno=node.lineno)
