"""`make report-shot`: the report of the bundled examples and the dev corpus, rendered by headless
Chromium (Debian's package) and saved as docs/report.png.

Chromium runs with a fresh profile and no background networking, sync or component updates;
it is driven over the DevTools protocol only to measure the page and capture all of it."""
from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars")


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot(html: Path, png: Path, width: int = 1360, hover: str | None = None) -> None:
    """A PNG of the whole page `html` (a local file), `width` CSS pixels wide; `hover`: a CSS
    selector of an element to move the mouse over first."""
    import websocket

    browser = chromium()
    if browser is None:
        raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="stancegraph-chromium-") as profile, socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        proc = subprocess.Popen([browser, *FLAGS, f"--user-data-dir={profile}",
                                 f"--remote-debugging-port={port}", "--remote-allow-origins=*",
                                 f"--window-size={width},900", "about:blank"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            ws = websocket.create_connection(_page_socket(port), timeout=30)
            calls = iter(range(1, 1000))

            def call(method: str, **params):
                n = next(calls)
                ws.send(json.dumps({"id": n, "method": method, "params": params}))
                while True:
                    msg = json.loads(ws.recv())
                    if msg.get("id") == n:
                        if "error" in msg:
                            raise RuntimeError(f"{method}: {msg['error']}")
                        return msg.get("result", {})

            call("Page.enable")
            call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1, mobile=False)
            call("Page.navigate", url=html.resolve().as_uri())
            _wait(call, "document.readyState === 'complete'")
            height = call("Runtime.evaluate", expression="document.documentElement.scrollHeight",
                          returnByValue=True)["result"]["value"]
            call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
            if hover:           # move the mouse over one element: its tooltip shows
                box = call("Runtime.evaluate", returnByValue=True, expression=(
                    f"(() => {{ const r = document.querySelector({json.dumps(hover)}).getBoundingClientRect();"
                    " return [r.left + r.width / 2, r.top + r.height / 2]; })()"))["result"]["value"]
                call("Input.dispatchMouseEvent", type="mouseMoved", x=box[0], y=box[1])
            time.sleep(0.5)
            data = call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
            png.write_bytes(base64.b64decode(data))
            ws.close()
        finally:
            proc.terminate()
            proc.wait(10)


def _page_socket(port: int) -> str:
    deadline = time.monotonic() + 30
    while True:
        try:
            tabs = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2))
            return next(t for t in tabs if t.get("type") == "page")["webSocketDebuggerUrl"]
        except (OSError, StopIteration, ValueError):
            if time.monotonic() > deadline:
                raise TimeoutError("chromium's DevTools endpoint did not answer in 30 s") from None
            time.sleep(0.2)


def _wait(call, expression: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:g} s for: {expression}")
        time.sleep(0.2)


def main(out: Path = ROOT / "docs" / "report.png") -> int:
    from stancegraph.loaders.pipeline import load_articles
    from stancegraph.loaders.read import read_path
    from stancegraph.loaders.store import open_store

    from .report_data import gather
    from .report_html import render

    if chromium() is None:
        print("error: chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="stancegraph-report-") as work:
        store = open_store(Path(work) / "store")
        sources = [ROOT / "examples", ROOT.parent / "shared" / "corpus" / "dev"]
        load_articles([a for s in sources if s.exists() for a in read_path(s)], store)
        html = Path(work) / "report.html"
        html.write_text(render(gather(store)), encoding="utf-8")
        screenshot(html, out, hover="tbody tr:nth-child(10) td.cell.refuses")
    print(f"saved {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
