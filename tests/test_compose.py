"""docker/compose.yaml, checked without Docker: services, loopback-only ports, volumes,
health checks, and no password written into the file."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

DOCKER = Path(__file__).resolve().parents[1] / "docker"


def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text())


def test_services_ports_and_volumes():
    c = compose()
    assert set(c["services"]) == {"neo4j", "sparql", "stancegraph"}
    assert c["services"]["neo4j"]["image"] == "neo4j:5.26-community"
    for service in c["services"].values():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), port
    assert c["services"]["neo4j"]["ports"] == ["127.0.0.1:7474:7474", "127.0.0.1:7687:7687"]
    assert c["services"]["sparql"]["ports"] == ["127.0.0.1:7878:7878"]
    assert "store:/data" in c["services"]["sparql"]["volumes"]
    assert "store:/data" in c["services"]["stancegraph"]["volumes"]
    assert set(c["volumes"]) == {"neo4j-data", "store"}


def test_health_checks_and_dependencies():
    c = compose()["services"]
    assert c["neo4j"]["healthcheck"]["test"] and c["sparql"]["healthcheck"]["test"]
    assert c["stancegraph"]["depends_on"]["neo4j"]["condition"] == "service_healthy"


def test_no_password_is_hard_coded():
    text = (DOCKER / "compose.yaml").read_text()
    c = compose()["services"]
    assert c["neo4j"]["environment"]["NEO4J_AUTH"] == "neo4j/${NEO4J_PASSWORD:?set NEO4J_PASSWORD}"
    assert c["stancegraph"]["environment"]["NEO4J_PASSWORD"].startswith("${NEO4J_PASSWORD")
    assert not re.search(r"PASSWORD\s*[:=]\s*['\"]?(?!\$\{)\w", text)


def test_the_image_builds_from_files_that_exist():
    dockerfile = (DOCKER / "Dockerfile").read_text()
    for src in re.findall(r"^COPY (\S+)", dockerfile, re.M):
        assert (DOCKER.parent / src).exists(), src
