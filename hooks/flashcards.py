"""Render the flashcard deck (flashcards/cards.yml) on docs/flashcards.md.

The page holds a `<!-- flashcards -->` marker; this hook replaces it with
the review panel (filled in by docs/assets/js/flashcards-review.js) and one
collapsible question box per card, grouped by topic, each answer linking to
the page that explains it. The deck has one source: the same YAML feeds
the review mode, the Anki package and the CSV.

At every build the hook also adds to the site:
- assets/study/cards-index.js: `window.NotesCardsIndex = {cards: [{id,
  topic, skill, page, url, q_html, a_html}]}` for the review mode and the
  home page's study summary (a script, not JSON: file:// pages cannot
  fetch);
- assets/flashcards/gpt-series-flashcards.apkg and .csv, the exports that
  `make anki` also writes (the code is tools/flashcards_export.py).

Checks, each a build error naming the file and the card: every field
present, ids unique slugs, `skill` one of the ids in study/skills.yml, `page` a
page of the site. An answer may hold several paragraphs (separate them
with a blank line in a `|` block); all of them stay inside the card's box.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import textwrap
from pathlib import Path

import markdown as md_lib
import yaml

ROOT = Path(__file__).resolve().parent.parent
CARDS = ROOT / "flashcards" / "cards.yml"
SKILLS = ROOT / "study" / "skills.yml"
MARKER = "<!-- flashcards -->"
PAGE = "flashcards.md"
ID = re.compile(r"[a-z0-9][a-z0-9-]*")
FIELDS = ("id", "topic", "skill", "page", "q", "a")
INDEX_URI = "assets/study/cards-index.js"
EXPORT_DIR = "assets/flashcards"


class DeckError(ValueError):
    """A card that the build must refuse, with the file and card named."""


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def skill_ids(path: Path = SKILLS) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [s["id"] for s in data["skills"]]


def load_cards(
    path: Path = CARDS, skills: Path = SKILLS
) -> tuple[str, list[dict]]:
    """(deck name, cards), checked: every field present, ids unique, each
    skill known. Raises DeckError naming the file and the card."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cards = data["cards"]
    known = set(skill_ids(skills))
    seen = set()
    where = _rel(path)
    for n, card in enumerate(cards, 1):
        name = card.get("id") or f"number {n}"
        missing = [f for f in FIELDS if not str(card.get(f, "")).strip()]
        if missing:
            raise DeckError(
                f"{where}: card {name!r} lacks {', '.join(missing)}"
            )
        if not ID.fullmatch(str(card["id"])):
            raise DeckError(
                f"{where}: card id {card['id']!r} is not lowercase letters, "
                "digits and hyphens"
            )
        if card["id"] in seen:
            raise DeckError(f"{where}: duplicate card id {card['id']!r}")
        seen.add(card["id"])
        if card["skill"] not in known:
            raise DeckError(
                f"{where}: card {name!r} has skill {card['skill']!r}, "
                f"which is not an id in {_rel(skills)}"
            )
    return data["deck"], cards


def page_title(page: str) -> str:
    """The first heading of docs/<page>, or its file name."""
    path = ROOT / "docs" / page.split("#")[0]
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return Path(page).stem.replace("-", " ")


def render_markdown(cards: list[dict]) -> str:
    """Markdown for the deck: a heading per topic, a `???` box per card.

    Every line of the answer is indented, so a second paragraph stays in
    its box. The line under each answer links to the page that explains
    it and holds a span the review script fills with the next date.
    """
    out = ['<div class="notes-review" id="notes-review" hidden></div>\n']
    topic = None
    for card in cards:
        if card["topic"] != topic:
            topic = card["topic"]
            out.append(f"## {topic}\n")
        q = card["q"].replace('"', "&quot;")
        out.append(f'??? question "{q}"\n')
        out.append(textwrap.indent(card["a"].strip(), "    ") + "\n")
        # The empty span gets the card's next review date (review script).
        out.append(
            f"    *More:* [{page_title(card['page'])}]({card['page']})"
            f' <span class="notes-card-next" data-card="{card["id"]}">'
            "</span>\n"
        )
    return "\n".join(out)


def card_html(text: str) -> str:
    """A question or answer as HTML, for the review panel."""
    return md_lib.markdown(text.strip(), extensions=["attr_list", "tables"])


def cards_index(cards: list[dict], urls: dict[str, str]) -> str:
    """The text of assets/study/cards-index.js."""
    entries = [
        {
            "id": c["id"],
            "topic": c["topic"],
            "skill": c["skill"],
            "page": c["page"],
            "url": urls[c["page"]],
            "title": page_title(c["page"]),
            "q_html": card_html(c["q"]),
            "a_html": card_html(c["a"]),
        }
        for c in cards
    ]
    body = json.dumps({"cards": entries}, ensure_ascii=False, indent=1)
    # "</" cannot close a script element nobody wrote, but keep it tidy.
    body = body.replace("</", "<\\/")
    return (
        "// Generated by hooks/flashcards.py from flashcards/cards.yml.\n"
        f"window.NotesCardsIndex = {body};\n"
    )


def _plugin_error(e: Exception):
    from mkdocs.exceptions import PluginError

    return PluginError(f"flashcards hook: {e}")


def _page_urls(cards: list[dict], files) -> dict[str, str]:
    """Each card's `page` as a URL from the site root (gpt-1.html#x)."""
    urls = {}
    for card in cards:
        path, _, anchor = card["page"].partition("#")
        f = files.get_file_from_path(path)
        if f is None or not f.is_documentation_page():
            raise DeckError(
                f"{_rel(CARDS)}: card {card['id']!r} links to "
                f"{card['page']!r}, which is not a page of the site"
            )
        urls[card["page"]] = f.url + (f"#{anchor}" if anchor else "")
    return urls


def _exports() -> dict[str, bytes]:
    """The Anki package and the CSV, as {site path: bytes}."""
    sys.path.insert(0, str(ROOT))
    from tools.flashcards_export import export

    with tempfile.TemporaryDirectory() as tmp:
        paths = export(Path(tmp), CARDS)
        return {f"{EXPORT_DIR}/{p.name}": p.read_bytes() for p in paths}


def on_files(files, config):
    from mkdocs.structure.files import File

    if files.get_file_from_path(PAGE) is None:
        return files  # a trimmed copy of the project without the deck page
    try:
        _, cards = load_cards()
        urls = _page_urls(cards, files)
    except DeckError as e:
        raise _plugin_error(e) from None
    files.append(
        File.generated(config, INDEX_URI, content=cards_index(cards, urls))
    )
    for uri, data in _exports().items():
        files.append(File.generated(config, uri, content=data))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER not in markdown:
        return markdown
    try:
        _, cards = load_cards()
    except DeckError as e:
        raise _plugin_error(e) from None
    return markdown.replace(MARKER, render_markdown(cards))
