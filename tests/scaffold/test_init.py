"""`mouctl init`: a network that validates at once, and nothing overwritten."""

from __future__ import annotations

import os
import shutil
import stat

from tests.conftest import git


def test_init_yes_then_validate(run, tmp_path):
    result = run("init", "demo", "--yes", cwd=tmp_path)
    assert result.code == 0, result.output
    demo = tmp_path / "demo"
    assert sorted(p.name for p in demo.iterdir()) == [
        ".git", ".github", ".gitignore", "README.md", "network.schema.json", "network.yaml",
        "partner.schema.json", "qualification.schema.json"]
    assert "CI: .github/workflows/mou.yml installs mouctl==" in result.stderr
    assert "change MOUCTL_PACKAGE at the top of .github/workflows/mou.yml" in result.stderr
    first_line = (demo / "network.yaml").read_text().splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=network.schema.json"
    check = run("validate", "--strict", cwd=demo)
    assert check.code == 0, check.output
    assert git(demo, "status", "--porcelain") == ""
    assert git(demo, "log", "--format=%s") == "Start the MoU of Example VET Mobility Network\n"


def test_init_takes_name_and_coordinator(run, tmp_path):
    result = run("init", "eurocook", "--name", 'EuroCook "Kitchen" Network', "--coordinator",
                 "Lycée Hôtelier de Lyon", "--country", "fr", "--yes", cwd=tmp_path)
    assert result.code == 0, result.output
    from mouctl.source import loader as source

    net = source.load(tmp_path / "eurocook").require()
    assert net.title == 'EuroCook "Kitchen" Network'
    assert net.coordinator == "lycee-hotelier-de-lyon"
    assert net.partners[0].country == "FR" and net.partners[1].country == "FI"


def test_init_refuses_existing_network_and_changes_nothing(run, tmp_path):
    assert run("init", "demo", "--yes", cwd=tmp_path).code == 0
    demo = tmp_path / "demo"
    before = {p: p.read_bytes() for p in demo.rglob("*") if p.is_file()}
    result = run("init", "--yes", cwd=demo)
    assert result.code == 1
    assert "already has a network.yaml; nothing was changed" in result.stderr
    assert {p: p.read_bytes() for p in demo.rglob("*") if p.is_file()} == before


def test_init_refuses_non_empty_folder(run, tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "minutes.docx").write_bytes(b"keep me")
    result = run("init", str(folder), "--yes", cwd=tmp_path)
    assert result.code == 1
    assert "is not empty (minutes.docx)" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["minutes.docx"]


def test_init_no_git(run, tmp_path):
    result = run("init", "plain", "--yes", "--no-git", cwd=tmp_path)
    assert result.code == 0
    assert not (tmp_path / "plain" / ".git").exists()


def test_init_without_git_binary_says_so_and_writes_nothing(run, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = shutil.which("python3")
    env = {"PATH": str(bin_dir)}
    os.symlink(python, bin_dir / "python3")
    result = run("init", "demo", "--yes", cwd=tmp_path, env=env)
    assert result.code == 1
    assert "git is not installed" in result.stderr and "--no-git" in result.stderr
    assert not (tmp_path / "demo").exists()


def test_init_in_read_only_folder_is_clear(run, tmp_path):
    if os.geteuid() == 0:
        # root ignores permission bits; use a path that cannot exist instead
        result = run("init", "/proc/demo", "--yes", "--no-git", cwd=tmp_path)
    else:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
        result = run("init", str(ro / "demo"), "--yes", "--no-git", cwd=tmp_path)
    assert result.code == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.output


def test_init_asks_on_a_terminal(tmp_path):
    """On a terminal init asks for the name and coordinator (driven through a pty)."""
    import pty
    import subprocess
    import sys

    from conftest import ROOT

    main, secondary = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "mouctl", "init", "asked", "--no-git"],
                            stdin=secondary, stdout=secondary, stderr=secondary,
                            cwd=tmp_path, env=env)
    os.close(secondary)
    os.write(main, b"Nordic Bakers Network\nBageriskolan Malm\xc3\xb6\nSE\n")
    output = b""
    while True:
        try:
            chunk = os.read(main, 1024)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    assert proc.wait(timeout=60) == 0, output.decode(errors="replace")
    text = (tmp_path / "asked" / "network.yaml").read_text()
    assert 'title: "Nordic Bakers Network"' in text
    assert "id: bageriskolan-malmo" in text and "country: SE" in text
    assert b"Network name" in output


def test_init_refuses_a_name_with_a_line_break_and_writes_nothing(run, tmp_path):
    """A name is one line of network.yaml (and of its comments): a line break would make
    the file say something else, so it is refused before anything is written."""
    for option, value in (("--name", "EuroCook\nnetwork: injected"),
                          ("--coordinator", "Schule\u202eam Hafen")):
        result = run("init", "demo", "--yes", "--no-git", option, value, cwd=tmp_path)
        assert result.code == 2, result.output
        assert f"error: {option} holds " in result.stderr
        assert "a name is one line of visible text, so nothing was created" in result.stderr
        assert "Traceback" not in result.output
        assert not (tmp_path / "demo").exists()
    result = run("init", "demo", "--yes", "--no-git", "--name", "EuroCook\nnetwork: x",
                 cwd=tmp_path)
    assert 'hint: write it on one line: --name "EuroCook network: x"' in result.stderr
