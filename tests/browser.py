"""Serve the built site on 127.0.0.1 and drive Debian's Chromium.

Playwright talks to /usr/bin/chromium (never `playwright install`), or to
the browser the CHROMIUM environment variable names. Every
host name resolves to nothing except 127.0.0.1, so a CDN request cannot
succeed by accident; it is also recorded and fails the test.
"""

from __future__ import annotations

import json
import weakref
from pathlib import Path
from urllib.parse import urlparse

# The server, the Chromium settings and the nav are shared with the tools.
from tools.lib import (  # noqa: F401 (names the tests import from here)
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SiteServer,
    nav_pages,
    sync_playwright_or_exit,
)

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Mermaid renders after load: a page is drawn once no fence is left.
RENDERED = "() => !document.querySelector('pre.mermaid')"
# The rules whose outcome depends on colours: all a second colour scheme
# can change, since both schemes share one DOM.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

ARTIFACTS = ROOT / "artifacts"
# Material draws mermaid into a closed shadow root; open it so tests can
# look inside.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  return attach.call(this, Object.assign({}, init, { mode: "open" }));
};
"""


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
    "font-src 'self' data:; media-src 'self' blob:"
)


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


def is_foreign(url: str, base: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in {"data", "blob", "about", "chrome-error"}:
        return False
    return not url.startswith(base)


WATCH_CSP = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)


class Watch:
    """Everything a reader must never meet on a page, recorded from before
    it loads: console errors, uncaught errors, requests to other hosts,
    failed loads on the site and (with WATCH_CSP as an init script)
    Content-Security-Policy violations."""

    def __init__(self, page, base: str):
        self.page = page
        page.add_init_script(WATCH_CSP)
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.missing: list[str] = []
        page.on(
            "console",
            lambda m: self.errors.append(m.text) if m.type == "error" else 0,
        )
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        if base.startswith("http"):
            page.on(
                "request",
                lambda r: (
                    self.foreign.append(r.url)
                    if is_foreign(r.url, base)
                    else 0
                ),
            )
            page.on(
                "response",
                lambda r: (
                    self.missing.append(f"{r.status} {r.url}")
                    if r.status >= 400
                    else 0
                ),
            )

    def csp(self) -> list[str]:
        """Violations the page has recorded so far (needs WATCH_CSP)."""
        return self.page.evaluate("window.__csp || []")

    def assert_clean(self) -> None:
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.foreign == [], f"requests to other hosts: {self.foreign}"
        assert self.missing == [], f"failed loads on the site: {self.missing}"
        csp = self.csp()
        assert csp == [], f"CSP violations: {csp}"


AXE_RUN = """async rules => (await axe.run(document, Object.assign(
  {resultTypes: ['violations']}, rules ? {runOnly: rules} : {}))).violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => ({id: v.id, impact: v.impact,
              nodes: v.nodes.slice(0, 3).map(n => n.target)}))"""


def need_axe():
    """axe-core's script, or the skip policy's cannot_run() naming it."""
    from tests.support import need_file

    return need_file(AXE, "axe-core", "npm ci installs it into node_modules")


def axe_serious(page, rules: list[str] | None = None) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is
    now: every rule, or only `rules`. The caller has called need_axe().
    axe-core (0.5 MB) is added to a page once, however often it runs."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN, rules)


# Answers every "Check yourself" question (the first option, or 1) the way
# the Check button does, and counts the feedback shown.
ANSWER_EVERY_QUESTION = """() => {
  const forms = [...document.querySelectorAll('form.quiz-q')];
  for (const f of forms) {
    const number = f.querySelector('input[type=number]');
    if (number) number.value = '1';
    else f.querySelector('input').checked = true;
    f.requestSubmit();
  }
  const shown = forms.filter(f => f.querySelector('[aria-live=polite]')
    .textContent.trim()).length;
  return [forms.length, shown];
}"""


class PageVisits:
    """visit(stem) run at most once per page, on first request, so the
    tests of one page share one visit; what a visit raised is raised
    again for every test of that page."""

    def __init__(self, visit):
        self.visit = visit
        self.done: dict[str, dict | Exception] = {}

    def __getitem__(self, stem: str) -> dict:
        if stem not in self.done:
            try:
                self.done[stem] = self.visit(stem)
            except Exception as err:
                self.done[stem] = err
        found = self.done[stem]
        if isinstance(found, Exception):
            raise found
        return found


# The key the site's study store (docs/assets/js/notes-core.js) uses.
STORE_KEY = "gpt-series-notes"


class Tab:
    """A reader's tab: one page, watched (Watch) from before its first
    load, with init scripts of its own and an optional colour scheme and
    viewport. Tabs of one test share their context's storage, as a
    reader's tabs do."""

    def __init__(
        self,
        context,
        base: str,
        site: Path,
        scripts=(),
        color_scheme: str | None = None,
        viewport: dict | None = None,
    ):
        self.base, self.site = base, site
        self.page = context.new_page()
        self.watch = Watch(self.page, base)
        for script in scripts:
            self.page.add_init_script(script)
        if color_scheme:
            self.page.emulate_media(color_scheme=color_scheme)
        if viewport:
            self.page.set_viewport_size(viewport)

    def url(self, stem: str) -> str:
        if self.base.startswith("file:"):
            return (self.site / f"{stem}.html").as_uri()
        return self.base + page_url(self.site, stem)

    def open(self, stem: str):
        self.page.goto(self.url(stem), wait_until="load")
        return self.page

    def stored(self) -> dict | None:
        """The study store as the page sees it, parsed."""
        text = self.page.evaluate(f"localStorage.getItem('{STORE_KEY}')")
        return None if text is None else json.loads(text)

    def check_clean(self) -> None:
        self.watch.assert_clean()

    def close(self) -> None:
        self.page.close()


# context -> the DevTools session clear_site_data uses in it.
_janitors: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def clear_site_data(context, base: str) -> None:
    """Forget what the site stored in this context (local storage,
    IndexedDB, cookies, caches), keeping the HTTP cache and so the
    compiled scripts: a returning browser with a first-time reader. One
    blank page per context carries the DevTools session that does it."""
    cdp = _janitors.get(context)
    if cdp is None:
        cdp = _janitors[context] = context.new_cdp_session(context.new_page())
    cdp.send(
        "Storage.clearDataForOrigin",
        {
            "origin": base.rstrip("/"),
            "storageTypes": "local_storage,indexeddb,cookies,"
            "cache_storage,service_workers",
        },
    )


def tab_maker(context, base: str, site: Path, kind: type[Tab] = Tab):
    """A pytest fixture body: yields make(*scripts, **options) -> a `kind`
    of Tab on `context` after clearing the site's data; after the test,
    every tab must be clean (Watch) and is closed. One context per module
    keeps the compiled scripts warm."""
    clear_site_data(context, base)
    made: list[Tab] = []

    def make(*scripts, **options) -> Tab:
        tab = kind(context, base, site, scripts, **options)
        made.append(tab)
        return tab

    yield make
    try:
        for tab in made:
            tab.check_clean()
    finally:
        for tab in made:
            tab.close()
