"""Build a class-data-sharing archive for the local Neo4j: later starts take ~4 s instead of ~6.

Used by `neo4jctl.py cds`. Java 17's static AppCDS: run a server once while listing the
classes it loads, then let `java -Xshare:dump` pre-parse them into lib/neo4j.jsa, which
neo4jctl.start maps when the marker beside it names the same java. lib/ is replaced when the
pom changes, and the archive with it. A stale archive is ignored by the JVM, never fatal.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import tempfile
import urllib.request
from pathlib import Path
from types import ModuleType


def build_archive(ctl: ModuleType, timeout: float = 300) -> Path:
    """Record the classes a server loads while it starts and answers; archive them (~45 s)."""
    lib, java = ctl.ensure_lib(), ctl.find_java()
    archive, marker = ctl.cds_paths(lib)
    archive.unlink(missing_ok=True)
    marker.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="neo4j-cds-") as tmp:
        home, classes = Path(tmp) / "home", Path(tmp) / "classes.lst"
        server = ctl.start(home, password=secrets.token_urlsafe(12), timeout=timeout,
                           die_with_parent=True,
                           jvm_options=(f"-XX:DumpLoadedClassList={classes}",))
        try:
            _exercise(server)
        finally:
            ctl.stop(home)
        # JDK 17 cannot read back some lambda lines it writes ("class list format error").
        kept = [ln for ln in classes.read_text().splitlines() if not ln.startswith("@")]
        classes.write_text("\n".join(kept) + "\n")
        cmd = [java, "-Xshare:dump", f"-XX:SharedClassListFile={classes}",
               f"-XX:SharedArchiveFile={archive}.tmp", "-Xlog:cds=error", "-cp", f"{lib}/*"]
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if done.returncode != 0:
            raise ctl.Neo4jLocalError(
                f"CDS dump failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    os.replace(f"{archive}.tmp", archive)
    marker.write_text(os.path.realpath(java))
    return archive


def _exercise(server) -> None:
    """Run a few Cypher statements over HTTP so that the planner and runtime classes load too."""
    auth = base64.b64encode(f"{server.user}:{server.password}".encode()).decode()
    headers = {"Authorization": f"Basic {auth}", "Content-Type": "application/json"}
    for statement in ("CREATE CONSTRAINT c IF NOT EXISTS FOR (n:L) REQUIRE n.id IS UNIQUE",
                      "UNWIND range(1, 99) AS i MERGE (a:L {id: i}) MERGE (a)-[:N]->(:L {id: -i})",
                      "MATCH p = (:L)-[:N*1..3]->() RETURN count(p)",
                      "MATCH (n) DETACH DELETE n", "DROP CONSTRAINT c"):
        body = json.dumps({"statements": [{"statement": statement}]}).encode()
        request = urllib.request.Request(f"{server.http_url}/db/neo4j/tx/commit", body, headers)
        with urllib.request.urlopen(request, timeout=60) as response:
            if errors := json.load(response)["errors"]:
                raise RuntimeError(f"{statement}: {errors}")
    urllib.request.urlopen(f"{server.http_url}/browser/", timeout=10).read()
