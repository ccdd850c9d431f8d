"""The one reader and the safe writer (mouctl/files.py), on real files, links and pipes.

Corpus cases (tests/corpus) show the same refusals through the CLI; these tests
pin the rules themselves: what is read, what is refused before reading, and
that writing never renames over a device, a pipe or the network's own files.
"""

from __future__ import annotations

import os
import shutil
import stat
import threading
from pathlib import Path

import pytest

from mouctl import files
from mouctl.errors import OutputError

BASE = Path(__file__).parent / "corpus" / "base.yaml"


def test_a_regular_file_inside_its_folder_is_read(tmp_path):
    (tmp_path / "a.yaml").write_text("x: 1\n")
    assert files.read_text(tmp_path / "a.yaml", tmp_path) == "x: 1\n"


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    (tmp_path / "big").write_bytes(b"x" * 2000)
    with pytest.raises(files.FileProblem) as caught:
        files.read_bytes(tmp_path / "big", tmp_path, limit=1000)
    assert caught.value.code == "file-too-large"
    assert "the file is 2,000 bytes; mouctl reads files of up to 1,000 bytes" in str(
        caught.value)


@pytest.mark.parametrize("make, expected", [
    (lambda p: os.mkfifo(p), "this is a named pipe, not a file"),
    (lambda p: p.mkdir(), "this is a folder, not a file"),
    (lambda p: p.symlink_to("/dev/zero"), "outside the folder"),
    (lambda p: p.symlink_to(p), "a symbolic link that leads nowhere"),
    (lambda p: p.symlink_to(p.parent / "gone"), "a symbolic link to nothing"),
])
def test_what_is_not_a_regular_file_in_the_folder_is_refused_without_blocking(
        tmp_path, make, expected):
    make(tmp_path / "x.yaml")
    with pytest.raises(files.FileProblem, match=expected):
        files.read_bytes(tmp_path / "x.yaml", tmp_path)


def test_a_folder_that_links_to_its_parent_is_refused(tmp_path):
    (tmp_path / "network.yaml").write_text("x: 1\n")
    (tmp_path / "templates").symlink_to(".")
    with pytest.raises(files.FileProblem, match="a folder that holds it"):
        files.read_text(tmp_path / "templates" / "network.yaml", tmp_path / "templates")


def test_text_that_is_not_utf8_names_its_line(tmp_path):
    (tmp_path / "t.j2").write_bytes(b"ok\nok\ncaf\xe9\n")
    with pytest.raises(files.FileProblem) as caught:
        files.read_text(tmp_path / "t.j2", tmp_path)
    assert caught.value.line == 3
    assert str(caught.value).endswith("t.j2:3: the file is not UTF-8 text (byte 0xE9 at line 3)")


# -- writing ------------------------------------------------------------------------


def test_dev_null_is_written_into_not_replaced(tmp_path):
    files.write_output(Path("/dev/null"), "text")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_full_device_is_a_clear_error():
    with pytest.raises(OutputError, match="cannot write /dev/full: No space left on device"):
        files.write_output(Path("/dev/full"), "text")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_named_pipe_is_written_into_when_someone_reads(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()))
    reader.start()
    # The reader opens the pipe in its own time; retry until it is there.
    for _ in range(200):
        try:
            files.write_output(pipe, "through the pipe")
            break
        except OutputError:
            threading.Event().wait(0.01)
    reader.join(5)
    assert got == [b"through the pipe"]
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


def test_a_named_pipe_nobody_reads_is_refused_not_waited_for(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(OutputError, match="a named pipe that no program is reading"):
        files.write_output(tmp_path / "pipe", "text")


def test_a_link_to_a_file_keeps_the_link_and_replaces_the_file(tmp_path):
    (tmp_path / "real.md").write_text("old")
    (tmp_path / "link.md").symlink_to("real.md")
    files.write_output(tmp_path / "link.md", "new")
    assert (tmp_path / "link.md").is_symlink()
    assert (tmp_path / "real.md").read_text() == "new"


@pytest.mark.parametrize("target", ["network.yaml", "signatures.yaml", "partners/x.yaml",
                                    "templates/mou.md.j2", ".git/config",
                                    "network.schema.json"])
def test_the_networks_own_files_are_never_a_target(tmp_path, target):
    shutil.copy(BASE, tmp_path / "network.yaml")
    path = tmp_path / target
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text("mine")
    before = path.read_bytes()
    with pytest.raises(OutputError, match="one of the network's own files"):
        files.write_output(path, "rendered", network=tmp_path)
    assert path.read_bytes() == before


def test_schema_may_write_its_own_schema_file(tmp_path):
    shutil.copy(BASE, tmp_path / "network.yaml")
    files.write_output(tmp_path / "network.schema.json", "{}", network=tmp_path,
                       allow=("network.schema.json",))
    assert (tmp_path / "network.schema.json").read_text() == "{}"
