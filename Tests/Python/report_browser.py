"""Renders HTML pages in headless Chromium and reports what a reader would meet.

Usage: report_browser.py OUT_DIR PAGE.html [PAGE.html ...]

For each page, over the Chrome DevTools Protocol: loads it from a file: URL at 1280 px and at 390 px
wide, records every console message, uncaught exception, JavaScript dialog and network request that is
not the page itself, writes a full-page PNG at each width and an A4 PDF into OUT_DIR, and checks that
the PNGs are not blank. It also parses the page with html5lib in strict mode and lists every `src` or
`href` that names an external resource. Prints one JSON object per page; exits 0 (the caller judges).
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import html5lib
import websocket
from PIL import Image


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise SystemExit("chromium is not installed: run scripts/bootstrap.sh")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    def __init__(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="prompttrail-chromium-")
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                chromium(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={self.profile}",
                "--remote-debugging-address=127.0.0.1",
                f"--remote-debugging-port={self.port}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list", timeout=2) as response:
                    targets = json.load(response)
                page = next(t for t in targets if t.get("type") == "page")
                break
            except Exception:
                if time.time() > deadline:
                    self.close()
                    raise SystemExit("chromium did not start its DevTools endpoint")
                time.sleep(0.2)
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params):
        self.next_id += 1
        ident = self.next_id
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)
                if message["method"] == "Page.javascriptDialogOpening":
                    self.socket.send(
                        json.dumps({"id": 10_000 + len(self.events), "method": "Page.handleJavaScriptDialog",
                                    "params": {"accept": True}})
                    )

    def drain(self, seconds: float) -> None:
        self.socket.settimeout(seconds)
        try:
            while True:
                message = json.loads(self.socket.recv())
                if "method" in message:
                    self.events.append(message)
        except (websocket.WebSocketTimeoutException, TimeoutError):
            pass
        finally:
            self.socket.settimeout(60)

    def close(self) -> None:
        try:
            self.socket.close()
        except Exception:
            pass
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def is_blank(png: bytes) -> bool:
    image = Image.open(io.BytesIO(png)).convert("L")
    low, high = image.getextrema()
    return high - low < 16


def external_urls(document: str) -> list[str]:
    tree = html5lib.parse(document, namespaceHTMLElements=False)
    found = []
    for element in tree.iter():
        for attribute in ("src", "href", "xlink:href", "data", "action", "poster"):
            value = element.get(attribute)
            if value and not value.startswith("#"):
                found.append(f"{element.tag} {attribute}={value}")
    return found


def check(browser: Browser, page: Path, out: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    parser.parse(text)
    parse_errors = [f"{position}: {code}" for position, code, _ in parser.errors]
    url = page.resolve().as_uri()
    browser.events.clear()
    result: dict = {"page": str(page), "html5lib_errors": parse_errors, "external_urls": external_urls(text)}
    for width in (1280, 390):
        browser.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1, mobile=width < 500)
        browser.call("Page.navigate", url=url)
        browser.drain(1.5)
        metrics = browser.call("Page.getLayoutMetrics")
        height = int(metrics["cssContentSize"]["height"])
        shot = browser.call(
            "Page.captureScreenshot",
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": width, "height": min(height, 16_000), "scale": 1},
        )
        png = base64.b64decode(shot["data"])
        name = out / f"{page.stem}-{width}.png"
        name.write_bytes(png)
        result[f"png_{width}"] = str(name)
        result[f"blank_{width}"] = is_blank(png)
        result[f"height_{width}"] = height
        result[f"overflow_{width}"] = browser.call(
            "Runtime.evaluate", expression="document.documentElement.scrollWidth > window.innerWidth + 1"
        )["result"].get("value")
    pdf = browser.call("Page.printToPDF", paperWidth=8.27, paperHeight=11.69, printBackground=True)
    pdf_path = out / f"{page.stem}.pdf"
    pdf_path.write_bytes(base64.b64decode(pdf["data"]))
    result["pdf"] = str(pdf_path)
    result["pdf_bytes"] = pdf_path.stat().st_size
    console, requests, dialogs = [], [], []
    for event in browser.events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.consoleAPICalled":
            console.append(f"{params.get('type')}: {params.get('args')}")
        elif method == "Runtime.exceptionThrown":
            console.append(f"exception: {params.get('exceptionDetails', {}).get('text')}")
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if entry.get("level") in ("error", "warning"):
                console.append(f"log {entry.get('level')}: {entry.get('text')} {entry.get('url', '')}")
        elif method == "Network.requestWillBeSent":
            requested = params.get("request", {}).get("url", "")
            if requested != url:
                requests.append(requested)
        elif method == "Page.javascriptDialogOpening":
            dialogs.append(params.get("message"))
    result["console"] = console
    result["requests"] = requests
    result["dialogs"] = dialogs
    return result


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    browser = Browser()
    try:
        for method in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable"):
            browser.call(method)
        for page in sys.argv[2:]:
            print(json.dumps(check(browser, Path(page), out)))
    finally:
        browser.close()


if __name__ == "__main__":
    main()
