"""Serve the built site on 127.0.0.1 and drive Debian's Chromium.

Playwright talks to /usr/bin/chromium (never `playwright install`), or to
the browser the CHROMIUM environment variable names. Every
host name resolves to nothing except 127.0.0.1, so a CDN request cannot
succeed by accident; it is also recorded and fails the test.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

from tests.harness import ROOT, mkdocs_config

CHROMIUM = (
    os.environ.get("CHROMIUM")
    or shutil.which("chromium")
    or "/usr/bin/chromium"
)
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

# Material draws mermaid into a closed shadow root; open it so tests can
# look inside.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  return attach.call(this, Object.assign({}, init, { mode: "open" }));
};
"""


def nav_pages() -> list[tuple[str, str]]:
    """(title, source path without suffix) for every page in nav, in
    reading order: ("GPT-2 (2019)", "gpt-2")."""
    out = []

    def walk(items):
        for item in items:
            title, value = next(iter(item.items()))
            if isinstance(value, list):
                walk(value)
            else:
                out.append((title, value.rsplit(".", 1)[0]))

    walk(mkdocs_config()["nav"])
    return out


def page_url(site: Path, stem: str) -> str:
    """Where the build put a page: the offline plugin turns directory
    URLs off (gpt-2.html), a plain build keeps them (gpt-2/)."""
    if (site / f"{stem}.html").is_file():
        return f"{stem}.html"
    return "" if stem == "index" else f"{stem}/"


# What a strict host would send: nothing from other hosts; inline script
# and style only because Material writes some into every page, and data:
# images and fonts for its icons.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:"
)


class _QuietHandler(SimpleHTTPRequestHandler):
    extra_headers: dict[str, str] = {}

    def end_headers(self):
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args):
        pass


class SiteServer:
    def __init__(self, site: Path, headers: dict[str, str] | None = None):
        handler_cls = type(
            "Handler", (_QuietHandler,), {"extra_headers": headers or {}}
        )
        handler = functools.partial(handler_cls, directory=str(site))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, daemon=True
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def sync_playwright_or_skip():
    """Playwright's sync API, once Playwright and Chromium are both here;
    else the skip policy of tests/support.py (a failure under CI=true)."""
    from tests.support import need_file, need_module

    playwright = need_module("playwright.sync_api")
    need_file(
        Path(CHROMIUM),
        "Chromium",
        "make deps-test installs Debian's chromium; elsewhere set CHROMIUM "
        "to a Chromium or Chrome binary",
    )
    return playwright.sync_playwright


def sync_playwright_or_exit():
    """For scripts: the same checks, as a clear exit instead of a skip."""
    try:
        from playwright.sync_api import sync_playwright
    except ModuleNotFoundError as err:
        if err.name != "playwright":
            raise
        raise SystemExit("playwright is missing: make deps-test") from None
    if not Path(CHROMIUM).exists():
        raise SystemExit(
            f"Chromium is missing at {CHROMIUM}: make deps-test, or set "
            "CHROMIUM to a Chromium or Chrome binary"
        )
    return sync_playwright


def is_foreign(url: str, base: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in {"data", "blob", "about", "chrome-error"}:
        return False
    return not url.startswith(base)
