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
from pathlib import Path

from jinja2 import BaseLoader, TemplateNotFound
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment, SecurityError

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
    """SandboxedEnvironment with bounded repetition and powers."""

    intercepted_binops = frozenset(["*", "**"])

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
        return super().call_binop(context, operator, left, right)
