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


def test_network_found_from_a_subfolder_and_as_a_file(run, tmp_path):
    """As git finds its repository: network.yaml here or above; `-N network.yaml` too."""
    assert run("init", "net", "--yes", cwd=tmp_path).code == 0
    deep = tmp_path / "net" / "partners" / "notes"
    deep.mkdir(parents=True)
    result = run("validate", cwd=deep)
    assert result.code == 0 and "valid: 0 errors" in result.stderr, result.output
    assert run("validate", "-N", "network.yaml", cwd=tmp_path / "net").code == 0
    assert run("validate", "-N", "net/network.yaml", cwd=tmp_path).code == 0
    # The search stops at the top of a git repository.
    other = tmp_path / "net" / "vendored"
    other.mkdir()
    (other / ".git").mkdir()
    result = run("validate", cwd=other)
    assert result.code == 1
    assert "no network.yaml in this folder or any folder above it" in result.stderr


def _completions(run, cwd, words: str) -> list[str]:
    env = {"_MOUCTL_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split(" ")) - 1)}
    result = run(cwd=cwd, env=env)
    assert result.code == 0, result.output
    return result.stdout.split()


def test_completion_of_partner_ids_and_release_tags(run, tmp_path):
    assert run("init", "net", "--yes", cwd=tmp_path).code == 0
    net = tmp_path / "net"
    assert _completions(run, net, "mouctl sign ") == ["berufsschule-am-hafen",
                                                      "tampereen-ammattiopisto"]
    assert _completions(run, net, "mouctl sign tam") == ["tampereen-ammattiopisto"]
    assert run("release", "1.0", "-m", "First", cwd=net).code == 0
    assert _completions(run, net, "mouctl diff ") == ["mou-v1.0"]
    assert _completions(run, net, "mouctl render --at mou") == ["mou-v1.0"]
    assert _completions(run, net, "mouctl sign x --release ") == ["1.0"]
    # Outside a network: nothing to complete, and no traceback.
    assert _completions(run, tmp_path, "mouctl sign ") == []


def test_dash_o_dash_is_standard_output_for_every_format(run, tmp_path):
    assert run("init", "net", "--yes", cwd=tmp_path).code == 0
    net = tmp_path / "net"
    md = run("render", "-o", "-", cwd=net)
    assert md.code == 0 and md.stdout.startswith("# Example VET Mobility Network")
    assert not (net / "-").exists()
    proc = subprocess.run([sys.executable, "-m", "mouctl", "render", "-f", "docx", "-o", "-"],
                          cwd=net, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0 and proc.stdout.startswith(b"PK"), proc.stderr
    schema = run("schema", "-o", "-", cwd=net)
    assert schema.code == 0 and '"$schema"' in schema.stdout
    diff = run("diff", "-o", "-", cwd=net)
    assert diff.code == 0 and "No changes" in diff.stdout and not (net / "-").exists()


def test_binary_output_is_refused_only_on_a_terminal(tmp_path, run):
    import pty

    assert run("init", "net", "--yes", cwd=tmp_path).code == 0
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "mouctl", "render", "-f", "docx"],
                              cwd=tmp_path / "net", stdout=follower, stderr=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 2
    assert b"cannot be printed to the terminal" in proc.stderr


def test_country_names_in_the_partners_languages_suggest_the_code():
    from mouctl.model.countries import suggest

    assert [suggest(n) for n in ("Deutschland", "Suomi", "España", "Ελλάδα", "Österreich",
                                 "Italia", "Polska")] == ["DE", "FI", "ES", "EL", "AT", "IT",
                                                          "PL"]


def test_verbose_says_what_was_read(run, tmp_path):
    assert run("init", "net", "--yes", cwd=tmp_path).code == 0
    net = tmp_path / "net"
    assert run("release", "1.0", "-m", "First", cwd=net).code == 0
    result = run("-v", "render", "--at", "mou-v1.0", cwd=net)
    assert "read the network at mou-v1.0 (commit " in result.stderr
    assert "template: the default (" in result.stderr
    first = run("-v", "diff", "mou-v1.0", cwd=net).stderr
    again = run("-v", "diff", "mou-v1.0", cwd=net).stderr
    assert "read network.yaml (" in first and "cache: " in first
    assert "cache: 1 of 1 layout entries found in the git folder" in again
    assert "read network.yaml" not in run("diff", "mou-v1.0", cwd=net).stderr


def test_every_json_format_is_one_object_with_the_version(run, tmp_path):
    import json

    from mouctl import __version__

    assert run("init", "net", "--yes", cwd=tmp_path).code == 0
    net = tmp_path / "net"
    assert run("release", "1.0", "-m", "First", cwd=net).code == 0
    for args in (["validate"], ["log"], ["diff"], ["status"], ["mobilities"]):
        result = run(*args, "--format", "json", cwd=net)
        data = json.loads(result.stdout)
        assert isinstance(data, dict) and data["mouctl"] == __version__, args
    validate = json.loads(run("validate", "-f", "json", cwd=net).stdout)
    assert (validate["valid"], validate["errors"], validate["warnings"]) == (True, 0, 0)
    assert validate["partners"] == 2 and validate["diagnostics"] == []
