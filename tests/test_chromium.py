"""The Chromium that every browser test, `make pdf` and `make
page-weight` drive is set up as tools/lib.py says: its feature switch
keeps all Playwright disables, and a new page brings no browser UI."""

from __future__ import annotations

import pytest

from tools.lib import CHROMIUM, CHROMIUM_ARGS, LIGHT_WINDOW_FEATURES

pytestmark = pytest.mark.browser

SWITCH = "--disable-features="


def test_our_feature_switch_keeps_playwrights_own(playwright):
    """Chromium reads the last --disable-features only: ours comes last,
    so it must repeat every feature Playwright's own switch turns off.
    (Chromium tells its command line only with --enable-automation.)"""
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--enable-automation"]
    )
    try:
        cdp = browser.new_browser_cdp_session()
        argv = cdp.send("Browser.getBrowserCommandLine")["arguments"]
    finally:
        browser.close()
    switches = [
        a[len(SWITCH) :].split(",") for a in argv if a.startswith(SWITCH)
    ]
    assert len(switches) >= 2, f"expected Playwright's and ours: {argv}"
    *theirs, ours = switches
    assert set(LIGHT_WINDOW_FEATURES) <= set(ours), ours
    missing = sorted({f for s in theirs for f in s} - set(ours) - {""})
    assert not missing, (
        f"Playwright also disables {missing}: add them to tools/lib.py "
        "PLAYWRIGHT_DISABLED_FEATURES"
    )


def test_a_new_page_brings_no_browser_ui(chromium):
    """Chromium 156 preloads the omnibox popup (chrome://omnibox-popup
    .top-chrome, two renderers) in each window Playwright opens for a
    page; with LIGHT_WINDOW_FEATURES off only the page is there."""
    cdp = chromium.new_browser_cdp_session()
    context = chromium.new_context()
    try:
        page = context.new_page()
        # This context's targets only: other modules share the browser.
        ours = context.new_cdp_session(page).send("Target.getTargetInfo")
        targets = cdp.send("Target.getTargets")["targetInfos"]
    finally:
        context.close()
        cdp.detach()
    here = ours["targetInfo"]["browserContextId"]
    ui = [
        t["url"]
        for t in targets
        if t.get("browserContextId") == here and t["type"] != "page"
    ]
    assert not ui, f"a new page opened browser UI as well: {ui}"
