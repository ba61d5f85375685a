"""The Neo4j the tests get is real, Community 5.26-capable, and private to this machine."""

from __future__ import annotations

import socket
import urllib.request

import pytest
from neo4j import Driver
from neo4j.exceptions import ConstraintError

from neo4j_support import Neo4jEndpoint


def test_server_answers_cypher_over_bolt(neo4j_driver: Driver) -> None:
    records, _, _ = neo4j_driver.execute_query("RETURN 1 AS one", database_="neo4j")
    assert [r.data() for r in records] == [{"one": 1}]


def test_browser_is_served_at_slash_browser(neo4j_server: Neo4jEndpoint) -> None:
    if neo4j_server.http_url is None:
        pytest.skip("this server's HTTP address is unknown (set NEO4J_HTTP_URL)")
    with urllib.request.urlopen(f"{neo4j_server.http_url}/browser/", timeout=10) as response:
        status, page = response.status, response.read().decode()
    assert (status, "<title>Neo4j Browser</title>" in page) == (200, True)


def test_node_written_is_read_back(clean_neo4j: Driver) -> None:
    clean_neo4j.execute_query(
        "CREATE (:Actor {id: $id, name: $name, aliases: $aliases})",
        id="Q31", name="Belgium", aliases=["Kingdom of Belgium"], database_="neo4j")
    records, _, _ = clean_neo4j.execute_query(
        "MATCH (a:Actor {id: 'Q31'}) RETURN properties(a) AS actor", database_="neo4j")
    assert [r["actor"] for r in records] == [
        {"id": "Q31", "name": "Belgium", "aliases": ["Kingdom of Belgium"]}]


def test_unique_constraint_rejects_a_duplicate_in_community_edition(clean_neo4j: Driver) -> None:
    clean_neo4j.execute_query(
        "CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (n:Actor) REQUIRE n.id IS UNIQUE")
    clean_neo4j.execute_query("CREATE (:Actor {id: 'Q142'})")
    with pytest.raises(ConstraintError):
        clean_neo4j.execute_query("CREATE (:Actor {id: 'Q142'})")
    records, _, _ = clean_neo4j.execute_query("MATCH (a:Actor) RETURN a.id AS id")
    assert [r["id"] for r in records] == ["Q142"]


def _non_loopback_address() -> str | None:
    """This machine's address on its default route (no packet is sent), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
        except OSError:
            return None
        address = s.getsockname()[0]
    return None if address.startswith("127.") else address


def test_local_server_listens_on_loopback_only(neo4j_server: Neo4jEndpoint) -> None:
    if neo4j_server.how != "local":
        pytest.skip(f"binding is the {neo4j_server.how} server's business")
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address to try")
    ports = [int(neo4j_server.uri.rsplit(":", 1)[1]), int(neo4j_server.http_url.rsplit(":", 1)[1])]
    refused = []
    for port in ports:
        with socket.socket() as s:
            s.settimeout(2)
            refused.append(s.connect_ex((address, port)) != 0)
    assert refused == [True, True]
