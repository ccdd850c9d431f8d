"""The one way mouctl reads and writes files.

Reading (`read_bytes`, `read_text`): every file mouctl opens (data, ledger,
catalogues, templates, caches) comes from a folder that may hold anything a
partner committed. So a file is read only if it is a regular file whose real path
stays inside its folder (the folder itself may not be a link to its parent, as a
committed `templates -> .` would be), no larger than a limit checked before
reading, and, for text, UTF-8 with the line of the first bad byte.

Writing (`write_output`): only regular files are replaced, atomically; a
character device or a pipe (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is
written into, never renamed over; the network's own files are never a target.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from mouctl.errors import MouError, OutputError

MAX_TEXT_BYTES = 16 * 1024 * 1024  # data, ledger, catalogues, templates


class FileProblem(MouError):
    """A file mouctl was asked to read cannot be read safely; `code` names the class."""

    def __init__(self, path: Path | str, code: str, message: str, hint: str,
                 line: int | None = None) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}", hint)
        self.path, self.code, self.reason, self.line = str(path), code, message, line


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def check_folder(folder: Path, *, what: str = "folder") -> Path:
    """The real path of `folder`; FileProblem when it is a link to itself or a parent."""
    try:
        real = Path(os.path.realpath(folder, strict=True))
    except (OSError, RuntimeError) as exc:
        raise FileProblem(folder, "unreadable", f"cannot open the {what}: "
                          f"{getattr(exc, 'strerror', None) or 'a symbolic link loop'}",
                          "check that it exists and is readable") from None
    parent = Path(os.path.realpath(Path(os.path.abspath(folder)).parent))
    if real == parent or real in parent.parents:
        raise FileProblem(folder, "outside-folder", f"the {what} is a symbolic link to "
                          f"'{real}', a folder that holds it",
                          "replace the link with a real folder holding only its own files")
    return real


def inspect(path: Path, root: Path, *, limit: int = MAX_TEXT_BYTES,
            what: str = "folder") -> tuple[str, str, str] | None:
    """Why `path` (in folder `root`, called `what`) must not be read: (code, message,
    hint), or None."""
    try:
        real = Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        if os.path.islink(path):
            return ("unreadable", "the file is a symbolic link to nothing",
                    "replace the link with the file itself")
        return ("unreadable", "the file does not exist", "check the name")
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        return ("unreadable", "the file is a symbolic link that leads nowhere (a loop)",
                "replace the link with the file itself")
    try:
        top = check_folder(root, what=what)
    except FileProblem as exc:
        return exc.code, exc.reason, exc.hint or ""
    if top not in real.parents:
        return ("outside-folder", f"the file links to '{real}', outside the {what}",
                f"copy the file into the {what} instead of linking to it")
    try:
        info = os.stat(real)
    except OSError as exc:
        return ("unreadable", f"cannot read the file: {exc.strerror}", "check its permissions")
    return _refusal(info, limit)


def _refusal(info: os.stat_result, limit: int) -> tuple[str, str, str] | None:
    if not stat.S_ISREG(info.st_mode):
        return ("unreadable", f"this is {_kind(info.st_mode)}, not a file",
                "rename or remove it: mouctl reads only regular files here")
    if info.st_size > limit:
        return ("file-too-large", too_large(info.st_size, limit),
                "split it into smaller files, or remove it")
    return None


def too_large(size: int, limit: int) -> str:
    """The one wording of a file refused for its size (also for bytes read from git)."""
    return f"the file is {_size(size)}; mouctl reads files of up to {_size(limit)}"


def _size(n: int) -> str:
    return f"{n / 1048576:.0f} MB" if n >= 1048576 else f"{n:,} bytes"


def read_bytes(path: Path, root: Path, *, limit: int = MAX_TEXT_BYTES,
               what: str = "folder") -> bytes:
    """The bytes of `path`, read only if `inspect` allows; FileProblem otherwise."""
    problem = inspect(path, root, limit=limit, what=what)
    if problem is not None:
        raise FileProblem(path, *problem)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(os.path.realpath(path), flags)
    except OSError as exc:
        raise FileProblem(path, "unreadable", f"cannot read the file: {exc.strerror}",
                          "check its permissions") from None
    try:
        # Checked again on the open file: it may have been swapped for a pipe meanwhile.
        problem = _refusal(os.fstat(fd), limit)
        if problem is not None:
            raise FileProblem(path, *problem)
        chunks, total = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileProblem(path, "file-too-large", f"the file grew past "
                                  f"{_size(limit)} while it was read", "run the command again")
        return b"".join(chunks)
    except OSError as exc:
        raise FileProblem(path, "unreadable", f"cannot read the file: {exc.strerror}",
                          "check its permissions") from None
    finally:
        os.close(fd)


def decode(path: Path | str, raw: bytes) -> str:
    """`raw` as UTF-8 text (a byte-order mark dropped); FileProblem names the bad line."""
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FileProblem(path, "encoding", f"the file is not UTF-8 text (byte "
                          f"0x{raw[exc.start]:02X} at line {line})",
                          "save the file as UTF-8 in your editor", line) from None


def read_text(path: Path, root: Path, *, limit: int = MAX_TEXT_BYTES,
              what: str = "folder") -> str:
    """The UTF-8 text of `path` in folder `root` (see `read_bytes`)."""
    return decode(path, read_bytes(path, root, limit=limit, what=what))


# -- writing --------------------------------------------------------------------------

# The network's own files: `-o` may never name one of them (nor anything in these folders).
OWN_FILES = ("network.yaml", "signatures.yaml", "network.schema.json")
OWN_FOLDERS = ("partners", "qualifications", "templates", "mobilities", ".git")


def write_output(path: Path, data: bytes | str, *, network: Path | None = None,
                 allow: tuple[str, ...] = ()) -> None:
    """Write a file the user named: never one of the network's own files (except the
    names in `allow`), into a device or pipe as it is, any other file atomically."""
    refuse_own_file(path, network, allow=allow)
    write_atomic(path, data)


def refuse_own_file(path: Path, network: Path | None, *, allow: tuple[str, ...] = ()) -> None:
    """OutputError when `path` is one of the network's data, ledger, template or git files."""
    target = Path(os.path.realpath(path))
    folders = [Path(os.path.realpath(network))] if network is not None else []
    here = Path(os.path.realpath("."))
    if here not in folders and (here / "network.yaml").exists():
        folders.append(here)
    for folder in folders:
        if not (folder / "network.yaml").exists():
            continue
        inside = target.relative_to(folder).parts if folder in target.parents else ()
        if not inside:
            continue
        own = (len(inside) == 1 and inside[0] in OWN_FILES and inside[0] not in allow) or (
            len(inside) > 1 and inside[0] in OWN_FOLDERS)
        if own or ".git" in inside:
            raise OutputError(f"'{path}' is one of the network's own files; it was not "
                              "overwritten", "write the output to another file name")


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` to `path`: a regular file through a temporary file and a rename,
    a character device or a pipe by writing into it.

    A crash, Ctrl-C or full disk leaves either the old file or the new one,
    never a truncated mix; a failure raises OutputError with the reason.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        info = os.stat(path)  # follows links: /dev/stdout is a link to the real stream
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}", _hint(exc)) from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
            _write_into(path, data, fifo=stat.S_ISFIFO(info.st_mode))
            return
        raise OutputError(f"cannot write {path}: it is {_kind(info.st_mode)}, not a file",
                          "choose a file name for the output")
    # A link to a regular file: replace the file it points to, and keep the link.
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    _replace(target, data, shown=path)


def _write_into(path: Path, data: bytes, *, fifo: bool) -> None:
    """Write into a device or pipe; a pipe nobody reads is refused instead of waited for."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | (os.O_NONBLOCK if fifo else 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OutputError(f"cannot write {path}: it is a named pipe that no program "
                              "is reading", "start the reading program first, or write to "
                              "a file") from None
        raise OutputError(f"cannot write {path}: {_reason(exc)}", _hint(exc)) from None
    try:
        if fifo:
            os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}", _hint(exc)) from None
    finally:
        os.close(fd)


def _replace(path: Path, data: bytes, *, shown: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write {shown}: the folder '{folder}' does not exist",
                          "create the folder first or choose another output path")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp_name, path.stat().st_mode & 0o777)
        else:
            with contextlib.suppress(OSError):
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {_reason(exc)}", _hint(exc)) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _hint(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "check that the folder is writable, or write elsewhere with -o"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some disk space and run the command again; nothing was changed"
    return "nothing was changed; fix the cause and run the command again"
