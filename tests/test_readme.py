"""The README stays true: generated references, set-up commands, tutorial, help."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest
import typer.main

from mouctl.cli import app
from mouctl.cli import reference as docs
from mouctl.cli.clickapi import click
from tests.conftest import ROOT, env_with_mouctl

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end != -1 else None]


def _code_blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, re.S)


@pytest.mark.parametrize("section", docs.SECTIONS)
def test_generated_reference_is_up_to_date(section):
    assert docs.extract(README, section) == docs.generate(section), \
        "run: python -m mouctl.cli.reference --write README.md"


def test_data_format_reference_names_every_field_of_the_model():
    reference = docs.extract(README, "data-format")
    for cls in docs.MODELS:
        for name, info in cls.model_fields.items():
            assert info.description, f"{cls.__name__}.{name} has no description"
            assert f"| `{name}` |" in reference


def test_ci_runs_exactly_the_readme_test_command():
    setup, tests = _code_blocks(_section("Quick start"), "sh")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line and not line.startswith(("#", "set ",
                                                                                  "cd "))]
    assert commands == [tests.strip()]


def test_contributing_names_the_readme_test_command_and_ci():
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "bash .ci/run" in contributing
    assert "python3 -m pytest" in contributing


def _commands() -> dict[str, click.Command]:
    group = typer.main.get_command(app)
    ctx = click.Context(group, info_name="mouctl")
    return {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}


def test_every_command_help_ends_with_an_example():
    for name, command in _commands().items():
        lines = [line.strip() for line in (command.help or "").strip().splitlines()]
        assert lines and lines[-1].startswith("Example: mouctl "), name


def test_every_command_is_in_the_command_reference():
    for name in _commands():
        assert f"#### `mouctl {name}`" in README


def test_exit_code_table_lists_every_exit_code():
    from mouctl.cli import EXIT_BUG, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
    from mouctl.cli.history_cmds import DIFF_FAILED
    from mouctl.history.comparison import ADMINISTRATIVE_ONLY, SUBSTANTIVE

    table = _section("Terminal conventions")
    codes = (EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED, DIFF_FAILED,
             SUBSTANTIVE)
    for code in codes:
        assert f"\n| {code} | " in table
    # Codes never collide: each row is one code, and usage errors are only that.
    assert len(set(codes)) == len(codes) and ADMINISTRATIVE_ONLY == EXIT_FAILURE
    assert "\n| 2 | wrong usage (unknown option or command, bad argument), always |" in table


def test_readme_links_point_at_files_that_exist():
    for target in re.findall(r"\]\(((?:docs|examples)/[^)#]+)\)", README):
        assert (ROOT / target).exists(), target


def _tutorial_script(title: str = "Tutorial: from `mouctl init` to a signed amendment"
                     ) -> tuple[str, set[str]]:
    """A tutorial's sh blocks as one bash script; its edits and files as inline commands."""
    text = _section(title)
    quoted = r'"((?:[^"\\]|\\.)*)"'  # "text", with \" and \n inside
    parts = re.findall(rf"```sh\n(.*?)```|<!-- tutorial-edit: (\S+) {quoted} -> {quoted} -->"
                       r"|<!-- tutorial-file: (\S+) -->\n```\w*\n(.*?)```", text, re.S)
    lines, used = ["set -euo pipefail"], set()
    for block, path, old, new, file, content in parts:
        if file:
            code = (f"import pathlib; p = pathlib.Path({file!r}); "
                    f"p.parent.mkdir(parents=True, exist_ok=True); p.write_text({content!r})")
            lines.append(f"{shlex.quote(sys.executable)} -c {shlex.quote(code)}")
        elif block:
            used |= set(re.findall(r"^mouctl (?:-\S+ )*([\w-]+)", block, re.M))
            lines += [f"echo '$ {line}' >&2\n{line}" for line in block.strip().splitlines()]
        else:
            old, new = _unescape(old), _unescape(new)
            if old.startswith("^"):  # a whole line by pattern (init writes today's dates)
                code = (f"import pathlib, re; p = pathlib.Path({path!r}); "
                        f"t, n = re.subn({old!r}, {new!r}, p.read_text(), flags=re.M); "
                        f"assert n == 1, 'edit: line not found once'; p.write_text(t)")
            else:
                code = (f"import pathlib; p = pathlib.Path({path!r}); t = p.read_text(); "
                        f"assert t.count({old!r}) == 1, 'edit: text not found once'; "
                        f"p.write_text(t.replace({old!r}, {new!r}))")
            lines.append(f"{shlex.quote(sys.executable)} -c {shlex.quote(code)}")
    return "\n".join(lines) + "\n", used


def _unescape(text: str) -> str:
    """A tutorial edit's text: `\\n` is a new line, `\\"` a quote. An edit whose old
    text starts with `^` replaces the one line that pattern matches."""
    return re.sub(r'\\(.)', lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _run_section(tmp_path, title: str | None = None):
    """Run a README section's commands as written in a fresh folder: (process, folder, env)."""
    script, used = _tutorial_script(title) if title else _tutorial_script()
    missing = used - set(_commands())
    assert not missing, f"the section uses commands mouctl does not have: {sorted(missing)}"
    # Signatures default to today: keep it after the fixed git date of the releases.
    env = {**env_with_mouctl(tmp_path), "MOUCTL_TODAY": "2027-06-01"}
    work = tmp_path / "work"
    work.mkdir()
    proc = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc, work, env


def test_tutorial_runs_as_written(tmp_path):
    proc, work, env = _run_section(tmp_path)
    assert (work / "eurocook" / "mou.md").is_file()
    # What the README shows of the diff is what mouctl prints.
    shown = re.search(r"```text\n(Changes from .*?)```", README, re.S).group(1)
    for line in shown.strip().splitlines()[1:]:  # the first line holds fingerprints
        assert line in proc.stdout, line
    assert "Signatures of mou-v1.1: 0 of 2 partners" in proc.stdout
    check = subprocess.run(["mouctl", "status", "--check"], cwd=work / "eurocook", env=env,
                           capture_output=True, text=True)
    assert check.returncode == 1  # the partner in Tampere has not signed 1.1 yet


def test_lifecycle_tutorial_runs_as_written(tmp_path):
    proc, work, env = _run_section(
        tmp_path, "The life of an MoU: draft, release, sign, amend, adhesion, withdrawal, renewal")
    out = proc.stdout
    # Draft: the project block and the validity tied to the project's end are printed.
    mou = (work / "wine" / "mou.md").read_text(encoding="utf-8")
    assert "| Project number | 2026-1-DE02-KA220-VET-000777777 |" in mou
    assert "until the end of the project, at the latest until 31 August 2029" in mou
    # Adhesion: only the newcomer signs, its declaration is written, the others stay bound.
    assert (work / "wine" / "adhesion-porto.docx").stat().st_size > 5000
    assert "In force: mou-v1.1, binding 3 partners" in out
    assert "escola-porto" in out and "(adhesion declaration: Ana Ribeiro, Porto)" in out
    # Withdrawal: an administrative release that binds the two who stay.
    assert "In force: mou-v1.2, binding 2 partners" in out
    # Expiry: status --check failed and said why.
    assert "Expired: mou-v1.2 was valid until 2029-08-31" in out
    assert "exit code 1" in out
    # Renewal: a new MoU with its own tag series; both lives in status and log.
    assert "mou2-v1.0" in out and "Earlier MoU: mou-v1.0, mou-v1.1, mou-v1.2" in out


def test_mobility_tutorial_runs_as_written(tmp_path):
    proc, work, env = _run_section(
        tmp_path, "Tutorial: from the MoU to a signed learning agreement")
    network = work / "eurocook"
    assert (network / "learning-agreement.docx").stat().st_size > 5000
    # The learner's file is ignored: git sees only the document written.
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            cwd=network, capture_output=True, text=True).stdout
    assert status == "?? learning-agreement.docx\n"
    import json

    listed = json.loads(proc.stdout[proc.stdout.rindex('{\n  "mouctl"'):])["mobilities"]
    assert [(m["id"], m["state"], m["mou"]) for m in listed] == [
        ("2028-tampere-schmidt", "agreed", "mou-v1.0")]
    assert listed[0]["diagnostics"] == []


def test_quick_start_main_job_runs_as_written(tmp_path):
    """The quick start's mouctl commands (after `pip install .`) on the bundled example."""
    main_job = _code_blocks(_section("Quick start"), "sh")[0].strip()
    install, *commands = [part.strip() for part in main_job.split("&&")]
    assert install == "python3 -m pip install ."
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    env = env_with_mouctl(tmp_path)
    proc = subprocess.run(["bash", "-c", " && ".join(commands)], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    outputs = [p for p in tmp_path.iterdir() if p.suffix in (".md", ".html", ".pdf", ".docx")]
    assert outputs and all(p.stat().st_size > 1000 for p in outputs)
