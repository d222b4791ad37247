"""Session-wide pieces: the block census, the skip policy, and the site
built once.

The census makes a skipped or deselected page block visible: a full run
must execute every Python block the pages hold, and says how many it ran.
Under CI=true no test may skip (tests/support.py has the policy): a skip
from anywhere, helper or not, is turned into a failure that keeps its
reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager

import pytest

from tests.harness import ROOT, count_python_fences, count_snippet_includes
from tests.support import SUBPROCESS_TIMEOUT_S, cannot_run, in_ci

# Page blocks that reported (selected and reached) and those that ran
# their script. Both come from test reports, so the counts are the same
# whether one process runs every test or pytest-xdist's workers share
# them (the controller sees every worker's reports).
_SEEN: set[str] = set()
_EXECUTED: set[str] = set()
RAN = "page_block_ran"


class _BlockCounter:
    def __init__(self, node):
        self.node = node

    def append(self, test_id: str) -> None:
        self.node.user_properties.append((RAN, test_id))


@pytest.fixture
def block_counter(request) -> _BlockCounter:
    """test_page_block calls .append(id) once its script has run."""
    return _BlockCounter(request.node)


def pytest_runtest_logreport(report):
    if "::test_page_block[" in report.nodeid:
        _SEEN.add(report.nodeid)
    for name, value in report.user_properties:
        if name == RAN:
            _EXECUTED.add(value)


def pytest_runtest_setup(item):
    for mark in item.iter_markers("needs"):
        reason = mark.kwargs.get("reason")
        if reason:
            cannot_run(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = str(report.longrepr[-1] if report.longrepr else "?")
        reason = reason.removeprefix("Skipped: ")
        report.outcome = "failed"
        report.longrepr = f"CI=true, and this test skipped: {reason}"


def _census() -> tuple[int, int]:
    return count_python_fences(), count_snippet_includes()


def pytest_sessionfinish(session, exitstatus):
    selected = len(_SEEN)
    if not selected:
        return
    found, _ = _census()
    if selected == found and len(_EXECUTED) != found and exitstatus == 0:
        # Every block was selected, yet some did not run: a skip or an
        # import failure hid it. That is a failure, not a pass.
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus):
    selected = len(_SEEN)
    if not selected:
        return
    found, includes = _census()
    line = (
        f"page code blocks executed: {len(_EXECUTED)} of {found} on the "
        f"pages ({includes} snippet includes)"
    )
    full = selected == found
    others_failed = terminalreporter.stats.get(
        "failed"
    ) or terminalreporter.stats.get("error")
    if full and len(_EXECUTED) != found and not others_failed:
        terminalreporter.write_line(
            line + "  <- FAIL: blocks not run", red=True
        )
    else:
        terminalreporter.write_line(line, green=full)


def source_date_epoch() -> str:
    """SOURCE_DATE_EPOCH for the session's build: the caller's, else the
    last commit's time, as a reproducible release build would set it."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    res = subprocess.run(
        ["git", "log", "-1", "--format=%ct"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return res.stdout.strip() if res.returncode == 0 else "0"


def _build_site(site, log_file) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env["SOURCE_DATE_EPOCH"] = source_date_epoch()
    mkdocs = shutil.which("mkdocs", path=os.path.dirname(sys.executable))
    try:
        res = subprocess.run(
            [mkdocs or "mkdocs", "build", "--strict", "-d", str(site)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=SUBPROCESS_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(
            f"mkdocs build took over {SUBPROCESS_TIMEOUT_S} s", pytrace=False
        )
    log = res.stdout + res.stderr
    if res.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{log}", pytrace=False)
    log_file.write_text(log, encoding="utf-8")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """`mkdocs build --strict` once per run, into a temporary folder;
    pytest-xdist's workers share one build (the first builds it under a
    file lock, the others wait and read it).

    Returns (site_dir, build_log). The build must pass with 0 warnings,
    within SUBPROCESS_TIMEOUT_S, which is under pytest-timeout's limit so
    a hung build fails with its own message.
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        base = tmp_path_factory.mktemp("build")
        _build_site(base / "site", base / "build.log")
        return base / "site", (base / "build.log").read_text()
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp().parent / "shared-build"
    base.mkdir(exist_ok=True)
    log_file = base / "build.log"
    with FileLock(str(base / "lock")):
        if not log_file.is_file():
            _build_site(base / "site", log_file)
    return base / "site", log_file.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def playwright():
    """Playwright's sync API, started once per process (and so per xdist
    worker); the skip policy names Playwright or Chromium when missing."""
    from tests.browser import sync_playwright_or_skip

    api = sync_playwright_or_skip()().start()
    yield api
    api.stop()


@pytest.fixture(scope="session")
def chromium(playwright):
    """Debian's Chromium, one per process: every module opens its own
    contexts in it and closes them."""
    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def warm_context(playwright, tmp_path_factory):
    """open(**options): a context manager for a Chromium context whose
    profile lives on disk, handed from module to module in this process.

    A page in a fresh context compiles Material, KaTeX and mermaid (4 MB
    of script) again, about 1.2 s of a 2 s load here; Chromium keeps
    compiled code only in a profile on disk, so with this one a new page
    loads in about 0.8 s. A test that needs a first-time reader clears the
    site's data first (tests/browser.py clear_site_data). One module opens
    one at a time (a profile takes one browser).
    """
    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    profile = tmp_path_factory.mktemp("chromium-profile")

    @contextmanager
    def open_context(**options):
        # The service worker would precache the site (2.9 MB) after every
        # clear_site_data; tests/test_offline.py tests it in its own
        # contexts. Blocked, it logs a warning, never an error.
        options.setdefault("service_workers", "block")
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            **options,
        )
        try:
            yield context
        finally:
            context.close()

    return open_context


@pytest.fixture(scope="session")
def csp_server(built_site):
    """(server, site): the built site on 127.0.0.1, sent with the strict
    Content-Security-Policy a careful host would send. One per process,
    so its address (and the compiled code Chromium keeps per address)
    stays the same from module to module."""
    from tests.browser import CSP, SiteServer

    site, _ = built_site
    with SiteServer(site, {"Content-Security-Policy": CSP}) as server:
        yield server, site


@pytest.fixture(scope="session")
def site_pdf(built_site, request):
    """`make site`'s PDF: the print page printed into the built site, at
    the path the home page links, once per run (pytest-xdist's workers
    share it under a file lock, like the build). Returns its path."""
    from filelock import FileLock

    from tools.make_pdf import PDF_NAME, print_to_pdf

    site, _ = built_site
    out = site / PDF_NAME
    with FileLock(str(site.parent / "pdf.lock")):
        if not out.is_file():
            tmp = out.with_suffix(".part")
            print_to_pdf(request.getfixturevalue("chromium"), site, tmp)
            # As `make site` does: dated from SOURCE_DATE_EPOCH.
            from datetime import UTC, datetime

            from tools.pdf_dates import date_pdf

            epoch = int(source_date_epoch())
            date_pdf(tmp, datetime.fromtimestamp(epoch, tz=UTC))
            tmp.rename(out)
    return out


@pytest.fixture(scope="session")
def poppler():
    """pdftotext and pdfinfo, checked before any site is built (the PDF's
    tests in test_publish.py, the cheat sheet's print in test_reader.py).
    """
    from tests.support import need_executable, need_module

    hint = "make deps-test installs Debian's poppler-utils"
    need_executable("pdfinfo", hint)
    # make_pdf nests the bookmarks with pikepdf; the tests read them back.
    need_module("pikepdf")
    return need_executable("pdftotext", hint)
