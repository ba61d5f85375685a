"""The one domain error a user can cause: bad input. Our own bugs stay ordinary exceptions."""
from __future__ import annotations


class InputError(Exception):
    """Bad input: carries where (file, line/item/field) and a sentence a user understands."""

    def __init__(self, source: str, message: str, position: str | None = None):
        self.source = source
        self.position = position
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.source}:{self.position}" if self.position else self.source
        return f"{where}: {self.message}"


class StoreError(InputError):
    """The store cannot be used at all: missing, locked, unreachable, or refusing us.
    The CLI prints it on one line and exits 2 (cannot run), wherever in a command it happens."""
