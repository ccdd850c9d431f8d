"""A command started with standard output or error closed (`>&-`, some daemons) still
runs and exits as it would with them open: mouctl flushes only the streams it has."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
CONSORTIUM = ROOT / "examples" / "consortium"


def _closed(fd: int):
    return lambda: os.close(fd)


@pytest.mark.parametrize("fd", [1, 2], ids=["stdout closed", "stderr closed"])
def test_a_command_with_a_closed_stream_still_succeeds(tmp_path, fd):
    out = tmp_path / "mou.md"
    keep = subprocess.PIPE
    proc = subprocess.run(
        [sys.executable, "-m", "mouctl", "render", "-N", str(CONSORTIUM), "-o", str(out)],
        stdout=keep if fd == 2 else None, stderr=keep if fd == 1 else None,
        preexec_fn=_closed(fd), cwd=tmp_path, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr or proc.stdout
    assert out.read_text(encoding="utf-8").startswith("# ")
    said = (proc.stderr if fd == 1 else proc.stdout) or b""
    assert b"Traceback" not in said
