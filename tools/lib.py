"""What the maintainer tools and the tests share, in one non-test module.

- mkdocs_config(), nav_pages(), chapter_pages(): mkdocs.yml as data, and
  the pages of its nav;
- child_env(), run_python(): run a snippet as a script, the way the page
  tests, `make outputs` and `make outputs-check` all run it;
- CHROMIUM, CHROMIUM_ARGS, SiteServer, sync_playwright_or_exit(): serve a
  built site on 127.0.0.1 and find the Chromium that Playwright drives.

The layers: tests/ may import tools/ and hooks/; tools/ imports no test
module; hooks/ imports neither (hooks/study_data.py is the hooks' own
shared module). Tools run from the repository root as modules
(`python -m tools.make_pdf`), so `tools.lib` imports with no sys.path
patch. Standard library and PyYAML only: `make outputs` and `make pdf`
load this before anything else.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
BLOCK_TIMEOUT_S = 120

# --------------------------------------------------------------- mkdocs.yml


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring its !!python/name and !ENV tags."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *a: None)
_Loader.add_multi_constructor("!", lambda *a: None)


def mkdocs_config(root: Path = ROOT) -> dict:
    with open(root / "mkdocs.yml", encoding="utf-8") as f:
        return yaml.load(f, Loader=_Loader)


def nav_pages(root: Path = ROOT) -> list[tuple[str, str]]:
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

    walk(mkdocs_config(root)["nav"])
    return out


# The nav sections whose Markdown pages are chapters: each ends with a
# "Check yourself" quiz (study/quizzes/<page>.yml).
CHAPTER_SECTIONS = ("The chapter", "Kernels")


def chapter_pages(root: Path = ROOT) -> list[str]:
    """The Markdown pages (docs paths) under the chapter sections of the
    nav, in reading order: ["gpt-1.md", ..., "kernels/moe.md"]."""
    pages = []
    for entry in mkdocs_config(root)["nav"]:
        for title, value in entry.items():
            if title in CHAPTER_SECTIONS and isinstance(value, list):
                pages += [
                    path
                    for item in value
                    for path in item.values()
                    if isinstance(path, str) and path.endswith(".md")
                ]
    return pages


# ------------------------------------------------------------- snippets


def child_env(hash_seed: str = "0") -> dict[str, str]:
    """Environment for running snippets: importable siblings, a fixed
    PYTHONHASHSEED, and the Triton interpreter where there is no GPU (it
    must be set before triton is imported)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "snippets"), env.get("PYTHONPATH", "")]
    ).rstrip(os.pathsep)
    env["PYTHONHASHSEED"] = hash_seed
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    if shutil.which("nvidia-smi") is None:
        env.setdefault("TRITON_INTERPRET", "1")
    return env


# Runs already made in this process, by (source, cwd, hash seed): a page
# block that is a whole snippet and that snippet's golden check run the
# same program, so the second asks for the first one's result.
_RUNS: dict[tuple[str, str, str], subprocess.CompletedProcess] = {}


def run_python(
    path: Path, cwd: Path = ROOT, hash_seed: str = "0"
) -> subprocess.CompletedProcess:
    """Run a file as __main__ in a fresh interpreter, with a timeout. The
    same source (up to trailing newlines) under the same seed runs once
    per process."""
    source = path.read_text(encoding="utf-8").rstrip("\n")
    key = (hashlib.sha256(source.encode()).hexdigest(), str(cwd), hash_seed)
    if key not in _RUNS:
        _RUNS[key] = subprocess.run(
            [sys.executable, str(path)],
            cwd=cwd,
            env=child_env(hash_seed),
            capture_output=True,
            text=True,
            timeout=BLOCK_TIMEOUT_S,
        )
    return _RUNS[key]


# ------------------------------------------------- the site and Chromium

CHROMIUM = (
    os.environ.get("CHROMIUM")
    or shutil.which("chromium")
    or "/usr/bin/chromium"
)
# Chromium reads only the last --disable-features switch, and Playwright
# passes its own first: ours repeats Playwright's list (1.65's, from its
# chromiumSwitches; tests/test_chromium.py fails, naming what is missing,
# when a new Playwright disables more) and adds three. Playwright opens a
# window per page, and in every new window Chromium 156 preloads the
# omnibox popup's WebUI in two renderers of its own, plus a spare renderer
# for the next navigation. A headless test types in no omnibox: without
# them a new page costs about 0.3 CPU-seconds here instead of 0.9.
PLAYWRIGHT_DISABLED_FEATURES = [
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
]
LIGHT_WINDOW_FEATURES = [
    "WebUIOmniboxPopup",
    "WebUIOmniboxAimPopup",
    "SpareRendererForSitePerProcess",
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--disable-features="
    + ",".join(PLAYWRIGHT_DISABLED_FEATURES + LIGHT_WINDOW_FEATURES),
]


class _QuietHandler(SimpleHTTPRequestHandler):
    extra_headers: dict[str, str] = {}

    def end_headers(self):
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser that closes a page mid-transfer (a test moving on)
        # hangs up on the file being sent: not an error of the server, and
        # socketserver's traceback for it only cluttered the test log.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class SiteServer:
    """A built site on 127.0.0.1, on a free port, for a `with` block."""

    def __init__(self, site: Path, headers: dict[str, str] | None = None):
        handler_cls = type(
            "Handler", (_QuietHandler,), {"extra_headers": headers or {}}
        )
        handler = functools.partial(handler_cls, directory=str(site))
        self.httpd = _Server(("127.0.0.1", 0), handler)
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


def sync_playwright_or_exit():
    """Playwright's sync API for a script, or a clear exit naming what is
    missing (tests use tests/browser.py's sync_playwright_or_skip)."""
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
