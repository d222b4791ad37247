"""Serve pinned browser assets from node_modules, so no page needs a CDN.

KaTeX's CSS and fonts, the iframe-worker shim and ts-fsrs are npm
packages pinned in package.json and package-lock.json (`npm ci
--ignore-scripts`). This hook adds the few files the site uses to the
build under assets/vendor/, so nothing vendored is committed and
`mkdocs serve` and `build` see the same files. If node_modules is
missing, the build stops and says what to run.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"

# (site path under assets/vendor/, file or folder in node_modules, glob)
VENDORED = [
    # Math is typeset while the site builds (hooks/typeset.py); pages need
    # KaTeX's CSS and every font file it names (woff2, woff and ttf: a
    # browser takes the first format it supports, so each URL must hold a
    # file, or a browser without woff2 falls back to no font at all).
    ("katex/katex.min.css", "katex/dist/katex.min.css", None),
    ("katex/fonts", "katex/dist/fonts", "KaTeX_*"),
    ("iframe-worker/shim.js", "iframe-worker/shim/index.js", None),
    # FSRS for the flashcards' review mode (a global `FSRS`).
    ("ts-fsrs/index.umd.js", "ts-fsrs/dist/index.umd.js", None),
]


def vendored_files() -> list[tuple[str, Path]]:
    """Every (site path, source file) pair the hook adds."""
    pairs = []
    for dest, src, pattern in VENDORED:
        path = NODE_MODULES / src
        if pattern is None:
            if not path.is_file():
                raise PluginError(
                    f"vendor hook: {path.relative_to(ROOT)} is missing; "
                    "run `npm ci --ignore-scripts` (or `make deps`) first"
                )
            pairs.append((f"assets/vendor/{dest}", path))
            continue
        found = sorted(path.glob(pattern))
        if not found:
            raise PluginError(
                f"vendor hook: no {pattern} under {path.relative_to(ROOT)}; "
                "run `npm ci --ignore-scripts` (or `make deps`) first"
            )
        for f in found:
            pairs.append((f"assets/vendor/{dest}/{f.name}", f))
    return pairs


def on_files(files, config):
    for uri, path in vendored_files():
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files
