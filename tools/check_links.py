"""Check every link of a built site with linkinator, offline.

    python -m tools.check_links [site]     # after `make site`

linkinator (npm, pinned in package.json) serves the folder on a loopback
port itself and crawls it from the home page, the print page and the 404
page (neither of the last two is linked from a page): every <a href>,
image, script, stylesheet, download and manifest, every url() and @import
in the CSS (--check-css), and every #fragment against the target page's
ids (--check-fragments). A link to any other host is skipped, never
fetched, and listed by host.

linkinator counts `<a id="a" href="#b">` as a target for #b (GitHub's
permalink pattern), which would hide exactly the print page's broken code
line anchors; a second pass here checks every same-page #fragment against
the page's own id and name attributes.

Exit status 1 when any link is broken; each is printed with its page.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LINKINATOR = ROOT / "node_modules" / "linkinator" / "build" / "src" / "cli.js"
# Entry points besides the home page: pages no other page links.
ENTRIES = ("print_page.html", "404.html")
# linkinator's own server is http://localhost:<port>/; anything else is
# another host: listed, not fetched.
OTHER_HOSTS = r"^(?!http://localhost[:/])"
TIMEOUT_S = 180


@dataclass
class Broken:
    url: str
    page: str
    why: str


@dataclass
class Report:
    checked: int = 0
    urls: set[str] = field(default_factory=set)
    broken: list[Broken] = field(default_factory=list)
    external: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        hosts = ", ".join(
            f"{host} ({n})" for host, n in sorted(self.external.items())
        )
        return (
            f"{self.checked} links checked, {len(self.broken)} broken; "
            f"links to other hosts, not fetched: {hosts or 'none'}"
        )


def _path(url: str) -> str:
    """A site-relative path (with #fragment) from linkinator's URL."""
    parts = urlsplit(url)
    if not parts.scheme:
        return url
    path = parts.path.lstrip("/")
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def run_linkinator(site: Path, *locations: str) -> list[dict]:
    if not LINKINATOR.is_file():
        raise SystemExit(
            f"{LINKINATOR} is missing: run `npm ci --ignore-scripts` first"
        )
    args = [
        "node",
        str(LINKINATOR),
        *locations,
        "--server-root",
        str(site),
        "--recurse",
        "--check-css",
        "--check-fragments",
        "--skip",
        OTHER_HOSTS,
        "--verbosity",
        "info",
        "--format",
        "json",
    ]
    res = subprocess.run(
        args, capture_output=True, text=True, timeout=TIMEOUT_S, cwd=ROOT
    )
    try:
        return json.loads(res.stdout)["links"]
    except (ValueError, KeyError):
        raise SystemExit(
            f"linkinator gave no report (exit {res.returncode}):\n"
            f"{res.stdout[-2000:]}\n{res.stderr[-2000:]}"
        ) from None


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.targets: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.targets.add(value)
            elif name == "href" and value.startswith("#") and len(value) > 1:
                self.links.append(unquote(value[1:]))


def same_page_anchors(site: Path) -> list[Broken]:
    """Every href="#x" in every page names an id (or <a name>) there."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        parser = _Anchors()
        parser.feed(page.read_text(encoding="utf-8"))
        rel = page.relative_to(site).as_posix()
        for frag in sorted(set(parser.links) - parser.targets):
            broken.append(Broken(f"{rel}#{frag}", rel, "no such id"))
    return broken


def check_site(site: Path) -> Report:
    report = Report()
    # One crawl from the home page, then the pages nothing links: in one
    # run, linkinator crawls from whichever entry reaches a page first,
    # and follows links only under that entry's own URL.
    links = run_linkinator(Path(site), ".") + run_linkinator(
        Path(site), *ENTRIES
    )
    for link in links:
        url = link["url"]
        if link["state"] == "SKIPPED":
            report.external[urlsplit(url).netloc or url] += 1
            continue
        report.checked += 1
        report.urls.add(_path(url))
        if link["state"] == "BROKEN":
            details = link.get("failureDetails") or []
            status = link.get("status") or 0
            why = f"status {status}"
            if "#" in url and 200 <= status < 300:
                why = "the page has no such anchor"
            for d in details:
                if isinstance(d, dict) and d.get("message"):
                    why = d["message"]
            found = Broken(_path(url), _path(link.get("parent") or ""), why)
            if found not in report.broken:
                report.broken.append(found)
    seen = {b.url for b in report.broken}
    for b in same_page_anchors(Path(site)):
        if b.url not in seen:
            report.broken.append(b)
    return report


def main(argv: list[str]) -> int:
    site = Path(argv[1]) if len(argv) > 1 else ROOT / "site"
    report = check_site(site)
    for b in report.broken:
        print(f"BROKEN {b.url}  (on {b.page or '?'}: {b.why})")
    print(report.summary())
    return 1 if report.broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
