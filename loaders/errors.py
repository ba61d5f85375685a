"""The one domain error a user can cause: bad input. Our own bugs stay ordinary exceptions.

`item_boundary` is the exception boundary every batch loop puts around one item (a JSONL line,
a feed entry, a page, a file, one article's extract/map/validate/commit): bad input becomes one
`InputError` line and the batch goes on. Anything else is a bug: it becomes one line too for a
user, but re-raises when STANCEGRAPH_DEBUG is set (the test suite sets it), so a bug never hides.
"""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from typing import Iterator

VALUE_MAX = 80          # a value quoted in an error line is cut to about this many characters
MESSAGE_MAX = 400       # a whole error line never grows past this (a huge value cannot flood)


class InputError(Exception):
    """Bad input: carries where (file, line/item/field) and a sentence a user understands."""

    def __init__(self, source: str, message: str, position: str | None = None):
        self.source = source
        self.position = position
        self.message = message
        super().__init__(source, message, position)     # args rebuild it (pickling, processes)

    def __str__(self) -> str:
        where = f"{self.source}:{self.position}" if self.position else self.source
        return one_line(f"{where}: {self.message}", MESSAGE_MAX)

    def __eq__(self, other: object) -> bool:     # a value: the same place, the same message
        return isinstance(other, InputError) and \
            (self.source, self.position, self.message) == (other.source, other.position, other.message)

    def __hash__(self) -> int:
        return hash((self.source, self.position, self.message))


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def one_line(text: str, limit: int) -> str:
    """`text` on one line (line breaks and other control characters shown as spaces; lone
    surrogates escaped so the line can always be printed), cut to `limit` characters with "…"."""
    flat = _CONTROL.sub(" ", text[:limit + 1])
    if _SURROGATE.search(flat):
        flat = flat.encode("utf-8", "backslashreplace").decode("utf-8")
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def shown(value: object, limit: int = VALUE_MAX) -> str:
    """A value as an error line quotes it: its repr, cut to about `limit` characters."""
    if isinstance(value, (str, bytes)) and len(value) > 4 * limit:
        value = value[:4 * limit]                          # never repr a 100 MB string whole
    text = repr(value)
    if len(text) > 4 * limit:                              # a huge list or dict
        text = text[:4 * limit]
    return one_line(text, limit)


def debugging() -> bool:
    """True when our own bugs must raise instead of becoming one line (env STANCEGRAPH_DEBUG)."""
    return os.environ.get("STANCEGRAPH_DEBUG", "").strip().lower() not in ("", "0", "false", "no")


def as_input_error(exc: BaseException, source: str, position: str | None,
                   what: str = "cannot read this item") -> InputError:
    """An exception of ours turned into the line a user sees (their batch goes on)."""
    if isinstance(exc, InputError):
        return exc
    if isinstance(exc, RecursionError):
        return InputError(source, f"{what}: nested too deeply", position)
    if isinstance(exc, MemoryError):
        return InputError(source, f"{what}: too large to hold in memory", position)
    if isinstance(exc, OSError) and exc.strerror:     # the disk, not the input, failed
        return InputError(source, f"{what}: {exc.strerror}", position)
    reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return InputError(source, f"{what} ({one_line(reason, 120)}); this is a bug in stancegraph, "
                              "set STANCEGRAPH_DEBUG=1 for the traceback", position)


def _bare(error: InputError) -> InputError:
    """The error without traceback and chained exceptions: a list of 200,000 errors must not
    keep 200,000 stacks of frames alive (and the garbage collector busy)."""
    error.__context__ = error.__cause__ = None
    return error.with_traceback(None)


@contextmanager
def item_boundary(errors: list[InputError] | None, source: str, position: str | None,
                  what: str = "cannot read this item") -> Iterator[None]:
    """Around one item of a batch: its error is appended to `errors` and the batch goes on.

    With `errors=None` the error raises (as an InputError). A bug (not an InputError) re-raises
    unchanged when `debugging()`, else it is reported like bad input."""
    try:
        yield
    except InputError as e:
        if errors is None:
            raise
        errors.append(_bare(e))
    except Exception as e:  # noqa: BLE001 - this is the boundary
        if debugging():
            raise
        error = as_input_error(e, source, position, what)
        if errors is None:
            raise error from e
        errors.append(error)


class StoreError(InputError):
    """The store cannot be used at all: missing, locked, unreachable, or refusing us.
    The CLI prints it on one line and exits 2 (cannot run), wherever in a command it happens."""
