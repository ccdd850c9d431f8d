"""The hostile-input corpus: every bad file a partner may send gets a clear message.

Each case is a folder under tests/corpus/ holding the network as it arrived
(`network/`) and the exact output of `mouctl validate` on it (`expected.txt`).
A case with a `command` file runs that mouctl command instead (one argument per
line, e.g. `render` and `-o` and `network.yaml`): inputs other than data files
(templates, catalogues, output targets) are attacked the same way.
Cases that cannot be committed (a 50 MB file, symlinks, a named pipe) are built
in tmp by the functions in GENERATED; their folder holds only `expected.txt`.

Every case runs as a real process under a 1 GB address-space limit and a timeout,
so an alias bomb or a blocking read fails the test instead of the machine. Each
must exit 1 (never 3, the exit code of a bug), print no traceback, change no file,
and locate every error in a file (with a line, except for whole-file problems).
Run `pytest tests/test_corpus.py --update-golden` after changing a message, and
review the diff of the expected.txt files.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mouctl.source import loader as source

CORPUS = Path(__file__).resolve().parent / "corpus"
BASE = CORPUS / "base.yaml"
ROOT = CORPUS.parent.parent
TODAY = dt.date(2026, 3, 1)  # MOUCTL_TODAY in conftest
MEMORY_LIMIT = 1 << 30  # bytes of address space for each mouctl run
TIMEOUT = 120  # seconds; generous: a run takes well under one on a slow machine
# Problems that concern a whole file, which therefore have no line to point at.
WHOLE_FILE = {"outside-network", "unreadable", "file-too-large", "wrong-name", "submodule",
              "outside-folder"}


def _file_50mb(folder: Path) -> None:
    text = BASE.read_text("utf-8") + "additional_information: |\n"
    line = "  " + "The partners meet once a year to review the mobilities. " * 2 + "\n"
    with open(folder / "network.yaml", "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.write(line * (50 * 2**20 // len(line) + 1))


def _long_text_aliased(folder: Path) -> None:
    # 1 MB of text, aliased 10 x 10 times: 100 million characters once expanded.
    text = BASE.read_text("utf-8").replace(
        "title: EuroCook VET Network\n",
        "title: EuroCook VET Network\n"
        f'additional_information: &t "{"x" * 2**20}"\n'
        f"objectives: &o [{', '.join(['*t'] * 10)}]\n"
        f"annex: [{', '.join(['*o'] * 10)}]\n", 1)
    (folder / "network.yaml").write_text(text, encoding="utf-8")


def _symlinks_out_of_network(folder: Path) -> None:
    shutil.copy(BASE, folder / "network.yaml")
    outside = folder.parent / "outside.yaml"
    outside.write_text("id: outside\nname: Not a partner\ncountry: FR\nroles: [receiving]\n")
    (folder / "partners").mkdir()
    (folder / "partners" / "outside.yaml").symlink_to(outside)
    (folder / "partners" / "passwd.yaml").symlink_to("/etc/passwd")


def _network_yaml_links_outside(folder: Path) -> None:
    outside = folder.parent / "elsewhere.yaml"
    shutil.copy(BASE, outside)
    (folder / "network.yaml").symlink_to(outside)


def _dangling_symlink(folder: Path) -> None:
    shutil.copy(BASE, folder / "network.yaml")
    (folder / "partners").mkdir()
    (folder / "partners" / "lyon.yaml").symlink_to(folder / "partners" / "gone.yaml")


def _named_pipe(folder: Path) -> None:
    # Reading a pipe blocks until someone writes: the run must not hang.
    shutil.copy(BASE, folder / "network.yaml")
    (folder / "partners").mkdir()
    os.mkfifo(folder / "partners" / "lyon.yaml")


def _folder_named_yaml(folder: Path) -> None:
    shutil.copy(BASE, folder / "network.yaml")
    (folder / "qualifications" / "baker.yaml").mkdir(parents=True)


def _with_templates(folder: Path) -> Path:
    """The base network with a `templates/` folder (render uses it by itself)."""
    shutil.copy(BASE, folder / "network.yaml")
    (folder / "templates" / "i18n").mkdir(parents=True)
    return folder / "templates"


def _catalogue_links_out(folder: Path) -> None:
    # A committed link would print a private file of whoever renders into the MoU.
    (_with_templates(folder) / "i18n" / "en.yaml").symlink_to("/etc/passwd")


def _templates_link_to_the_network(folder: Path) -> None:
    # `templates -> .` would make `.git/config` (with its tokens) includable.
    shutil.copy(BASE, folder / "network.yaml")
    (folder / "templates").symlink_to(".")


def _catalogue_is_a_named_pipe(folder: Path) -> None:
    os.mkfifo(_with_templates(folder) / "i18n" / "en.yaml")


def _template_is_a_folder(folder: Path) -> None:
    (_with_templates(folder) / "mou.md.j2").mkdir()


def _template_is_a_named_pipe(folder: Path) -> None:
    os.mkfifo(_with_templates(folder) / "mou.md.j2")


GENERATED: dict[str, Callable[[Path], None]] = {
    "catalogue-links-out-of-its-folder": _catalogue_links_out,
    "templates-folder-links-to-the-network": _templates_link_to_the_network,
    "catalogue-is-a-named-pipe": _catalogue_is_a_named_pipe,
    "template-is-a-folder": _template_is_a_folder,
    "template-is-a-named-pipe": _template_is_a_named_pipe,
    "file-50-mb": _file_50mb,
    "long-text-aliased": _long_text_aliased,
    "symlinks-out-of-network": _symlinks_out_of_network,
    "network-yaml-links-outside": _network_yaml_links_outside,
    "dangling-symlink": _dangling_symlink,
    "named-pipe-as-data-file": _named_pipe,
    "folder-named-like-a-data-file": _folder_named_yaml,
}
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def _limits() -> None:  # runs in the child process before mouctl starts
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _command(case: str) -> list[str]:
    path = CORPUS / case / "command"
    return path.read_text("utf-8").splitlines() if path.exists() else ["validate"]


def _validate(folder: Path, args: list[str] | None = None) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "mouctl", *(args or ["validate"])],
                          cwd=folder, env=env,
                          capture_output=True, timeout=TIMEOUT, preexec_fn=_limits)
    output = (proc.stdout + proc.stderr).decode("utf-8", errors="replace")
    return proc.returncode, output


def _snapshot(folder: Path) -> dict[str, object]:
    """Every entry below `folder` with its content (or link target): to show nothing
    was written, renamed or deleted."""
    out: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_symlink():
            out[rel] = ("link", os.readlink(path))
        elif path.is_file():
            out[rel] = path.stat().st_size, path.stat().st_mtime_ns, path.read_bytes()[:4096]
        else:
            out[rel] = path.stat().st_mode
    return out


def _build(case: str, tmp_path: Path) -> Path:
    folder = tmp_path / "net"
    stored = CORPUS / case / "network"
    if stored.is_dir():
        shutil.copytree(stored, folder, symlinks=True)
    else:
        assert case in GENERATED, f"corpus case {case} has neither network/ nor a generator"
        folder.mkdir()
        GENERATED[case](folder)
    return folder


def test_the_corpus_has_every_case_it_promises():
    assert len(CASES) >= 40
    assert set(GENERATED) <= set(CASES), "a generated case lacks its folder with expected.txt"


def test_the_base_network_is_valid_so_each_case_fails_for_its_own_defect():
    loaded = source.load_documents({"network.yaml": BASE.read_bytes()}, today=TODAY)
    assert loaded.diagnostics == []


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gets_a_clear_located_message(case, tmp_path, request):
    folder = _build(case, tmp_path)
    before = _snapshot(folder)
    command = _command(case)
    code, output = _validate(folder, command)

    assert "Traceback" not in output and "internal error" not in output, output
    assert code == 1, output
    assert _snapshot(folder) == before, f"{command[0]} changed the network folder"
    assert "hint:" in output, "every refusal says what to do"

    if command == ["validate"]:
        loaded = source.load(folder, today=TODAY)
        assert loaded.network is None and loaded.errors
        for d in loaded.errors:
            assert d.file and d.message and d.hint, d
            assert d.line is not None or d.code in WHOLE_FILE, f"no line for {d}"

    shown = output.replace(str(tmp_path), "<tmp>")
    expected = CORPUS / case / "expected.txt"
    if request.config.getoption("--update-golden") or not expected.exists():
        missing = not expected.exists()
        expected.write_text(shown, encoding="utf-8")
        if missing and not request.config.getoption("--update-golden"):
            pytest.fail(f"{expected.relative_to(ROOT)} was missing and has been written; "
                        "review it and run again")
    assert shown == expected.read_text(encoding="utf-8"), (
        f"output differs from {expected.relative_to(ROOT)}; run pytest --update-golden "
        "and review the diff")
