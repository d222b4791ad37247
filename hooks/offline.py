"""Write the service worker's precache list into the built site.

docs/assets/offline/ holds the hand-written service worker (sw.js, a
template), the script that registers it (sw-register.js), the web app
manifest and its icons. The worker must sit at the site's root to serve
every page, so this hook leaves the template out of the copied files and,
after the build, writes site/sw.js from it with three constants filled:

- PRECACHE: every page except the print page and the notebook, and every
  file a precached page loads (scripts, stylesheets, images, the fonts
  its CSS names that exist), Material's search worker and search index,
  the manifest and icons. Source maps, the PDF, the notebook and lunr's
  other languages are left out because no page loads them.
- EXTRAS: files too big for the precache budget (5 MB) that the worker
  fetches afterwards, best effort. None today: mermaid (3.6 MB) was the
  one, and the diagrams are now SVGs drawn at build time.
- VERSION: a hash of every listed file's path and bytes, so any change
  makes a new worker, which the browser installs as an update.

`python -m hooks.offline site` prints the list with its sizes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import posixpath
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.offline")
ROOT = Path(__file__).resolve().parent.parent

TEMPLATE = "assets/offline/sw.js"
WORKER = "sw.js"
MANIFEST = "assets/offline/manifest.webmanifest"
ICONS = ("assets/offline/icon-192.png", "assets/offline/icon-512.png")
# Pages a reader opens on purpose, cached when first opened instead.
NOT_PRECACHED_PAGES = {"print_page.html", "mini-gpt-notebook.html"}
EXTRA_PREFIXES: tuple[str, ...] = ()
SEARCH_INDEX = "search/search_index.json"
BUDGET_BYTES = 5 * 1024 * 1024
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class _Loads(HTMLParser):
    """What a page loads: script src, link href (stylesheets, icons),
    img src, and Material's search worker from its config."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._config = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").lower()
            if rel in {"stylesheet", "icon", "shortcut icon", "manifest"}:
                self.urls.append(a["href"])
        elif tag == "img" and a.get("src"):
            self.urls.append(a["src"])
        self._config = tag == "script" and "__config" in (a.get("id") or "")

    def handle_data(self, data):
        if self._config:
            search = json.loads(data).get("search")
            if search:
                self.urls.append(search)
            self._config = False


# A comment, or the start tag of an element _Loads reads (script, link,
# img) or of one whose text it skips (style); quoted values may hold ">".
_TAG = re.compile(
    r"""<!--.*?-->|<(script|style|link|img)(?=[\s/>])"""
    r"""(?:[^>"']|"[^"]*"|'[^']*')*>""",
    re.I | re.S,
)
_END = {
    "script": re.compile(r"</script", re.I),
    "style": re.compile(r"</style", re.I),
}


def _load_tags(page: str) -> str:
    """The tags of `page` that _Loads reads, with the __config script's
    JSON: what it finds in them is what it finds in the whole page
    (nothing in comments, scripts' or styles' text), parsed in a fortieth
    of the time (0.01 s against 0.39 s for the site's pages)."""
    out, pos = [], 0
    while found := _TAG.search(page, pos):
        pos = found.end()
        kind = (found.group(1) or "").lower()
        if kind in _END:
            end = _END[kind].search(page, pos)
            stop = end.start() if end else len(page)
            if kind == "script":
                config = "__config" in found.group(0)
                text = page[pos:stop] if config else ""
                out.append(found.group(0) + text + "</script>")
            pos = stop
        elif kind:
            out.append(found.group(0))
    return "".join(out)


def page_loads(page: str) -> list[str]:
    """The URLs a page's HTML loads, in order (see _Loads)."""
    parser = _Loads()
    parser.feed(_load_tags(page))
    parser.close()
    return parser.urls


def _local(ref: str, base: str, site: Path) -> str | None:
    """`ref` (found in the file at `base`) as a site path, if it is one."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = posixpath.normpath(
        posixpath.join(posixpath.dirname(base), unquote(parts.path))
    )
    return path if (site / path).is_file() else None


def collect(site: Path) -> tuple[list[str], list[str]]:
    """(precache, extras): site paths, sorted."""
    pages = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.relative_to(site).as_posix() not in NOT_PRECACHED_PAGES
    )
    wanted = set(pages)
    for page in pages:
        for ref in page_loads((site / page).read_text(encoding="utf-8")):
            path = _local(ref, page, site)
            if path:
                wanted.add(path)
    for css in [p for p in wanted if p.endswith(".css")]:
        text = (site / css).read_text(encoding="utf-8")
        for ref in CSS_URL.findall(text):
            path = _local(ref, css, site)
            if path:
                wanted.add(path)
    for path in (SEARCH_INDEX, MANIFEST, *ICONS):
        if (site / path).is_file():
            wanted.add(path)
    wanted = {p for p in wanted if not p.endswith(".map")}
    extras = sorted(p for p in wanted if p.startswith(EXTRA_PREFIXES))
    return sorted(wanted - set(extras)), extras


def size(site: Path, paths: list[str]) -> int:
    return sum((site / p).stat().st_size for p in paths)


def write_worker(
    site: Path, template: str, serving: bool = False
) -> tuple[list[str], list[str]]:
    # Under `mkdocs serve` nothing is precached: an edited page must show
    # at once, not from a cache (the worker then only goes to the network).
    precache, extras = ([], []) if serving else collect(site)
    digest = hashlib.sha256()
    for path in precache + extras:
        digest.update(path.encode() + b"\0")
        digest.update(hashlib.sha256((site / path).read_bytes()).digest())
    filled = template
    for name, value in (
        ("VERSION", digest.hexdigest()[:16]),
        ("PRECACHE", precache),
        ("EXTRAS", extras),
    ):
        line = re.compile(rf"^const {name} = .*;$", re.M)
        text = f"const {name} = {json.dumps(value, indent=2)};"
        filled, n = line.subn(lambda _m, t=text: t, filled, count=1)
        if n != 1:
            raise ValueError(f"{TEMPLATE}: no `const {name} = ...;` line")
    (site / WORKER).write_text(filled, encoding="utf-8")
    return precache, extras


# `mkdocs serve` loads the hooks afresh for every rebuild, after the one
# on_startup call: the flag lives in this process's environment.
SERVING = "GPT_NOTES_MKDOCS_SERVE"


def on_startup(command, dirty):
    if command == "serve":
        os.environ[SERVING] = "1"


def on_files(files, config):
    template = files.get_file_from_path(TEMPLATE)
    if template is not None:
        files.remove(template)
    return files


@event_priority(-110)
def on_post_build(config) -> None:
    template = Path(config["docs_dir"]) / TEMPLATE
    if not template.is_file():
        return  # a trimmed copy of the project without the offline files
    site = Path(config["site_dir"])
    template_text = template.read_text(encoding="utf-8")
    serving = os.environ.get(SERVING) == "1"
    precache, extras = write_worker(site, template_text, serving)
    log.info(
        "offline: precache %d files, %.2f MB; extras %.2f MB",
        len(precache),
        size(site, precache) / 1e6,
        size(site, extras) / 1e6,
    )


if __name__ == "__main__":
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    precache, extras = collect(site)
    for label, paths in (("precache", precache), ("extras", extras)):
        for p in paths:
            print(f"{label:8} {(site / p).stat().st_size:>9} {p}")
        print(f"{label}: {len(paths)} files, {size(site, paths)} bytes")
