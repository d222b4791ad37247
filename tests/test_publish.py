"""The site a reader gets (`make site`): every link checked, a version on
every page and on the PDF, and two builds of one commit byte-identical.

The link check runs linkinator (tools/check_links.py) over the session's
built site with the PDF printed into it, as `make site` leaves site/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.harness import ROOT
from tests.support import (
    need_executable,
    need_file,
    pdf_text,
    run_cmd,
)
from tools import check_links

pytestmark = pytest.mark.timeout(300)


def _need_linkinator():
    need_executable("node", "install Node.js 20 or newer")
    need_file(
        check_links.LINKINATOR,
        "linkinator",
        "npm ci --ignore-scripts installs it from package-lock.json",
    )


@pytest.fixture(scope="module")
def report(built_site, site_pdf):
    _need_linkinator()
    site, _ = built_site
    return check_links.check_site(site)


def test_every_link_of_the_built_site_resolves(report, built_site):
    # KaTeX's CSS url()s included: every font it names is shipped.
    broken = list(report.broken)
    print(report.summary())
    assert not broken, "\n".join(
        f"{b.url} (on {b.page}: {b.why})" for b in broken
    )
    # The crawl reached every page, the PDF and the exports.
    site, _ = built_site
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    wanted = pages - {"print_page.html", "404.html"} | {
        "gpt-series-notes.pdf",
        "mini-gpt-notebook.ipynb",
        "assets/flashcards/gpt-series-flashcards.apkg",
        "assets/flashcards/gpt-series-flashcards.csv",
    }
    assert not wanted - report.urls, sorted(wanted - report.urls)


def test_links_to_other_hosts_are_listed_not_fetched(report):
    # Material's footer credit is the one link off the site today.
    assert "squidfunk.github.io" in report.external, report.summary()


def test_the_home_page_pdf_link_is_the_printed_pdf(built_site, site_pdf):
    site, _ = built_site
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="{site_pdf.name}"' in home
    assert site_pdf.read_bytes()[:5] == b"%PDF-"


def test_planted_broken_links_fail_the_check(built_site, site_pdf, tmp_path):
    """A raw-HTML link to no file and a link to a missing anchor, on a
    copy of the built site: the checker names each one."""
    _need_linkinator()
    site, _ = built_site
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    page = copy / "how-to-read.html"
    html = page.read_text(encoding="utf-8")
    plant = (
        '<p><a href="no-such-page.html">raw link</a> '
        '<a href="gpt-1.html#no-such-anchor">anchor</a> '
        '<a href="#no-such-id-here">same page</a></p>'
    )
    assert html.count("</article>") == 1
    page.write_text(html.replace("</article>", plant + "</article>"))
    found = {b.url for b in check_links.check_site(copy).broken}
    assert "no-such-page.html" in found
    assert "gpt-1.html#no-such-anchor" in found
    assert "how-to-read.html#no-such-id-here" in found


def test_same_page_anchor_pass_catches_self_named_links(tmp_path):
    """linkinator takes <a id="a" href="#b"> as a target for #b (the
    print page's code-line anchors hid that way); the second pass does
    not."""
    (tmp_path / "p.html").write_text(
        '<a id="x" href="#p-x">1</a><h2 id="ok">t</h2><a href="#ok">2</a>'
    )
    broken = check_links.same_page_anchors(tmp_path)
    assert [b.url for b in broken] == ["p.html#p-x"]


def test_print_page_code_line_anchors_resolve(built_site):
    from hooks.print_anchors import fix_print_anchors

    site, _ = built_site
    html = (site / "print_page.html").read_text(encoding="utf-8")
    links = re.findall(r'href="#([^"]*__codelineno[^"]*)"', html)
    assert len(links) > 100
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    assert not [x for x in links if x not in ids][:5]
    # The hook is what makes them agree: undone, the links break again.
    undone = re.sub(r'\b(id|name)="[\w-]+?-(__codelineno)', r'\1="\2', html)
    fixed, renamed = fix_print_anchors(undone)
    assert renamed == len(set(links)), renamed
    assert fixed == html


# ------------------------------------------------------------ version


def _git(*args):
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True
    )


def _expected_version() -> str:
    tag = _git("describe", "--tags")
    if tag.returncode == 0:
        return tag.stdout.strip()
    return _git("log", "-1", "--format=%cd %h", "--date=short").stdout.strip()


def test_every_page_footer_shows_version_and_build_date(built_site):
    site, _ = built_site
    need_executable("git", "the version comes from git")
    version = _expected_version()
    assert version
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    footer = re.compile(
        r"Version <span data-site-version>([^<]+)</span>,\s*built "
        r'<time datetime="(\d{4}-\d\d-\d\d)">'
    )
    for page in pages:
        m = footer.search(page.read_text(encoding="utf-8"))
        assert m, f"{page.name}: no version in the footer"
        assert m[1] == version, (page.name, m[1])


def test_pdf_cover_shows_version_and_build_date(site_pdf):
    from hooks.version import site_version

    cover = pdf_text(site_pdf).split("\f")[0]
    assert site_version() in cover, cover[:500]
    assert re.search(r"Built\s+\d{4}-\d\d-\d\d", cover), cover[:500]


def test_version_falls_back_to_date_and_commit_without_a_tag(tmp_path):
    need_executable("git", "the version comes from git")
    from hooks import version

    env = {
        "GIT_AUTHOR_DATE": "2026-01-02T03:04:05Z",
        "GIT_COMMITTER_DATE": "2026-01-02T03:04:05Z",
    }
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    run_cmd(["git", "init", "-q"], tmp_path)
    run_cmd([*git, "commit", "-q", "--allow-empty", "-m", "x"], tmp_path, env)
    old = version.ROOT
    try:
        version.ROOT = tmp_path
        untagged = version.site_version()
        run_cmd(["git", "tag", "v9.8"], tmp_path)
        tagged = version.site_version()
    finally:
        version.ROOT = old
    assert re.fullmatch(r"2026-01-02 [0-9a-f]{7,}", untagged), untagged
    assert tagged == "v9.8"


def test_build_date_comes_from_source_date_epoch(monkeypatch):
    from hooks.version import build_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert build_date() == "2026-01-01"


# ------------------------------------------------------- reproducible


def test_two_builds_with_one_source_date_epoch_are_identical(
    built_site, tmp_path
):
    """The session's site was built with SOURCE_DATE_EPOCH (conftest);
    a second build with the same value matches it byte for byte: pages,
    search index, notebook, Anki package and CSV, sitemap. Only the PDF,
    printed into the first afterwards, is not part of the comparison."""
    from tests.conftest import source_date_epoch
    from tools.make_pdf import PDF_NAME

    site, _ = built_site
    again = tmp_path / "site"
    rc, log = run_cmd(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"]
        + ["-d", str(again)],
        ROOT,
        env={"SOURCE_DATE_EPOCH": source_date_epoch()},
    )
    assert rc == 0, log

    def files(root):
        return {
            p.relative_to(root).as_posix(): p
            for p in root.rglob("*")
            if p.is_file() and p.stem != Path(PDF_NAME).stem
        }

    first, second = files(site), files(again)
    assert sorted(first) == sorted(second)
    differ = [
        k for k in first if first[k].read_bytes() != second[k].read_bytes()
    ]
    assert not differ, differ
    for must in (
        "index.html",
        "search/search_index.json",
        "mini-gpt-notebook.ipynb",
        "assets/flashcards/gpt-series-flashcards.csv",
        "assets/flashcards/gpt-series-flashcards.apkg",
    ):
        assert must in first, must


def test_pdf_dates_come_from_source_date_epoch(site_pdf):
    """Chromium stamps the print time; tools/pdf_dates.py (make site)
    replaces it with SOURCE_DATE_EPOCH's, in the info and XMP dates."""
    import pikepdf

    from tests.conftest import source_date_epoch

    when = datetime.fromtimestamp(int(source_date_epoch()), tz=UTC)
    with pikepdf.open(site_pdf) as doc:
        info = str(doc.docinfo["/CreationDate"])
        assert info.startswith(when.strftime("D:%Y%m%d%H%M%S")), info
        assert str(doc.docinfo["/ModDate"]) == info
        meta = doc.open_metadata()
        assert meta["xmp:CreateDate"].startswith(when.strftime("%Y-%m-%dT"))
