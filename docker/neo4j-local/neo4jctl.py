#!/usr/bin/env python3
"""Start and stop a local Neo4j 5.26 Community server assembled from Maven Central jars.

For tests and `make neo4j-up` where there is no Docker (DESIGN.md "Neo4j without Docker").
Standard library only. CLI: `up` (prints export lines), `status`, `down`, `cds`; see --help.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import jvmserver  # noqa: E402  (docker/jvmserver.py: what the local servers share)
from jvmserver import free_port, read_env_file  # noqa: E402

POM = HERE / "pom.xml"
LIB = HERE / "lib"
DEFAULT_HOME = HERE / "run"
USER = "neo4j"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
SUPPORTED_JAVA = (17, 21)  # Neo4j 5.26 runs on these two LTS releases only

# What the official 5.x neo4j.conf passes (minus profiling and AlwaysPreTouch, which slows start).
JVM_OPTIONS = (
    "-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions", "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC", "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true", "-Dlog4j2.disable.jmx=true",
    "-Djdk.tls.ephemeralDHKeySize=2048", "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
    "-Dfile.encoding=UTF-8",
)

_children: dict[int, subprocess.Popen] = {}  # servers this process started, to reap them


class Neo4jLocalError(jvmserver.LocalServerError):
    """The local server could not be assembled, started or stopped."""


@dataclasses.dataclass(frozen=True)
class Server:
    bolt_uri: str
    http_url: str
    user: str
    password: str = dataclasses.field(repr=False)
    pid: int
    home: Path
    log: Path


def ensure_lib(lib: Path = LIB, pom: Path = POM) -> Path:
    """Copy the server's jars into lib/ with Maven unless they match the pom already."""
    return jvmserver.ensure_lib(lib, pom, DEFAULT_HOME, "Neo4j", Neo4jLocalError)


def find_java() -> str:
    """A java of a release Neo4j 5.26 supports: $NEO4J_JAVA, $JAVA_HOME, PATH, /usr/lib/jvm/*."""
    return jvmserver.find_java("NEO4J_JAVA", lambda release: release in SUPPORTED_JAVA,
                               " or ".join(map(str, SUPPORTED_JAVA)), Neo4jLocalError)


def write_config(home: Path, bolt_port: int, http_port: int) -> Path:
    """neo4j.conf binding Bolt and HTTP to 127.0.0.1 only, sized for a small shared machine."""
    settings = {
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.listen_address": f"127.0.0.1:{bolt_port}",
        "server.bolt.advertised_address": f"127.0.0.1:{bolt_port}",
        "server.http.listen_address": f"127.0.0.1:{http_port}",
        "server.http.advertised_address": f"127.0.0.1:{http_port}",
        "server.https.enabled": "false",
        "server.memory.pagecache.size": "256m",
        "dbms.usage_report.enabled": "false",
        "dbms.security.auth_enabled": "true",
        # Netty waits 5 s of quiet per Bolt channel on shutdown by default: stop in 0.4 s, not 10.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
    }
    conf = home / "conf" / "neo4j.conf"
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text("# Written by neo4jctl.py on every start; edits are lost.\n"
                    + "".join(f"{k}={v}\n" for k, v in settings.items()))
    return conf


def is_initialised(home: Path) -> bool:
    """True once the server has created its system database (the initial password is then fixed)."""
    return (home / "data" / "databases" / "system").is_dir()


def seed_password(home: Path, password: str) -> None:
    """Write data/dbms/auth.ini as `neo4j-admin dbms set-initial-password` does.

    Format `neo4j:SHA-256,<hash>,<salt>,1024:`: hash = SHA-256 of salt+password, re-hashed to
    1024 rounds in all (Shiro's SimpleHash). Read once, when the system database is created.
    """
    salt = secrets.token_bytes(32)
    digest = hashlib.sha256(salt + password.encode()).digest()
    for _ in range(1023):
        digest = hashlib.sha256(digest).digest()
    auth = home / "data" / "dbms" / "auth.ini"
    auth.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(auth, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(f"{USER}:SHA-256,{digest.hex()},{salt.hex()},1024:\n")


def start(home: Path, bolt_port: int | None = None, http_port: int | None = None,
          password: str = "", timeout: float = 120, *, die_with_parent: bool = False,
          jvm_options: tuple[str, ...] = ()) -> Server:
    """Start a server in `home` and wait until Bolt and HTTP answer on 127.0.0.1.

    die_with_parent: the kernel sends the JVM SIGTERM when this process dies (tests use it so
    that nothing outlives a killed pytest).
    """
    home = Path(home).resolve()
    if running_pid(home) is not None:
        raise Neo4jLocalError(f"a server already runs in {home} (pid {running_pid(home)})")
    if len(password) < 8 and not is_initialised(home):
        raise ValueError("Neo4j requires a password of at least 8 characters")
    lib, java = ensure_lib(), find_java()
    bolt_port, http_port = bolt_port or free_port(), http_port or free_port()
    for sub in ("conf", "data", "logs", "run", "import", "plugins"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    if not is_initialised(home):
        seed_password(home, password)
    conf, log = write_config(home, bolt_port, http_port), home / "logs" / "console.log"
    cmd = [java, *JVM_OPTIONS, *_cds_options(lib, java), *jvm_options, "-cp", f"{lib}/*",
           ENTRY_POINT, f"--home-dir={home}", f"--config-dir={conf.parent}", "--console-mode"]
    proc = jvmserver.launch(cmd, home, log, home / "neo4j.pid", _children, die_with_parent)
    server = Server(f"bolt://127.0.0.1:{bolt_port}", f"http://127.0.0.1:{http_port}", USER,
                    password, proc.pid, home, log)
    try:
        jvmserver.wait_ready(proc, lambda: bolt_answers(bolt_port) and http_answers(http_port),
                             "Neo4j", log, timeout, Neo4jLocalError, poll=0.1)
    except BaseException:
        stop(home, grace=5)
        raise
    return server


def cds_paths(lib: Path) -> tuple[Path, Path]:
    """The class-data-sharing archive (`cds` command) and the file naming the java it is for."""
    return lib / "neo4j.jsa", lib / "neo4j.jsa.java"


def _cds_options(lib: Path, java: str) -> list[str]:
    archive, marker = cds_paths(lib)
    if archive.is_file() and marker.is_file() and marker.read_text() == os.path.realpath(java):
        return [f"-XX:SharedArchiveFile={archive}", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"]
    return []


def bolt_answers(port: int) -> bool:
    """True when the port speaks Bolt: the handshake agrees on a protocol version."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            # magic, then four proposals: 5.0-5.8, 4.2-4.4, 4.1, 3.0
            s.sendall(bytes.fromhex("6060b017" "00080805" "00020404" "00000104" "00000003"))
            reply = s.recv(4)
            return len(reply) == 4 and reply != b"\x00\x00\x00\x00"
    except OSError:
        return False


def http_answers(port: int) -> bool:
    """True when the HTTP connector serves Neo4j's discovery document."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
            return r.status == 200 and "neo4j_version" in json.load(r)
    except (OSError, ValueError):
        return False


def running_pid(home: Path) -> int | None:
    """The pid of this home's server if it is alive (and really is that server), else None."""
    home_arg = f"--home-dir={Path(home).resolve()}"
    return jvmserver.running_pid(Path(home) / "neo4j.pid", home_arg, _children)


def stop(home: Path, grace: float = 30) -> bool:
    """SIGTERM the server's process group, SIGKILL after `grace` s; True if one was running."""
    home = Path(home).resolve()
    pid = running_pid(home)
    if pid is None:
        (home / "neo4j.pid").unlink(missing_ok=True)
        return False
    jvmserver.stop_group(pid, lambda: running_pid(home) is not None, grace, _children)
    if running_pid(home) is not None:
        raise Neo4jLocalError(f"Neo4j (pid {pid}) did not exit")
    (home / "neo4j.pid").unlink(missing_ok=True)
    return True


def _choose_password(home: Path, stored: str | None) -> str:
    given = os.environ.get("NEO4J_PASSWORD")
    if is_initialised(home) and (given or stored) is None:
        raise Neo4jLocalError(f"{home / 'data'} exists but {home / 'env'} does not: set"
                              " NEO4J_PASSWORD to its password, or delete that folder")
    if is_initialised(home) and given and stored and given != stored:
        raise Neo4jLocalError(f"{home / 'data'} was set up with the password in {home / 'env'}:"
                              " unset NEO4J_PASSWORD, or `down` and delete that folder")
    return given or stored or secrets.token_urlsafe(18)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="neo4jctl.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    example = "example: eval \"$(python docker/neo4j-local/neo4jctl.py %s)\""
    up = sub.add_parser("up", help="start the server", epilog=example % "up --bolt-port 7687",
                        description="Start the server; password from $NEO4J_PASSWORD, HOME/env,"
                        " or a new random one. Prints export lines; HOME/env (mode 0600) keeps"
                        " them. Ports: those given, else last time's if free, else free ones.")
    up.add_argument("--bolt-port", type=int)
    up.add_argument("--http-port", type=int)
    up.add_argument("--timeout", type=float, default=120, help="seconds (default 120)")
    sub.add_parser("down", help="stop the server", epilog=example % "down")
    sub.add_parser("status", help="exit 0 when running, 3 when not", epilog=example % "status")
    sub.add_parser("cds", help="build a class-data-sharing archive once (~45 s): starts ~2 s"
                   " faster", epilog="example: python docker/neo4j-local/neo4jctl.py cds")
    for p in sub.choices.values():
        p.add_argument("--home", type=Path, default=DEFAULT_HOME, help=f"default: {DEFAULT_HOME}")
    args = parser.parse_args(argv)
    home = args.home.resolve()
    try:
        if args.command == "up":
            return _up(home, args)
        if args.command == "down":
            print("stopped" if stop(home) else "not running", file=sys.stderr)
            return 0
        if args.command == "cds":
            began = time.monotonic()
            from neo4j_cds import build_archive  # beside this file
            archive = build_archive(sys.modules[__name__])
            print(f"{archive} built in {time.monotonic() - began:.0f} s", file=sys.stderr)
            return 0
        pid, env = running_pid(home), read_env_file(home)
        print(f"running, pid {pid}: {env.get('NEO4J_URI')} {env.get('NEO4J_HTTP_URL')}/browser/"
              if pid else f"not running ({home})")
        return 0 if pid else 3
    except (Neo4jLocalError, ValueError) as e:
        print(f"neo4jctl: {e}", file=sys.stderr)
        return 2


def _up(home: Path, args: argparse.Namespace) -> int:
    previous = read_env_file(home)
    if (pid := running_pid(home)) is None:
        began = time.monotonic()
        server = start(home, jvmserver.port_to_reuse(args.bolt_port, previous.get("NEO4J_URI")),
                       jvmserver.port_to_reuse(args.http_port, previous.get("NEO4J_HTTP_URL")),
                       _choose_password(home, previous.get("NEO4J_PASSWORD")), args.timeout)
        jvmserver.write_env_file(home, {"NEO4J_URI": server.bolt_uri, "NEO4J_USER": server.user,
                                        "NEO4J_PASSWORD": server.password,
                                        "NEO4J_HTTP_URL": server.http_url})
        print(f"Neo4j up in {time.monotonic() - began:.1f} s, pid {server.pid}; Browser:"
              f" {server.http_url}/browser/ ; log: {server.log}", file=sys.stderr)
    else:
        print(f"already running, pid {pid}", file=sys.stderr)
    jvmserver.print_exports(home)  # the password stays in HOME/env, unprinted
    return 0


if __name__ == "__main__":
    sys.exit(main())
