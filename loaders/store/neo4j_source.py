"""Which store fed this Neo4j: a sync makes Neo4j a copy of one store (articles missing from the
store are removed from Neo4j), so syncing a second store would silently drop the first one's
articles. Neo4j keeps the feeding store's id (sg:storeId) on one `:StancegraphStore` node; a
sync from another store is refused unless forced."""
from __future__ import annotations

from dataclasses import dataclass

from stancegraph.loaders.errors import InputError

from .neo4j import SyncReport, project_to_neo4j

SOURCE_LABEL = "StancegraphStore"


@dataclass(frozen=True)
class Feeder:
    """The store Neo4j last recorded as its source."""

    store_id: str
    location: str


def recorded_feeder(driver, database: str = "neo4j") -> Feeder | None:
    records, _, _ = driver.execute_query(
        f"MATCH (s:{SOURCE_LABEL}) RETURN s.store_id AS id, s.location AS location "
        "ORDER BY s.store_id LIMIT 1", database_=database)
    return Feeder(records[0]["id"], records[0]["location"] or "?") if records else None


def check_feeder(store, driver, database: str = "neo4j", force: bool = False) -> None:
    """Raises InputError when Neo4j was fed by another store (or holds articles of a store it
    did not record), unless `force`."""
    if force:
        return
    ours = store.ensure_store_id()
    feeder = recorded_feeder(driver, database)
    if feeder is not None and feeder.store_id != ours:
        raise InputError("neo4j", f"this Neo4j holds the graph of another store ({feeder.location}, "
                                  f"id {feeder.store_id}); syncing {store.location} would remove "
                                  "that store's articles from it. Use `neo4j sync --force` to "
                                  "replace it, or another NEO4J_URI / NEO4J_DATABASE")
    if feeder is None:
        records, _, _ = driver.execute_query("MATCH (a:Article) RETURN count(a) AS n",
                                             database_=database)
        if records[0]["n"]:
            raise InputError("neo4j", f"this Neo4j holds {records[0]['n']} articles of a store it "
                                      "did not record; syncing would remove those not in "
                                      f"{store.location}. Use `neo4j sync --force` to replace them")


def record_feeder(store, driver, database: str = "neo4j") -> None:
    driver.execute_query(f"MATCH (s:{SOURCE_LABEL}) DELETE s", database_=database)
    driver.execute_query(f"CREATE (:{SOURCE_LABEL} {{store_id: $id, location: $location}})",
                         id=store.ensure_store_id(), location=store.location, database_=database)


def sync_store(store, driver, database: str = "neo4j", force: bool = False) -> SyncReport:
    """`project_to_neo4j`, refused when Neo4j was fed by another store unless `force`; Neo4j
    then records this store as its source."""
    check_feeder(store, driver, database, force)
    record_feeder(store, driver, database)       # before: a half-done sync is ours already
    return project_to_neo4j(store, driver, database)
