#!/usr/bin/env python3
"""Start and stop a local Neo4j 5.26 Community server assembled from Maven Central jars.

For tests and `make neo4j-up` where there is no Docker (DESIGN.md "Neo4j without Docker").
Standard library only. CLI: `up` (prints export lines), `status`, `down`, `cds`; see --help.
"""

from __future__ import annotations

import argparse
import dataclasses
import fcntl
import hashlib
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import deque
from pathlib import Path

HERE = Path(__file__).resolve().parent
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


class Neo4jLocalError(RuntimeError):
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
    stamp = lib / ".pom.sha256"
    want = hashlib.sha256(pom.read_bytes()).hexdigest()
    DEFAULT_HOME.mkdir(parents=True, exist_ok=True)
    with open(DEFAULT_HOME / ".lib.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test sessions must not fill lib/ at once
        if stamp.is_file() and stamp.read_text().strip() == want and any(lib.glob("*.jar")):
            return lib
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jLocalError("Maven (mvn) is needed once to fetch the Neo4j jars; install it")
        fresh = DEFAULT_HOME / "lib.new"  # run/ is git-ignored
        shutil.rmtree(fresh, ignore_errors=True)
        cmd = [mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
               "-DincludeScope=runtime", f"-DoutputDirectory={fresh}"]
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if done.returncode != 0:
            raise Neo4jLocalError(f"{shlex.join(cmd)} failed:\n{done.stdout}{done.stderr}")
        (fresh / ".pom.sha256").write_text(want + "\n")
        shutil.rmtree(lib, ignore_errors=True)  # old versions must not stay on the classpath
        shutil.move(fresh, lib)
    return lib


def find_java() -> str:
    """A java of a release Neo4j 5.26 supports: $NEO4J_JAVA, $JAVA_HOME, PATH, /usr/lib/jvm/*."""
    home = os.environ.get("JAVA_HOME")
    candidates = [os.environ.get("NEO4J_JAVA"), home and os.path.join(home, "bin", "java"),
                  shutil.which("java"), *sorted(map(str, Path("/usr/lib/jvm").glob("*/bin/java")))]
    tried: list[str] = []
    for java in candidates:
        if java and java not in tried and os.access(java, os.X_OK):
            tried.append(java)
            out = subprocess.run([java, "-XshowSettings:properties", "-version"],
                                 capture_output=True, text=True).stderr
            if any(f"java.specification.version = {v}\n" in out for v in SUPPORTED_JAVA):
                return java
    raise Neo4jLocalError(f"no Java {' or '.join(map(str, SUPPORTED_JAVA))} found (tried"
                          f" {', '.join(tried) or 'nothing'}); set NEO4J_JAVA or JAVA_HOME")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=home, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True,
                                preexec_fn=_die_with_parent if die_with_parent else None)
    _children[proc.pid] = proc
    (home / "neo4j.pid").write_text(f"{proc.pid}\n")
    server = Server(f"bolt://127.0.0.1:{bolt_port}", f"http://127.0.0.1:{http_port}", USER,
                    password, proc.pid, home, log)
    try:
        _wait_ready(proc, bolt_port, http_port, log, timeout)
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


def _die_with_parent() -> None:
    import ctypes
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _wait_ready(proc: subprocess.Popen, bolt_port: int, http_port: int, log: Path,
                timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Neo4jLocalError(f"Neo4j exited with status {proc.returncode} while starting;"
                                  f" last lines of {log}:\n{tail(log)}")
        if bolt_answers(bolt_port) and http_answers(http_port):
            return
        time.sleep(0.1)
    raise Neo4jLocalError(f"Neo4j did not answer within {timeout:.0f} s; last lines of {log}:\n"
                          f"{tail(log)}")


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


def tail(path: Path, lines: int = 40) -> str:
    try:
        with open(path, errors="replace") as f:
            return "".join(deque(f, maxlen=lines))
    except FileNotFoundError:
        return "(no log)"


def running_pid(home: Path) -> int | None:
    """The pid of this home's server if it is alive (and really is that server), else None."""
    try:
        pid = int((Path(home) / "neo4j.pid").read_text())
    except (FileNotFoundError, ValueError):
        return None
    if pid in _children and _children[pid].poll() is not None:
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return None
    home_arg = f"--home-dir={Path(home).resolve()}".encode()
    if state in ("Z", "X") or home_arg not in cmdline:
        return None  # exited, or the pid was reused by another program
    return pid


def stop(home: Path, grace: float = 30) -> bool:
    """SIGTERM the server's process group, SIGKILL after `grace` s; True if one was running."""
    home = Path(home).resolve()
    pid = running_pid(home)
    if pid is None:
        (home / "neo4j.pid").unlink(missing_ok=True)
        return False
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10)):
        try:
            os.killpg(pid, sig)  # the JVM leads its own session: the group is the server
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while running_pid(home) is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        if running_pid(home) is None:
            break
    if pid in _children:
        _children.pop(pid).wait(timeout=5)
    if running_pid(home) is not None:
        raise Neo4jLocalError(f"Neo4j (pid {pid}) did not exit")
    (home / "neo4j.pid").unlink(missing_ok=True)
    return True


def read_env_file(home: Path) -> dict[str, str]:
    """The `export KEY=value` lines `up` wrote to HOME/env."""
    env, values = Path(home) / "env", {}
    for line in env.read_text().splitlines() if env.is_file() else ():
        key, _, value = line.removeprefix("export ").partition("=")
        values[key] = shlex.split(value)[0] if value else ""
    return values


def _choose_password(home: Path, stored: str | None) -> str:
    given = os.environ.get("NEO4J_PASSWORD")
    if is_initialised(home) and (given or stored) is None:
        raise Neo4jLocalError(f"{home / 'data'} exists but {home / 'env'} does not: set"
                              " NEO4J_PASSWORD to its password, or delete that folder")
    if is_initialised(home) and given and stored and given != stored:
        raise Neo4jLocalError(f"{home / 'data'} was set up with the password in {home / 'env'}:"
                              " unset NEO4J_PASSWORD, or `down` and delete that folder")
    return given or stored or secrets.token_urlsafe(18)


def _port(wanted: int | None, previous: str | None) -> int | None:
    """The port asked for, else the one used last time if it is free, else None (any free one)."""
    if wanted or not previous:
        return wanted
    port = int(previous.rsplit(":", 1)[1])
    with socket.socket() as s:
        return port if s.connect_ex(("127.0.0.1", port)) != 0 else None


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
        server = start(home, _port(args.bolt_port, previous.get("NEO4J_URI")),
                       _port(args.http_port, previous.get("NEO4J_HTTP_URL")),
                       _choose_password(home, previous.get("NEO4J_PASSWORD")), args.timeout)
        fd = os.open(home / "env", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w") as f:
            for key, value in (("NEO4J_URI", server.bolt_uri), ("NEO4J_USER", server.user),
                               ("NEO4J_PASSWORD", server.password),
                               ("NEO4J_HTTP_URL", server.http_url)):
                f.write(f"export {key}={shlex.quote(value)}\n")
        print(f"Neo4j up in {time.monotonic() - began:.1f} s, pid {server.pid}; Browser:"
              f" {server.http_url}/browser/ ; log: {server.log}", file=sys.stderr)
    else:
        print(f"already running, pid {pid}", file=sys.stderr)
    for key, value in read_env_file(home).items():  # the password stays in HOME/env, unprinted
        print(f'export {key}="$(. {shlex.quote(str(home / "env"))} && printf %s "${key}")"'
              if key == "NEO4J_PASSWORD" else f"export {key}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
