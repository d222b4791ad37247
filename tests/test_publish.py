"""The site a reader gets (`make site`): the PDF printed into it, every
link checked, a version on every page and on the PDF, and two builds of
one commit byte-identical.

The link check runs linkinator (tools/check_links.py) over the session's
built site with the PDF printed into it, as `make site` leaves site/.
Every test of the printed PDF is in this module, so the worker that
prints it (conftest.py site_pdf, ~20 s) is the one that reads it: with
them in two modules, pytest-xdist's other worker sat idle on the PDF's
lock for ~11 s.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.browser import ARTIFACTS, nav_pages
from tests.harness import ROOT, mkdocs_config
from tests.support import (
    need_executable,
    need_file,
    pdf_text,
    run_cmd,
)
from tools import check_links

# Printing the PDF drives Chromium (conftest.py site_pdf).
pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

PAGES = [stem for _, stem in nav_pages()]
TITLES = [title for title, _ in nav_pages()]


def nav_sections() -> list[tuple[str, list[str]]]:
    """(part title, page stems) for each nav entry that groups pages."""
    return [
        (
            title,
            [value.rsplit(".", 1)[0] for e in items for value in e.values()],
        )
        for entry in mkdocs_config()["nav"]
        for title, items in entry.items()
        if isinstance(items, list)
    ]


def page_heading(site, stem: str) -> str:
    """The first h1 of a built page, as text."""
    page = (site / f"{stem}.html").read_text(errors="replace")
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    text = re.sub(r"<[^>]+>", "", h1.group(1)) if h1 else stem
    return html.unescape(text).replace("\u00b6", "").strip()


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


# ------------------------------------------------------------------ PDF


@pytest.fixture(scope="module")
def pdf(poppler, site_pdf):
    from tools.make_pdf import page_count

    # The PDF `make site` puts in the site (conftest), printed once.
    out = site_pdf
    text = pdf_text(out)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(out, ARTIFACTS / out.name)
    return out, page_count(out), text


def test_pdf_has_a_sane_page_count(pdf):
    _, pages, _ = pdf
    assert len(PAGES) + 2 <= pages <= 15 * len(PAGES), pages


def test_pdf_holds_every_page_title(pdf):
    _, _, text = pdf
    flat = " ".join(text.split())
    missing = [t for t in TITLES if " ".join(t.split()) not in flat]
    assert not missing, f"titles not in the PDF: {missing}"


def test_pdf_has_no_raw_math_or_diagram_source(pdf):
    _, _, text = pdf
    assert "$$" not in text
    assert not re.search(r"\\(frac|sum|mathrm|left|begin)\b", text)
    assert not re.search(
        r"^\s*(flowchart|graph|sequenceDiagram)\b", text, re.M
    )
    assert "-->" not in text


def test_pdf_shows_the_diagrams_committed_svgs(pdf):
    """The PDF draws the same SVGs as the pages: every word of each
    diagram's labels is in its text."""
    from tools.diagrams import OUT, find_diagrams

    _, _, text = pdf
    flat = " ".join(text.split())
    for d in find_diagrams():
        svg = (OUT / d.name).read_text(encoding="utf-8")
        words = re.findall(r'class="text-inner-tspan"[^>]*>\s*([^<]+)<', svg)
        assert words, d.name
        missing = [w for w in words if html.unescape(w.strip()) not in flat]
        assert not missing, f"{d.name}: {missing[:5]}"


# What the home page's download link costs a reader (1 MB = 10**6 bytes):
# 3.0 MB today, 7.4 MB if the tagged PDF's objects are left unpacked.
PDF_BUDGET_BYTES = 4_000_000


def test_pdf_fits_its_download_budget(pdf):
    out, _, _ = pdf
    size = out.stat().st_size
    assert size <= PDF_BUDGET_BYTES, (
        f"{out.name} is {size / 1e6:.2f} MB, over its "
        f"{PDF_BUDGET_BYTES / 1e6:.1f} MB budget (are its objects packed "
        "in object streams? see tools/make_pdf.nest_outline)"
    )


def test_pdf_embeds_katex_fonts(pdf):
    out, _, _ = pdf
    fonts = subprocess.run(
        ["pdffonts", str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert "KaTeX_Main" in fonts


def test_pdf_outline_nests_every_page_under_its_part(pdf, built_site):
    """Bookmarks: each nav part, and under it each of its pages (by the
    heading the print shows, the page's h1)."""
    from tools.make_pdf import nav_parts, outline_titles

    out, _, _ = pdf
    site, _ = built_site
    rows = outline_titles(out)
    tops = [title for depth, title in rows if depth == 0]
    assert nav_parts() <= set(tops), f"parts missing: {tops}"
    for part, pages in nav_sections():
        at = rows.index((0, part))
        children = []
        for depth, title in rows[at + 1 :]:
            if depth == 0:
                break
            if depth == 1:
                children.append(title)
        want = [page_heading(site, stem) for stem in pages]
        assert children == want, f"{part}: {children} != {want}"


def test_pdf_internal_links_resolve(pdf):
    """Links inside the book (table of contents, cross references) are
    clickable and land on a destination the PDF defines."""
    import pikepdf

    out, _, _ = pdf
    with pikepdf.open(out) as doc:
        names = set()
        dests = doc.Root.get("/Dests")
        if dests is not None:
            names = {str(k) for k in dests.keys()}
        internal, dangling = 0, []
        for page in doc.pages:
            for annot in page.get("/Annots", []):
                if "/Dest" not in annot:
                    continue
                internal += 1
                dest = annot.Dest
                if isinstance(dest, pikepdf.Name):
                    key = str(dest)
                elif isinstance(dest, pikepdf.String):
                    key = "/" + str(dest)
                else:
                    continue
                if key not in names:
                    dangling.append(key)
    assert internal >= len(PAGES), f"only {internal} internal links"
    assert not dangling, dangling[:10]


def test_no_printed_page_ends_on_a_code_title(pdf, built_site):
    """A block's title ("snippets/x.py", "Output") stays with its code."""
    out, _, text = pdf
    site, _ = built_site
    page = (site / "print_page.html").read_text(errors="replace")
    titles = {
        html.unescape(t).strip()
        for t in re.findall(r'<span class="filename">([^<]*)', page)
    }
    assert titles, "no code titles in the print page"
    stranded = []
    for number, body in enumerate(text.split("\f"), 1):
        lines = [ln.strip() for ln in body.splitlines() if ln.strip()]
        while lines and re.search(r"Page \d+$", lines[-1]):
            lines.pop()
        if lines and lines[-1] in titles:
            stranded.append(f"page {number}: {lines[-1]}")
    assert not stranded, stranded


def test_pdf_footer_uses_the_body_font(pdf):
    """The "Page N" footer is set in the body's sans, not a default serif:
    the book's only serif would be the footer's."""
    out, _, _ = pdf
    fonts = subprocess.run(
        ["pdffonts", str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert not re.search(r"Serif|Times", fonts), fonts
