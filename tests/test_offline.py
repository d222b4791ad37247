"""Offline after the first visit: the service worker (docs/assets/offline/,
hooks/offline.py) in Chromium, as a reader on a train meets it.

One story on a copy of the built site served with the strict CSP: first
visit, then the network off, five other pages, search, a quiz question
answered and a card graded; then a new build of the site and the update
(notice, then the new version on the next page). Beside it: the precache's
contents and budget, Save-Data, a full quota, and file://.
"""

from __future__ import annotations

import json
import shutil

import pytest

from hooks import offline
from tests.browser import CSP, WATCH_CSP, SiteServer

pytestmark = pytest.mark.timeout(300)

OTHER_PAGES = ["gpt-1", "kernels/attention", "practice", "cheat-sheet", "arc"]


@pytest.fixture(scope="module")
def site_copy(built_site, tmp_path_factory):
    """A copy this module may rebuild in place (the update)."""
    site, _ = built_site
    copy = tmp_path_factory.mktemp("offline") / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("*.pdf"))
    return copy


class _Subpath:
    """The site under /site/, as GitHub Pages serves a project under
    /<repo>/: the worker's scope and the manifest must follow."""

    def __init__(self, server):
        self.base = server.base + "site/"


@pytest.fixture(scope="module")
def server(site_copy):
    headers = {"Content-Security-Policy": CSP}
    with SiteServer(site_copy.parent, headers) as server:
        yield _Subpath(server)


@pytest.fixture
def context(chromium):
    context = chromium.new_context(service_workers="allow")
    yield context
    context.close()


WAIT_CONTROLLED = """async () => {
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((ok) =>
      navigator.serviceWorker.addEventListener('controllerchange', ok));
  }
  return navigator.serviceWorker.controller.scriptURL;
}"""

CACHED = """async () => {
  const out = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    out[name] = {};
    for (const req of await cache.keys()) {
      const res = await cache.match(req);
      out[name][req.url] = (await res.blob()).size;
    }
  }
  return out;
}"""


# When the page asks for the worker: after its load, so that the
# precache never competes with the first page a reader opens.
WATCH_REGISTER = """
const register = ServiceWorkerContainer.prototype.register;
ServiceWorkerContainer.prototype.register = function (...args) {
  window.__registeredWhen = document.readyState;
  return register.apply(this, args);
};
"""


def _first_visit(context, server):
    context.add_init_script(WATCH_CSP)
    context.add_init_script(WATCH_REGISTER)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" else 0,
    )
    page.goto(server.base + "index.html")
    assert page.evaluate(WAIT_CONTROLLED) == server.base + "sw.js"
    assert page.evaluate("window.__registeredWhen") == "complete"
    return page, errors


def _no_csp_violation(page):
    assert page.evaluate("window.__csp || []") == [], page.url


def _precache(page) -> dict[str, int]:
    caches = page.evaluate(CACHED)
    names = [n for n in caches if n.startswith("gpt-notes-precache-")]
    assert len(names) == 1, list(caches)
    return caches[names[0]]


def test_a_page_loads_its_tags_not_text_that_looks_like_them():
    page = """<!doctype html><html><head>
<link rel="stylesheet" href="a.css"><link rel="preload" href="no-1.css">
<!-- <script src="no-2.js"></script> -->
<style>.x::after { content: '<img src="no-3.png">' }</style>
<script id="__config" type="application/json">{"search": "w.js"}</script>
</head><body><img alt="a > b" src="b.png"><link-card href="no-4.css">
<script-tip><img src="e.png"></script-tip>
<script>const s = '<img src="no-5.png">';</script>
<SCRIPT SRC="c.js"></SCRIPT><pre><code>&lt;img src="no-6.png"&gt;</code></pre>
<IMG src='d.png'></body></html>"""
    assert offline.page_loads(page) == [
        "a.css",
        "w.js",
        "b.png",
        "e.png",
        "c.js",
        "d.png",
    ]


def test_the_precache_holds_what_pages_load_and_stays_small(site_copy):
    precache, extras = offline.collect(site_copy)
    assert "index.html" in precache and "404.html" in precache
    assert "search/search_index.json" in precache
    for left_out in (
        "print_page.html",
        "gpt-series-notes.pdf",
        "mini-gpt-notebook.ipynb",
        "mini-gpt-notebook.html",
    ):
        assert left_out not in precache + extras, left_out
    assert not [p for p in precache if p.endswith(".map")]
    assert not [p for p in precache if "/lunr/" in p]
    assert offline.size(site_copy, precache) < offline.BUDGET_BYTES
    worker = (site_copy / "sw.js").read_text(encoding="utf-8")
    assert json.dumps(precache, indent=2) in worker
    assert not (site_copy / offline.TEMPLATE).exists()
    manifest = json.loads((site_copy / offline.MANIFEST).read_text())
    for key in ("name", "start_url", "display", "scope"):
        assert manifest[key], key
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert sizes == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        png = (site_copy / "assets/offline" / icon["src"]).read_bytes()
        side = int(icon["sizes"].split("x")[0])
        # PNG header: width and height, big-endian, at bytes 16-24.
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png[16:20], "big") == side
        assert int.from_bytes(png[20:24], "big") == side


def test_offline_after_the_first_visit_then_the_update(
    context, server, site_copy
):
    page, errors = _first_visit(context, server)
    cached = _precache(page)
    total = sum(cached.values())
    print(f"first visit's precache: {len(cached)} files, {total} bytes")
    assert total < offline.BUDGET_BYTES
    assert page.locator("link[rel=manifest]").count() == 1

    context.set_offline(True)
    for stem in OTHER_PAGES:
        page.goto(server.base + stem + ".html")
        assert page.locator("h1").first.inner_text(), stem
        assert page.evaluate("navigator.onLine") is False
        _no_csp_violation(page)
    # Search, from the cached index.
    page.goto(server.base + "gpt-1.html")
    page.get_by_label("Search", exact=False).first.click()
    page.keyboard.type("Chinchilla")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15000)
    assert results.count() > 0
    # A quiz question answered.
    page.goto(server.base + "gpt-1.html")
    quiz = page.locator("form[data-quiz-id]").first
    quiz.get_by_role("radio").first.check()
    quiz.get_by_role("button", name="Check").click()
    assert quiz.get_by_role("status").inner_text().strip()
    # A card graded.
    page.goto(server.base + "flashcards.html")
    page.wait_for_selector("#notes-review[data-ready]")
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("button", name="Good").click()
    assert "Graded Good" in page.get_by_role("status").all_inner_texts()[-1]
    _no_csp_violation(page)
    assert not errors, errors

    # A new build: a page changes, and so does the worker's list.
    context.set_offline(False)
    home = site_copy / "index.html"
    home.write_text(
        home.read_text(encoding="utf-8").replace(
            "data-site-version>", "data-site-version>next-", 1
        ),
        encoding="utf-8",
    )
    template = site_copy.parent / "sw-template.js"
    shutil.copy(offline.ROOT / "docs" / offline.TEMPLATE, template)
    offline.write_worker(site_copy, template.read_text(encoding="utf-8"))

    page.goto(server.base + "gpt-2.html")
    notice = page.get_by_role("status").filter(has_text="new version")
    notice.wait_for(timeout=30000)
    # Still the old version on this page; the next page is the new one.
    # The hand-over answers that navigation with a refresh; in one cold CI
    # run of five (a loaded machine) headless Chromium never finished it.
    # Then the reader's reload must bring the new version, whole: the
    # test reloads once, says so, and checks that. In a cold CI run the
    # stalled refresh went through just as that reload began and took its
    # place (net::ERR_ABORTED): the page then loads all the same, and the
    # checks below read it.
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.get_by_role("link", name="Home").first.click()
    try:
        page.wait_for_selector("[data-site-version]", timeout=15000)
    except PlaywrightTimeout:
        print("the hand-over navigation stalled; reloading once")
        try:
            page.reload()
        except PlaywrightError as err:
            if "ERR_ABORTED" not in str(err):
                raise
            print("the reload gave way to the hand-over's own refresh")
        page.wait_for_selector("[data-site-version]")
    page.wait_for_function(
        "() => document.querySelector('[data-site-version]')"
        ".textContent.startsWith('next-')",
        timeout=30000,
    )
    assert len(page.evaluate("caches.keys()")) >= 1
    names = [n for n in page.evaluate("caches.keys()") if "precache" in n]
    assert len(names) == 1, names


def test_save_data_registers_nothing(context, server):
    context.add_init_script(
        "Object.defineProperty(navigator, 'connection',"
        " {value: {saveData: true}})"
    )
    page = context.new_page()
    page.goto(server.base + "index.html")
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    regs = page.evaluate(
        "navigator.serviceWorker.getRegistrations().then(r => r.length)"
    )
    assert regs == 0
    assert page.locator("link[rel=manifest]").count() == 0


def test_a_full_quota_leaves_the_site_working_online(context, server):
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    origin = server.base.removesuffix("site/").rstrip("/")
    cdp.send(
        "Storage.overrideQuotaForOrigin",
        {"origin": origin, "quotaSize": 200_000},
    )
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.base + "index.html")
    page.wait_for_timeout(3000)
    state = page.evaluate(
        """async () => {
          const regs = await navigator.serviceWorker.getRegistrations();
          return {
            active: regs.some((r) => r.active),
            controlled: Boolean(navigator.serviceWorker.controller),
            caches: await caches.keys(),
          };
        }"""
    )
    assert not state["active"] and not state["controlled"], state
    assert not [n for n in state["caches"] if "precache" in n], state
    page.goto(server.base + "gpt-1.html")
    assert page.locator("h1").first.inner_text()
    assert not errors, errors


def test_nothing_changes_under_file_urls(context, site_copy):
    """No manifest link, no registration, no notice."""
    page = context.new_page()
    page.goto((site_copy / "index.html").as_uri())
    page.wait_for_load_state("load")
    assert page.locator("link[rel=manifest]").count() == 0
    assert page.locator(".notes-update").count() == 0
