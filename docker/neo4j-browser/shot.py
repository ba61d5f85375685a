"""`make browser-shot`: a real Neo4j (local, from Maven Central), the demo data synced into it,
Neo4j Browser opened in headless Chromium (Debian's package, driven over the DevTools protocol),
logged in, styled, the refused/committed-troops graph query run, and a PNG saved in docs/."""
from __future__ import annotations

import base64
import json
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docker" / "neo4j-local"))
import neo4jctl  # noqa: E402

QUERY = ("MATCH (a:Actor)-[r:REFUSES|COMMITS|UNDECIDED]->(k:CommitmentKind {name: 'Reassurance force'}) "
         "WHERE a:Country OR a:Group OR a:Coalition RETURN a, r, k")


class DevTools:
    """The few DevTools protocol calls this needs."""

    def __init__(self, port: int):
        deadline = time.monotonic() + 20
        while True:
            try:
                tabs = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
                page = next(t for t in tabs if t.get("type") == "page")
                break
            except (OSError, StopIteration):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        self.n = 0

    def call(self, method: str, **params):
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.n:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def js(self, expression: str):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return r.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not self.js(expression):
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout:g} s for: {expression}")
            time.sleep(0.3)

    def type_and_run(self, text: str) -> None:
        self.js("document.querySelector('.monaco-editor textarea, [data-testid=\"activeEditor\"] textarea')?.focus()")
        self.call("Input.insertText", text=text)
        time.sleep(0.3)
        for kind in ("rawKeyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter",
                      windowsVirtualKeyCode=13, modifiers=2)      # Ctrl+Enter runs the editor


SET_VALUE = """(() => {
  const set = (sel, value) => { const el = document.querySelector(sel); if (!el) return false;
    const proto = Object.getPrototypeOf(el);
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
    el.dispatchEvent(new Event('input', {bubbles: true})); return true; };
  return set('[data-testid="boltaddress"]', %s) && set('[data-testid="username"]', 'neo4j')
      && set('[data-testid="password"]', %s);
})()"""


def main(out: Path = ROOT / "docs" / "neo4j-browser.png") -> int:
    from neo4j import GraphDatabase

    from stancegraph.loaders.pipeline import load_articles
    from stancegraph.loaders.read import read_path
    from stancegraph.loaders.store import open_store
    from stancegraph.loaders.store.neo4j import project_to_neo4j

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("error: chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="stancegraph-shot-"))
    password = secrets.token_urlsafe(12)
    server = neo4jctl.start(work / "neo4j", password=password, die_with_parent=True)
    chrome = None
    try:
        store = open_store(work / "store")
        sources = [ROOT / "examples", ROOT.parent / "shared" / "corpus" / "dev"]
        load_articles([a for s in sources if s.exists() for a in read_path(s)], store)
        with GraphDatabase.driver(server.bolt_uri, auth=("neo4j", password)) as driver:
            print(project_to_neo4j(store, driver))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        chrome = subprocess.Popen([chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                                   "--hide-scrollbars", f"--remote-debugging-port={port}",
                                   "--remote-allow-origins=*", f"--user-data-dir={work / 'chrome'}",
                                   "--window-size=1600,1000", "about:blank"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dt = DevTools(port)
        dt.call("Page.enable")
        dt.call("Emulation.setDeviceMetricsOverride", width=1600, height=1000, deviceScaleFactor=1, mobile=False)
        dt.call("Page.navigate", url=f"{server.http_url}/browser/")
        dt.wait_for("!!document.querySelector('[data-testid=\"password\"]')", 60)
        bolt = json.dumps(server.bolt_uri)
        assert dt.js(SET_VALUE % (bolt, json.dumps(password))), "login form not found"
        dt.js("document.querySelector('[data-testid=\"connect\"]').click()")
        dt.wait_for("!document.querySelector('[data-testid=\"password\"]')", 60)
        time.sleep(2)
        grass = (ROOT / "docker" / "neo4j-browser" / "style.grass").read_text()
        dt.type_and_run(":style " + " ".join(grass.split()))
        time.sleep(2)
        dt.type_and_run(QUERY)
        time.sleep(8)
        png = dt.call("Page.captureScreenshot", format="png")["data"]
        out.parent.mkdir(exist_ok=True)
        out.write_bytes(base64.b64decode(png))
        print(f"saved {out.relative_to(ROOT)}")
        return 0
    finally:
        if chrome:
            chrome.terminate()
            chrome.wait(10)
        neo4jctl.stop(server.home)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
