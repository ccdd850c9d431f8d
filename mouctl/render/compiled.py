"""The default templates, compiled once and kept between runs (Jinja's bytecode cache).

Compiling `mou.md.j2` (lexing, parsing, generating and compiling Python) costs
about 0.08 s on every rendering, a tenth of rendering the large benchmark network.
The compiled code of the templates that ship with mouctl is kept in the user's
cache folder (`$XDG_CACHE_HOME/mouctl`, else `~/.cache/mouctl`; `MOUCTL_NO_CACHE=1`
turns it off). Only these trusted templates use it: a network's or the user's own
templates run in the sandbox and are always compiled afresh.

It cannot lie: an entry is found by the template's name and file, and used only when
the template's text (Jinja's checksum), the Python version (Jinja's magic header)
and the environment's settings and mouctl's and Jinja's versions (the file name)
are the same. An entry that cannot be read is ignored and written again; a cache
folder that cannot be written is no error, the template is compiled as before.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_folder() -> Path | None:
    """Where compiled templates are kept, or None when caching is off."""
    if os.environ.get("MOUCTL_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):  # no home folder to speak of
        return None
    return Path(base) / "mouctl" / "templates"


def bytecode_cache(env):
    """A bytecode cache for `env` (trusted templates only), or None."""
    import jinja2
    from jinja2 import FileSystemBytecodeCache

    from mouctl._version import __version__

    folder = cache_folder()
    if folder is None:
        return None
    # Everything but the template's text that shapes the generated code.
    settings = repr((__version__, jinja2.__version__, type(env).__name__,
                     env.block_start_string, env.block_end_string,
                     env.variable_start_string, env.variable_end_string,
                     env.comment_start_string, env.comment_end_string,
                     env.line_statement_prefix, env.line_comment_prefix,
                     env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
                     env.keep_trailing_newline, env.optimized, env.autoescape,
                     env.finalize is not None, env.is_async, sorted(env.extensions)))
    flavour = hashlib.sha256(settings.encode("utf-8")).hexdigest()[:16]

    class _Cache(FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001 - a damaged entry: compile and write it again
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            try:
                os.makedirs(self.directory, mode=0o700, exist_ok=True)
                super().dump_bytecode(bucket)
            except OSError:  # read-only home, full disk: the next run compiles again
                pass

    return _Cache(str(folder), f"{flavour}-%s.cache")
