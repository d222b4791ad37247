"""What each chapter page costs a reader: requests, bytes, JavaScript and
time to interactive, measured in Chromium with an empty cache.

    make page-weight                          # build, then measure
    python -m tools.page_weight --site site   # an existing build
    python -m tools.page_weight --compare e162037   # and that commit's
                                                    # site, side by side

Every page is loaded in a fresh browser context (nothing cached) from a
plain static server (Python's http.server: no compression, so bytes are
the files' sizes), and every request the page and its workers make is
counted until the network is idle, the search index included. With
--compare, the commit's tree is exported (git archive) to a temporary
folder and built there with this checkout's .venv and node_modules; the
two sites are then measured taking turns, page by page, and each page's
best (lowest) domInteractive and load of --runs runs is printed, with
the ratio new/old. Timings depend on the machine and its load: compare
them only within one run. The byte budgets are held by
tests/test_static_pages.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The chapter pages the budget covers (not the print page, the notebook,
# the home page or the flashcards).
CHAPTER_PAGES = [
    "gpt-1",
    "gpt-2",
    "gpt-3",
    "instructgpt",
    "gpt-4-moe",
    "arc",
    "gpt-vs-bert",
    "mini-gpt",
    "kernels/attention",
    "kernels/moe",
    "review-plan",
    "practice",
    "cheat-sheet",
]
# Per chapter page, 1 MB = 10^6 bytes, as a plain server sends them.
BUDGET_BYTES = 1_200_000
BUDGET_JS_BYTES = 350_000

TIMING = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return {domInteractive: nav.domInteractive, load: nav.loadEventEnd};
}"""


def is_js(url: str, content_type: str) -> bool:
    return url.split("?")[0].endswith((".js", ".mjs")) or (
        "javascript" in content_type
    )


def measure(browser, url: str) -> dict:
    """One cold load of a page: requests, bytes, JS bytes, timings (ms).

    The service worker is blocked: after the page's load it would fetch
    the whole precache (held to hooks/offline.py's BUDGET_BYTES by
    tests/test_offline.py), which is not what opening the page costs.
    """
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    rows: list[tuple[str, int, bool]] = []

    def done(request):
        response = request.response()
        if response is None:
            return
        size = request.sizes()["responseBodySize"]
        kind = response.headers.get("content-type", "")
        rows.append((request.url, size, is_js(request.url, kind)))

    page.on("requestfinished", done)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    timing = page.evaluate(TIMING)
    context.close()
    return {
        "requests": len(rows),
        "bytes": sum(size for _, size, _ in rows),
        "js_bytes": sum(size for _, size, js in rows if js),
        "domInteractive": timing["domInteractive"],
        "load": timing["load"],
        "urls": rows,
    }


def build(checkout: Path, out: Path) -> None:
    mkdocs = ROOT / ".venv" / "bin" / "mkdocs"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    res = subprocess.run(
        [str(mkdocs), "build", "--strict", "-q", "-d", str(out)],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        raise SystemExit(
            f"mkdocs build in {checkout} failed:\n{res.stdout}{res.stderr}"
        )


def export_commit(commit: str, dest: Path) -> None:
    """The commit's files (git archive, no worktree), with this
    checkout's node_modules."""
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")


def fmt_row(stem: str, m: dict, old: dict | None = None) -> str:
    row = (
        f"{stem:<18} {m['requests']:>4} {m['bytes'] / 1e6:>7.2f} MB "
        f"{m['js_bytes'] / 1e3:>7.0f} KB {m['domInteractive']:>7.0f} ms "
        f"{m['load']:>7.0f} ms"
    )
    if old is not None:
        ratio = m["domInteractive"] / max(old["domInteractive"], 1e-9)
        row += (
            f" | {old['requests']:>4} {old['bytes'] / 1e6:>6.2f} MB "
            f"{old['js_bytes'] / 1e3:>6.0f} KB "
            f"{old['domInteractive']:>6.0f} ms {old['load']:>6.0f} ms"
            f" | {ratio:>5.2f}"
        )
    return row


def best(runs: list[dict]) -> dict:
    out = dict(runs[0])
    out["domInteractive"] = min(r["domInteractive"] for r in runs)
    out["load"] = min(r["load"] for r in runs)
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="measure this build")
    parser.add_argument("--compare", metavar="COMMIT")
    parser.add_argument(
        "--compare-site",
        type=Path,
        help="the --compare commit's site, already built (skips its build)",
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    from tools.lib import (
        CHROMIUM,
        CHROMIUM_ARGS,
        SiteServer,
        sync_playwright_or_exit,
    )

    tmp = Path(tempfile.mkdtemp(prefix="page-weight-"))
    try:
        site = args.site
        if site is None:
            site = tmp / "site"
            print("building this checkout ...", flush=True)
            build(ROOT, site)
        old_site = None
        if args.compare_site:
            old_site = args.compare_site
        elif args.compare:
            print(f"building {args.compare} beside it ...", flush=True)
            export_commit(args.compare, tmp / "old")
            old_site = tmp / "old-site"
            build(tmp / "old", old_site)
        sync_playwright = sync_playwright_or_exit()
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            with SiteServer(site) as new:
                old = SiteServer(old_site) if old_site else None
                if old:
                    old.__enter__()
                try:
                    results = {}
                    for stem in CHAPTER_PAGES:
                        news, olds = [], []
                        for _ in range(args.runs if old else 1):
                            news.append(
                                measure(browser, new.base + f"{stem}.html")
                            )
                            if old:
                                olds.append(
                                    measure(browser, old.base + f"{stem}.html")
                                )
                        results[stem] = (
                            best(news),
                            best(olds) if olds else None,
                        )
                finally:
                    if old:
                        old.__exit__(None, None, None)
            browser.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    head = (
        f"{'page':<18} {'req':>4} {'bytes':>10} {'JS':>10} "
        f"{'domInter.':>10} {'load':>10}"
    )
    if args.compare:
        head += f" | {args.compare}: req, bytes, JS, domInter., load | ratio"
    print(head)
    over = []
    for stem, (m, o) in results.items():
        print(fmt_row(stem, m, o))
        if m["bytes"] > BUDGET_BYTES or m["js_bytes"] > BUDGET_JS_BYTES:
            over.append(stem)
    if args.compare:
        ratios = [
            m["domInteractive"] / o["domInteractive"]
            for m, o in results.values()
        ]
        print(
            f"domInteractive new/old: worst {max(ratios):.2f}, "
            f"median {sorted(ratios)[len(ratios) // 2]:.2f} "
            f"(best of {args.runs}, taking turns; target <= 0.6)"
        )
    print(
        f"budget per page: {BUDGET_BYTES / 1e6:.1f} MB, "
        f"{BUDGET_JS_BYTES / 1e3:.0f} KB of JavaScript; over: "
        + (", ".join(over) or "none")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
