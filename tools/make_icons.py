"""Draw the web app icons from the site's logo, with Chromium.

    python -m tools.make_icons      # writes docs/assets/offline/icon-*.png

The logo is Material's `book-open-page-variant` icon (mkdocs.yml
theme.icon.logo), drawn white on the header's indigo, at 192 and 512
pixels, with room around it for the circle or squircle a phone crops to
(a "maskable" icon keeps its drawing inside the middle 80%). Run it again
only when the logo changes; the PNGs are committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tools.lib import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    sync_playwright_or_exit,
)

OUT = ROOT / "docs" / "assets" / "offline"
SIZES = (192, 512)
INDIGO = "#3f51b5"  # Material's "indigo" primary, the header's colour


def logo_svg() -> str:
    import material

    icons = Path(material.__file__).parent / "templates" / ".icons"
    return (icons / "material" / "book-open-page-variant.svg").read_text()


def main() -> int:
    svg = logo_svg().replace("<svg ", '<svg fill="#fff" ', 1)
    sync_playwright = sync_playwright_or_exit()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        for size in SIZES:
            page = browser.new_page(viewport={"width": size, "height": size})
            pad = round(size * 0.2)
            page.set_content(
                "<style>html,body{margin:0;background:" + INDIGO + "}"
                f"svg{{position:absolute;left:{pad}px;top:{pad}px;"
                f"width:{size - 2 * pad}px;height:{size - 2 * pad}px}}"
                "</style>" + svg
            )
            out = OUT / f"icon-{size}.png"
            page.screenshot(path=str(out), omit_background=False)
            page.close()
            print(f"wrote {out.relative_to(ROOT)}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
