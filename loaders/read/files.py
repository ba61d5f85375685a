"""Files on disk, safely: regular files only (a FIFO, a device or a socket is refused without
blocking), bounded sizes and line lengths, unreadable files and folders named one by one."""
from __future__ import annotations

import errno
import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from stancegraph.loaders.errors import InputError

from .limits import Limits

# Files a corpus folder keeps beside its articles: documentation and gold facts.
NOT_ARTICLES = {"readme", "readme.md", "readme.txt", "gold.jsonl"}
HEAD_BYTES = 65536          # enough to tell the format and the encoding


@contextmanager
def open_regular(path: Path) -> Iterator[IO[bytes]]:
    """The file opened for reading in binary; anything but a readable regular file is one
    InputError. Opened non-blocking and checked before any read, so a FIFO never blocks."""
    source = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise _os_error(source, e) from None
    try:
        kind = _kind(os.fstat(fd).st_mode)
        if kind:
            raise InputError(source, f"not a regular file ({kind}); only files, folders and "
                                     "http(s) URLs are read")
        os.set_blocking(fd, True)
        stream = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with stream:
        try:
            yield stream
        except OSError as e:
            raise _os_error(source, e) from None


def read_bounded(stream: IO[bytes], source: str, limits: Limits, head: bytes = b"") -> bytes:
    """All bytes of a file (`head` already read from it), no more than `limits.max_file_bytes`."""
    data = head + stream.read(max(limits.max_file_bytes + 1 - len(head), 0))
    if len(data) > limits.max_file_bytes:
        raise InputError(source, f"the file is larger than {_size(limits.max_file_bytes)} (limit: "
                                 "STANCEGRAPH_MAX_FILE_BYTES / --max-file-size; JSONL files are "
                                 "read line by line and have no size limit)")
    return data


def numbered_lines(stream: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes without the line break) for every line; a line longer than
    `max_bytes` is cut to max_bytes + 1 bytes (its reader reports it) and never held whole."""
    n = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        n += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            rest = line
            while rest and not rest.endswith(b"\n"):           # skip the rest of the long line
                rest = stream.readline(1 << 20)
            yield n, line
            continue
        yield n, line.rstrip(b"\r\n")


def article_files(root: Path, errors: list[InputError] | None) -> Iterator[Path]:
    """Every article file under a folder, sorted by path, recursively; hidden files and folders,
    READMEs and gold.jsonl are skipped. A folder that cannot be listed is one error."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as e:
        error = _os_error(str(root), e, folder=True)
        if errors is None:
            raise error from None
        errors.append(error)
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name.lower() in NOT_ARTICLES:
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            yield from article_files(path, errors)
        else:
            yield path           # a FIFO, device or broken link is reported when it is opened


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _os_error(source: str, e: OSError, folder: bool = False) -> InputError:
    thing = "folder" if folder else "file"
    if e.errno in (errno.EACCES, errno.EPERM):
        return InputError(source, f"cannot read this {thing}: permission denied")
    if e.errno == errno.ENOENT:
        return InputError(source, "no such file or directory")
    if e.errno == errno.ELOOP:
        return InputError(source, "too many levels of symbolic links")
    return InputError(source, f"cannot read this {thing}: {e.strerror or e}")


def _size(n: int) -> str:
    return f"{n / 1_000_000:g} MB" if n >= 1_000_000 else f"{n:,} bytes"
