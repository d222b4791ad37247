"""Export the flashcard deck to an Anki package and a CSV.

    python hooks/flashcards_export.py [OUT_DIR]     (default: build/)

writes OUT_DIR/gpt-series-flashcards.apkg and .csv from
flashcards/cards.yml (`make anki` runs this). The Anki model and deck ids
are fixed numbers and each note's guid comes from the card id, so a
re-import updates cards in place instead of duplicating them.

Every build also runs export() (hooks/flashcards.py puts both files on the
flashcards page), so this module lives beside the hooks and needs only
PyYAML and genanki (make anki installs no more).
"""

from __future__ import annotations

import csv
import html
import os
import sys
import zipfile
from pathlib import Path

from study_data import CARDS, ROOT, load_cards, page_title

MODEL_ID = 1_733_700_501  # fixed: never change, Anki keys notes on it
DECK_ID = 1_733_700_502
STEM = "gpt-series-flashcards"
CSV_HEADER = ["id", "topic", "question", "answer", "page"]


def anki_fields(card: dict) -> list[str]:
    more = f"More: {page_title(card['page'])} ({card['page']})"
    return [
        html.escape(card["q"]),
        # Paragraphs (blank-line separated) stay apart in Anki's HTML.
        html.escape(card["a"].strip()).replace("\n\n", "<br><br>")
        + f"<br><br><i>{html.escape(more)}</i>",
        html.escape(card["topic"]),
    ]


def _date_zip_entries(path: Path, epoch: int) -> None:
    """Give every entry of the zip at `path` the date `epoch`: with
    SOURCE_DATE_EPOCH set, genanki dates the notes and cards from it but
    stamps the zip entries with the time of writing."""
    from datetime import UTC, datetime

    stamp = datetime.fromtimestamp(max(epoch, 315532800), tz=UTC)
    with zipfile.ZipFile(path) as src:
        entries = [(i, src.read(i)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w") as out:
        for info, data in entries:
            info.date_time = stamp.timetuple()[:6]
            out.writestr(info, data)


def export(out_dir: Path, cards_path: Path = CARDS) -> tuple[Path, Path]:
    import genanki

    deck_name, cards = load_cards(cards_path)
    out_dir.mkdir(parents=True, exist_ok=True)

    model = genanki.Model(
        MODEL_ID,
        "GPT Series Notes card",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Topic"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "<small>{{Topic}}</small><br>{{Question}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}",
            }
        ],
    )
    deck = genanki.Deck(DECK_ID, deck_name)
    for card in cards:
        deck.add_note(
            genanki.Note(
                model=model,
                fields=anki_fields(card),
                guid=genanki.guid_for("gpt-series-notes", card["id"]),
                tags=[card["topic"].split(" (")[0].replace(" ", "_")],
            )
        )
    apkg = out_dir / f"{STEM}.apkg"
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    genanki.Package(deck).write_to_file(
        str(apkg), timestamp=float(epoch) if epoch else None
    )
    if epoch:
        _date_zip_entries(apkg, int(epoch))

    csv_path = out_dir / f"{STEM}.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_HEADER)
        for card in cards:
            row = [card["id"], card["topic"], card["q"], card["a"].strip()]
            writer.writerow([*row, card["page"]])
    return apkg, csv_path


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build"
    for path in export(out):
        print(f"wrote {path}")
