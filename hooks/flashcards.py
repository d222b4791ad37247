"""Render the flashcard deck (flashcards/cards.yml) on docs/flashcards.md.

The page holds a `<!-- flashcards -->` marker; this hook replaces it with
one collapsible question box per card, grouped by topic, each answer
linking to the page that explains it. The deck has one source: the same
YAML feeds the Anki package and the CSV (tools/flashcards_export.py).
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CARDS = ROOT / "flashcards" / "cards.yml"
MARKER = "<!-- flashcards -->"
FIELDS = ("id", "topic", "page", "q", "a")


def load_cards(path: Path = CARDS) -> tuple[str, list[dict]]:
    """(deck name, cards), checked: every field present, ids unique."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cards = data["cards"]
    seen = set()
    for card in cards:
        missing = [f for f in FIELDS if not str(card.get(f, "")).strip()]
        if missing:
            raise ValueError(f"card {card.get('id')!r} lacks {missing}")
        if card["id"] in seen:
            raise ValueError(f"duplicate card id {card['id']!r}")
        seen.add(card["id"])
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
    """Markdown for the deck: a heading per topic, a `???` box per card."""
    out, topic = [], None
    for card in cards:
        if card["topic"] != topic:
            topic = card["topic"]
            out.append(f"## {topic}\n")
        q = card["q"].replace('"', "&quot;")
        out.append(f'??? question "{q}"\n')
        out.append(f"    {card['a'].strip()}\n")
        out.append(
            f"    *More:* [{page_title(card['page'])}]({card['page']})\n"
        )
    return "\n".join(out)


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER not in markdown:
        return markdown
    _, cards = load_cards()
    return markdown.replace(MARKER, render_markdown(cards))
