"""Faults while writing: the previous file survives, and the message says why.

A rendered MoU may be the copy partners sign; a command that dies half-way must
leave the previous file as it was. Each fault is real: a process killed between
writing and renaming, Ctrl-C during the write, a file-size limit standing in for
a full disk (RLIMIT_FSIZE), a folder that cannot be written, no git on PATH.
(Concurrent `sign` runs and a hand-broken signatures.yaml are covered in
test_amendment_cli.py; `init` in a non-empty folder or without git in test_init.py.)
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE = Path(__file__).parents[1] / "corpus" / "base.yaml"
PREVIOUS = "# The MoU as the partners signed it\n"


@pytest.fixture
def net(tmp_path) -> Path:
    folder = tmp_path / "net"
    folder.mkdir()
    shutil.copy(BASE, folder / "network.yaml")
    (folder / "mou.md").write_text(PREVIOUS, encoding="utf-8")
    return folder


def _python(code: str, cwd: Path, *, preexec=None, env: dict | None = None):
    """Run `code` in a fresh interpreter with mouctl importable."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd,
                          capture_output=True, text=True, env=full_env, timeout=120,
                          preexec_fn=preexec)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_kill_between_writing_and_renaming_leaves_the_previous_file(net):
    result = _python("""
        import os, signal
        from mouctl.cli import main
        # The new file is written and synced; the process dies before the rename.
        os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
        main(["render", "-o", "mou.md"])
    """, net)
    assert result.returncode == -signal.SIGKILL
    assert (net / "mou.md").read_text(encoding="utf-8") == PREVIOUS
    # What a kill can leave is a hidden temporary file, never a half-written mou.md.
    assert all(name.startswith(".mou.md.") for name in _leftovers(net))


def test_ctrl_c_while_writing_leaves_the_previous_file_and_no_temporary_file(net):
    result = _python("""
        import os, sys
        from mouctl.cli import main

        def interrupted(fd):
            raise KeyboardInterrupt  # Ctrl-C arrives while the data is being synced
        os.fsync = interrupted
        sys.exit(main(["render", "-o", "mou.md"]))
    """, net)
    assert result.returncode == 130, result.stderr
    assert "error: interrupted; nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert (net / "mou.md").read_text(encoding="utf-8") == PREVIOUS
    assert _leftovers(net) == []


def _small_files():  # in the child: a disk that is full after 1 KB per file
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a killed process
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))


def test_a_full_disk_gives_a_clear_message_and_keeps_the_previous_file(net):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run([sys.executable, "-m", "mouctl", "render", "-o", "mou.md"], cwd=net,
                          capture_output=True, text=True, env=env, timeout=120,
                          preexec_fn=_small_files)
    assert proc.returncode == 1, proc.stderr
    assert "error: cannot write mou.md: File too large" in proc.stderr
    assert "nothing was changed" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (net / "mou.md").read_text(encoding="utf-8") == PREVIOUS
    assert _leftovers(net) == []


def test_a_folder_that_cannot_be_written_gives_a_clear_message(net, tmp_path, run):
    if os.geteuid() == 0:
        target = Path("/sys/mouctl-test.md")  # not writable even for root
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        target = locked / "mou.md"
    result = run("render", "-o", str(target), cwd=net)
    assert result.code == 1
    assert f"error: cannot write {target}: Permission denied" in result.stderr
    assert "check that the folder is writable" in result.stderr
    assert "Traceback" not in result.output
    assert not target.exists()


@pytest.fixture
def no_git(tmp_path) -> dict:
    """An environment whose PATH has Python but no git."""
    bin_dir = tmp_path / "bin-without-git"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(sys.executable)
    return {"PATH": str(bin_dir)}


@pytest.mark.parametrize("command", [["log"], ["status"], ["diff", "HEAD"]])
def test_history_commands_without_git_say_so(run, net, no_git, command):
    result = run(*command, cwd=net, env=no_git)
    assert result.code == 1, result.output
    assert "git is not installed" in result.stderr
    assert "Traceback" not in result.output


def test_validate_and_render_need_no_git(run, net, no_git):
    assert run("validate", cwd=net, env=no_git).code == 0
    result = run("render", "-o", "new.md", cwd=net, env=no_git)
    assert result.code == 0, result.output
    assert (net / "new.md").read_text(encoding="utf-8").startswith("#")


def test_init_gives_the_network_folder_the_usual_permissions(run, tmp_path):
    # Staged in a private temporary folder, the network must not stay private (0700).
    assert run("init", "demo", "--yes", "--no-git", cwd=tmp_path).code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "demo").stat().st_mode & 0o777 == 0o777 & ~umask
