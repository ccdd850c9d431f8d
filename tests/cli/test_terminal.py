"""Terminal conventions: exit codes, usage errors, quiet/verbose, colour, no stray imports."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES, ROOT


@pytest.mark.parametrize("args", [["validate", "--bogus"], ["no-such-command"]])
def test_usage_errors_exit_2_with_a_message_not_an_internal_error(run, args):
    result = run(*args)
    assert result.code == 2, result.output
    assert "internal error" not in result.output
    assert "Error:" in result.stderr


def test_mouctl_runs_without_the_click_package(tmp_path):
    # typer >= 0.2x vendors click and no longer installs the `click` package: a
    # fresh install has none. Hide it and run a command and a usage error.
    code = ("import sys; sys.modules['click'] = None; from mouctl.cli import main; "
            "sys.exit(main(sys.argv[1:]))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ok = subprocess.run([sys.executable, "-c", code, "validate", "-N",
                         str(EXAMPLES / "bilateral")], capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([sys.executable, "-c", code, "validate", "--bogus"],
                         capture_output=True, text=True, env=env)
    assert bad.returncode == 2, bad.stderr


def test_quiet_prints_nothing_on_success_and_verbose_is_accepted(run):
    quiet = run("-q", "validate", "-N", str(EXAMPLES / "bilateral"))
    assert quiet.code == 0 and quiet.output == ""
    normal = run("validate", "-N", str(EXAMPLES / "bilateral"))
    assert "valid" in normal.stderr
    verbose = run("-v", "validate", "-N", str(EXAMPLES / "bilateral"))
    assert verbose.code == 0 and "valid" in verbose.stderr


def test_quiet_still_prints_errors(run, tmp_path):
    (tmp_path / "network.yaml").write_text("title: x\npartners: 3\n")
    result = run("-q", "validate", "-N", str(tmp_path))
    assert result.code == 1
    assert "error" in result.output


def test_no_colour_off_a_terminal_even_without_no_color(run, monkeypatch, tmp_path):
    monkeypatch.delenv("NO_COLOR")
    (tmp_path / "network.yaml").write_text("title: x\npartners: 3\n")
    result = run("validate", "-N", str(tmp_path))
    assert "\x1b[" not in result.output


def test_completion_script_is_offered(run):
    # Name the shell: auto-detection walks the process tree, which under pytest-xdist
    # may hold no shell at all.
    result = run("--show-completion", "bash",
                 env={"SHELL": "/bin/bash", "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert result.code == 0, result.output
    assert "complete" in result.stdout


_PROGRESS = ("import sys; sys.path.insert(0, {root!r}); from mouctl.cli import console; "
             "{setup}\n"
             "with console.progress('reading history') as tick:\n"
             "    for i in range(60): tick(i + 1, 60)\n"
             "print(sum(range(50)))")


def _progress_run(setup: str, *, tty: bool) -> tuple[str, str]:
    """Run console.progress with stderr on a pseudo-terminal (or a pipe)."""
    import pty

    code = _PROGRESS.format(root=str(ROOT), setup=setup)
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(TERM="xterm", COLUMNS="100")
    if not tty:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=env)
        return proc.stdout, proc.stderr
    leader, follower = pty.openpty()
    proc = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE,
                          stderr=follower, text=True, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return proc.stdout, b"".join(chunks).decode("utf-8", "replace")


def test_progress_shows_a_bar_on_a_terminal_only():
    stdout, stderr = _progress_run("", tty=True)
    assert stdout.strip() == str(sum(range(50)))
    assert "reading history" in stderr
    stdout, stderr = _progress_run("", tty=False)
    assert stdout.strip() == str(sum(range(50))) and stderr == ""


def test_progress_is_silent_with_quiet():
    stdout, stderr = _progress_run("console.set_verbosity(console.QUIET); ", tty=True)
    assert stdout.strip() == str(sum(range(50)))
    assert "reading history" not in stderr
