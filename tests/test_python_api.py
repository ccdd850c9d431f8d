"""docs/python.md runs: the declared API walks the whole way (load to status)."""

from __future__ import annotations

import doctest
import subprocess
import sys

from tests.conftest import EXAMPLES, ROOT


def test_docs_python_md_examples_run():
    failures, tried = doctest.testfile(str(ROOT / "docs" / "python.md"),
                                       module_relative=False, globs={"EXAMPLES": str(EXAMPLES)},
                                       optionflags=doctest.ELLIPSIS, report=True)
    assert tried > 20
    assert failures == 0


def test_every_declared_name_resolves():
    import mouctl

    for name in mouctl.__all__:
        assert getattr(mouctl, name) is not None, name


def test_import_mouctl_stays_light():
    """`import mouctl` must not pull in pydantic, git, docx or jinja (lazy API)."""
    code = ("import sys, mouctl; heavy = [m for m in ('pydantic', 'git', 'docx', 'jinja2', "
            "'yaml') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"
