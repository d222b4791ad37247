"""The flashcard exports hold every card of flashcards/cards.yml."""

import csv
import html
import sqlite3
import zipfile
from pathlib import Path

import pytest

from hooks.flashcards import CARDS, load_cards, render_markdown
from tests.support import need_module

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    need_module("genanki")
    from tools.flashcards_export import export

    out = tmp_path_factory.mktemp("anki")
    return export(out)


def test_deck_is_valid_and_pages_exist():
    _, cards = load_cards()
    assert len(cards) >= 20
    for card in cards:
        assert (ROOT / "docs" / card["page"]).is_file(), card["page"]


def test_apkg_holds_every_card(exported, tmp_path):
    apkg, _ = exported
    _, cards = load_cards()
    with zipfile.ZipFile(apkg) as z:
        assert "collection.anki2" in z.namelist()
        z.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        notes = [
            row[0].split("\x1f")
            for row in db.execute("SELECT flds FROM notes")
        ]
        n_cards = db.execute("SELECT count(*) FROM cards").fetchone()[0]
    finally:
        db.close()
    assert len(notes) == len(cards) == n_cards
    fronts = {fields[0] for fields in notes}

    for card in cards:
        assert html.escape(card["q"]) in fronts, card["id"]


def test_csv_holds_every_card(exported):
    _, csv_path = exported
    _, cards = load_cards()
    with csv_path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == [c["id"] for c in cards]
    for row, card in zip(rows, cards, strict=True):
        assert row["question"] == card["q"]
        assert row["answer"] == card["a"].strip()


def test_page_renders_every_card():
    _, cards = load_cards()
    md = render_markdown(cards)
    assert md.count('??? question "') == len(cards)
    assert (ROOT / "docs" / "flashcards.md").read_text().count(
        "<!-- flashcards -->"
    ) == 1
    assert CARDS.is_file()
