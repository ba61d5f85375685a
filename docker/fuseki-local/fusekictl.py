#!/usr/bin/env python3
"""Start and stop a local Apache Jena Fuseki 5.6 assembled from Maven Central jars.

For tests and `make fuseki-up` where there is no Docker (docs/remote-store.md): one
dataset `/ds` (TDB2 on disk, or in memory) whose default graph is the union of the named graphs,
with SPARQL query, update and Graph Store endpoints, bound to 127.0.0.1 and behind HTTP basic
authentication. Standard library only. CLI: `up` (prints export lines), `status`, `down`.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import jvmserver  # noqa: E402  (docker/jvmserver.py: what the local servers share)
from jvmserver import free_port, read_env_file  # noqa: E402

POM = HERE / "pom.xml"
LIB = HERE / "lib"
DEFAULT_HOME = HERE / "run"
MAIN_CLASS = "org.apache.jena.fuseki.main.cmds.FusekiMainCmd"
DATASET = "ds"
USER = "stancegraph"
MIN_JAVA = 17  # Jena 5 needs 17; 5.6.0 is the newest Jena that still runs on it
JVM_OPTIONS = ("-Xmx1g", "-Dfile.encoding=UTF-8", "-Dlog4j2.disable.jmx=true",
               "-Xlog:cds=off", "-Xlog:cds+dynamic=off")
# Client-compiler only: starts ~40 % faster, fine for the small loads of a test session.
QUICK_JIT = ("-XX:TieredStopAtLevel=1",)

_children: dict[int, subprocess.Popen] = {}  # servers this process started, to reap them


class FusekiLocalError(jvmserver.LocalServerError):
    """The local server could not be assembled, started or stopped."""


@dataclasses.dataclass(frozen=True)
class Server:
    url: str  # the dataset: {url}/query, {url}/update, {url}/data
    user: str
    password: str = dataclasses.field(repr=False)
    pid: int
    home: Path
    log: Path


def ensure_lib(lib: Path = LIB, pom: Path = POM) -> Path:
    """Copy the server's jars into lib/ with Maven unless they match the pom already."""
    return jvmserver.ensure_lib(lib, pom, DEFAULT_HOME, "Fuseki", FusekiLocalError)


def find_java() -> str:
    """A java of release 17 or later: $FUSEKI_JAVA, $JAVA_HOME, PATH, /usr/lib/jvm/*."""
    return jvmserver.find_java("FUSEKI_JAVA", lambda release: release >= MIN_JAVA,
                               f"{MIN_JAVA} or later", FusekiLocalError)


PLAIN_DATASET = """
# For tests: a dataset whose default graph is NOT the union, which stancegraph must refuse.
<#plain> rdf:type fuseki:Service ;
    fuseki:name "plain" ;
    fuseki:endpoint [ fuseki:operation fuseki:query ;  fuseki:name "query" ] ;
    fuseki:endpoint [ fuseki:operation fuseki:update ; fuseki:name "update" ] ;
    fuseki:dataset [ rdf:type tdb2:DatasetTDB2 ; tdb2:location "--mem--" ] .
"""


def write_config(home: Path, in_memory: bool, plain: bool = False) -> Path:
    """The Fuseki configuration: dataset /ds (TDB2, union default graph) and its endpoints
    (plus /plain, a default graph of its own, with `plain`)."""
    location = "--mem--" if in_memory else str(home / "databases" / DATASET)
    config = home / "config.ttl"
    config.write_text(f"""# Written by fusekictl.py on every start; edits are lost.
PREFIX fuseki: <http://jena.apache.org/fuseki#>
PREFIX rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX tdb2:   <http://jena.apache.org/2016/tdb#>

<#service> rdf:type fuseki:Service ;
    fuseki:name "{DATASET}" ;
    fuseki:endpoint [ fuseki:operation fuseki:query ;  fuseki:name "query" ] ;
    fuseki:endpoint [ fuseki:operation fuseki:update ; fuseki:name "update" ] ;
    fuseki:endpoint [ fuseki:operation fuseki:gsp-rw ; fuseki:name "data" ] ;
    fuseki:dataset <#dataset> .

# Saved queries read the default graph as the union of all named graphs, as in the embedded store.
<#dataset> rdf:type tdb2:DatasetTDB2 ;
    tdb2:location "{location}" ;
    tdb2:unionDefaultGraph true .
""" + (PLAIN_DATASET if plain else ""))
    return config


def write_passwords(home: Path, password: str) -> Path:
    """The Jetty realm file Fuseki's --passwd reads: `user: password`, readable by us only."""
    path = home / "passwd"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(f"{USER}: {password}\n")
    return path


def start(home: Path, port: int | None = None, password: str = "", *, in_memory: bool = False,
          timeout: float = 60, die_with_parent: bool = False, quick_jit: bool = False,
          plain: bool = False) -> Server:
    """Start a server in `home` and wait until it answers on 127.0.0.1.

    die_with_parent: the kernel sends the JVM SIGTERM when this process dies (tests use it so
    that nothing outlives a killed pytest). quick_jit: faster start, slower long runs.
    """
    home = Path(home).resolve()
    if running_pid(home) is not None:
        raise FusekiLocalError(f"a server already runs in {home} (pid {running_pid(home)})")
    if not password:
        raise ValueError("the local Fuseki needs a password (it never listens unauthenticated)")
    lib, java = ensure_lib(), find_java()
    port = port or free_port()
    (home / "databases").mkdir(parents=True, exist_ok=True)
    config, passwd = write_config(home, in_memory, plain), write_passwords(home, password)
    log = home / "fuseki.log"
    cmd = [java, *JVM_OPTIONS, *(QUICK_JIT if quick_jit else ()), *_cds_options(lib, java, home),
           "-cp", f"{lib}/*", MAIN_CLASS, "--localhost", f"--port={port}", f"--config={config}",
           f"--passwd={passwd}", "--auth=basic", "--ping"]
    proc = jvmserver.launch(cmd, home, log, home / "fuseki.pid", _children, die_with_parent)
    server = Server(f"http://127.0.0.1:{port}/{DATASET}", USER, password, proc.pid, home, log)
    try:
        jvmserver.wait_ready(proc, lambda: http_answers(port), "Fuseki", log, timeout,
                             FusekiLocalError)
    except BaseException:
        stop(home, grace=5)
        raise
    return server


def _cds_options(lib: Path, java: str, home: Path) -> list[str]:
    """Class-data sharing: use lib/'s archive for this java, else record one when this run ends.

    The JVM writes the archive as it exits; `stop` moves it into place, so a server killed
    half-way never leaves a broken archive behind (it just records nothing)."""
    archive, marker = lib / "fuseki.jsa", lib / "fuseki.jsa.java"
    if archive.is_file() and marker.is_file() and marker.read_text() == os.path.realpath(java):
        return [f"-XX:SharedArchiveFile={archive}"]
    pending = home / "fuseki.jsa.pending"
    pending.unlink(missing_ok=True)
    return [f"-XX:ArchiveClassesAtExit={pending}"]


def _adopt_cds_archive(home: Path, java_cmdline: list[bytes]) -> None:
    pending = home / "fuseki.jsa.pending"
    if not pending.is_file() or not java_cmdline:
        return
    lib = LIB
    (lib / "fuseki.jsa.java").write_text(os.path.realpath(java_cmdline[0].decode()))
    os.replace(pending, lib / "fuseki.jsa")  # atomic: readers see the old file or the new one


def http_answers(port: int) -> bool:
    """True when Fuseki's ping answers (401 counts: the server is up, asking for credentials)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/$/ping", timeout=2) as r:
            return r.status == 200
    except urllib.error.HTTPError as e:
        return e.code == 401
    except OSError:
        return False


def running_pid(home: Path) -> int | None:
    """The pid of this home's server if it is alive (and really is that server), else None."""
    config_arg = f"--config={Path(home).resolve() / 'config.ttl'}"
    return jvmserver.running_pid(Path(home) / "fuseki.pid", config_arg, _children)


def stop(home: Path, grace: float = 20) -> bool:
    """SIGTERM the server's process group, SIGKILL after `grace` s; True if one was running."""
    home = Path(home).resolve()
    pid = running_pid(home)
    if pid is None:
        (home / "fuseki.pid").unlink(missing_ok=True)
        return False
    java_cmdline = jvmserver.cmdline(pid)
    killed = jvmserver.stop_group(pid, lambda: running_pid(home) is not None, grace, _children)
    if running_pid(home) is not None:
        raise FusekiLocalError(f"Fuseki (pid {pid}) did not exit")
    if killed:
        (home / "fuseki.jsa.pending").unlink(missing_ok=True)
    else:
        _adopt_cds_archive(home, java_cmdline)
    (home / "fuseki.pid").unlink(missing_ok=True)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fusekictl.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    example = "example: eval \"$(python docker/fuseki-local/fusekictl.py %s)\""
    up = sub.add_parser("up", help="start the server", epilog=example % "up --port 3030",
                        description="Start the server (dataset kept in HOME/databases); password"
                        " from $STANCEGRAPH_STORE_PASSWORD, HOME/env, or a new random one. Prints"
                        " export lines; HOME/env (mode 0600) keeps them. Port: the one given,"
                        " else last time's if free, else a free one.")
    up.add_argument("--port", type=int)
    up.add_argument("--memory", action="store_true", help="an in-memory dataset (lost at `down`)")
    up.add_argument("--timeout", type=float, default=60, help="seconds (default 60)")
    sub.add_parser("down", help="stop the server", epilog=example % "down")
    sub.add_parser("status", help="exit 0 when running, 3 when not", epilog=example % "status")
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
        pid, env = running_pid(home), read_env_file(home)
        print(f"running, pid {pid}: {env.get('FUSEKI_URL')}" if pid else f"not running ({home})")
        return 0 if pid else 3
    except (FusekiLocalError, ValueError) as e:
        print(f"fusekictl: {e}", file=sys.stderr)
        return 2


def _up(home: Path, args: argparse.Namespace) -> int:
    previous = read_env_file(home)
    if (pid := running_pid(home)) is None:
        began = time.monotonic()
        password = (os.environ.get("STANCEGRAPH_STORE_PASSWORD")
                    or previous.get("STANCEGRAPH_STORE_PASSWORD") or secrets.token_urlsafe(18))
        server = start(home, jvmserver.port_to_reuse(args.port, previous.get("FUSEKI_URL")), password,
                       in_memory=args.memory, timeout=args.timeout)
        jvmserver.write_env_file(home, {"FUSEKI_URL": server.url,
                                        "STANCEGRAPH_STORE_USER": server.user,
                                        "STANCEGRAPH_STORE_PASSWORD": server.password})
        print(f"Fuseki up in {time.monotonic() - began:.1f} s, pid {server.pid}: {server.url}"
              f" ; log: {server.log}", file=sys.stderr)
    else:
        print(f"already running, pid {pid}", file=sys.stderr)
    jvmserver.print_exports(home)  # the password stays in HOME/env, unprinted
    return 0


if __name__ == "__main__":
    sys.exit(main())
