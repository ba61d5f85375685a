"""Flat tables from the store: one row per claim with its provenance (claims.rq), and the
actor x kind matrix of latest stances (the saved question `commitment-matrix`)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Sequence

CLAIMS_QUERY = Path(__file__).with_name("claims.rq")


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Cell:
    """The latest stance of one actor on one kind, with the claim that set it."""

    relation: str
    date: str
    quote: str
    outlet: str
    support: str


@dataclass(frozen=True)
class Matrix:
    actors: tuple[str, ...]             # rows, by label
    kinds: tuple[str, ...]              # columns: every kind of the ontology, by label
    cells: dict                         # (actor, kind) -> Cell

    def cell(self, actor: str, kind: str) -> Cell | None:
        return self.cells.get((actor, kind))


def _text(value) -> str:
    return "" if value is None else str(value)


def claim_table(store) -> Table:
    """Every claim in the store, one row each, in publication order."""
    columns, rows = store.select(CLAIMS_QUERY.read_text(encoding="utf-8"))
    return Table(tuple(columns), tuple(tuple(_text(v) for v in r) for r in rows))


def saved_rows(store, name: str, values: dict | None = None) -> list[dict[str, str]]:
    """A saved question's answer as dicts (column -> text), in the query's order."""
    from stancegraph.queries.catalogue import answer, get_query

    columns, rows = answer(store, get_query(name), values or {})
    return [{c: _text(v) for c, v in zip(columns, r)} for r in rows]


def commitment_matrix(store, as_of: str | None = None) -> Matrix:
    """The answer of `commitment-matrix` laid out actor x kind (kinds in ontology order)."""
    from stancegraph.ontology.kinds import load_kinds

    cells = {}
    for r in saved_rows(store, "commitment-matrix", {"as_of": as_of} if as_of else {}):
        key = (r["actor"], r["kind"])
        cell = Cell(r["relation"], r.get("latest_date", ""), r.get("quote", ""),
                    r.get("outlet", ""), r.get("support_articles", r.get("support", "")))
        if key not in cells or (cell.date, cell.relation) > (cells[key].date, cells[key].relation):
            cells[key] = cell
    actors = tuple(sorted({a for a, _ in cells}, key=str.casefold))
    return Matrix(actors, tuple(k.label for k in load_kinds()), cells)


def write_csv(table: Table, out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)


def matrix_table(matrix: Matrix) -> Table:
    """The wide matrix: one row per actor, one column per kind, the latest relation in each."""
    rows = tuple((actor, *(_relation(matrix.cell(actor, k)) for k in matrix.kinds))
                 for actor in matrix.actors)
    return Table(("actor", *matrix.kinds), rows)


def _relation(cell: Cell | None) -> str:
    return cell.relation if cell else ""


def widths(table: Table, most: int = 60) -> Sequence[int]:
    """Column widths in characters for a spreadsheet (longest value, capped)."""
    out = []
    for i, name in enumerate(table.columns):
        longest = max([len(name)] + [len(r[i]) for r in table.rows])
        out.append(min(most, longest + 2))
    return out
