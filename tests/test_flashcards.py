"""The flashcard deck: its checks, how the page renders it, and the
exports that hold every card of flashcards/cards.yml."""

import csv
import html
import sqlite3
import zipfile
from pathlib import Path

import pytest

from hooks.flashcards import (
    CARDS,
    SKILLS,
    DeckError,
    load_cards,
    render_markdown,
    skill_ids,
)
from tests.support import need_module

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    need_module("genanki")
    from flashcards_export import export

    out = tmp_path_factory.mktemp("anki")
    return export(out)


def test_deck_is_valid_and_pages_exist():
    _, cards = load_cards()
    assert len(cards) >= 20
    for card in cards:
        page = card["page"].split("#")[0]
        assert (ROOT / "docs" / page).is_file(), card["page"]


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


def test_every_card_has_a_known_skill_and_every_skill_has_cards():
    _, cards = load_cards()
    skills = skill_ids()
    per_skill = {s: 0 for s in skills}
    for card in cards:
        per_skill[card["skill"]] += 1
    assert min(per_skill.values()) >= 4, per_skill


def test_page_renders_every_card():
    _, cards = load_cards()
    md = render_markdown(cards)
    assert md.count('??? question "') == len(cards)
    assert (ROOT / "docs" / "flashcards.md").read_text().count(
        "<!-- flashcards -->"
    ) == 1
    assert CARDS.is_file()


# ------------------------------------------------ checks on a bad deck

CARD = """  - id: {id}
    topic: T
{skill}    page: how-to-read.md
    q: Q?
    a: A.
"""


def _deck(tmp_path, *cards: str) -> Path:
    path = tmp_path / "cards.yml"
    path.write_text("deck: D\ncards:\n" + "".join(cards), encoding="utf-8")
    return path


def _card(id_: str, skill: str | None = "icl") -> str:
    line = f"    skill: {skill}\n" if skill is not None else ""
    return CARD.format(id=id_, skill=line)


def test_a_card_with_an_unknown_skill_is_refused(tmp_path):
    deck = _deck(tmp_path, _card("fine"), _card("odd-one", "no-such-skill"))
    with pytest.raises(DeckError) as e:
        load_cards(deck, SKILLS)
    msg = str(e.value)
    assert f"{deck}: card #2 ('odd-one'): has skill 'no-such-skill'" in msg
    assert "study/skills.yml" in msg


def test_a_card_without_a_skill_is_refused(tmp_path):
    deck = _deck(tmp_path, _card("fine"), _card("bare", None))
    with pytest.raises(
        DeckError, match=r"card #2 \('bare'\): lacks \['skill'\]"
    ):
        load_cards(deck, SKILLS)


@pytest.mark.parametrize(
    ("cards", "message"),
    [
        (["dup", "dup"], r"card #2 \('dup'\): duplicate id"),
        (["Not A Slug"], r"card #1 \('Not A Slug'\): id must be written"),
    ],
)
def test_bad_ids_are_refused(tmp_path, cards, message):
    deck = _deck(tmp_path, *(_card(c) for c in cards))
    with pytest.raises(DeckError, match=message):
        load_cards(deck, SKILLS)


# Defect 3 of issue 21: each of these stopped the build with a Python
# error (AttributeError: 'int' object has no attribute 'get', KeyError:
# 'cards', KeyError: 'deck') instead of naming the file and the card.
BROKEN_DECKS = {
    "a card that is a number": (
        "deck: D\ncards:\n"
        + CARD.format(id="fine", skill="    skill: icl\n")
        + "  - 3\n",
        "card #2: is not a mapping of fields (got 3)",
    ),
    "a card that is a string": (
        "deck: D\ncards:\n  - just some text\n",
        "card #1: is not a mapping of fields (got 'just some text')",
    ),
    "no cards key": ("deck: D\n", "has no `cards:` list of cards"),
    "cards not a list": ("deck: D\ncards: 3\n", "has no `cards:` list"),
    "no deck key": (
        "cards:\n" + CARD.format(id="fine", skill="    skill: icl\n"),
        "has no `deck:`",
    ),
    "not a mapping at all": ("- 1\n- 2\n", "must be a mapping"),
    "empty file": ("", "must be a mapping"),
}


@pytest.mark.parametrize("case", list(BROKEN_DECKS))
def test_a_broken_deck_names_the_file_and_the_card(tmp_path, case):
    text, says = BROKEN_DECKS[case]
    deck = tmp_path / "cards.yml"
    deck.write_text(text, encoding="utf-8")
    with pytest.raises(DeckError) as e:
        load_cards(deck, SKILLS)
    assert str(e.value).startswith(f"{deck}: "), e.value
    assert says in str(e.value), e.value


def test_the_strict_build_names_the_file_and_the_card(tmp_path):
    """A bad skill stops `mkdocs build` with the file and card named."""
    from tests.support import REVIEW_DECK, build_review_site

    bad = REVIEW_DECK.read_text(encoding="utf-8").replace(
        "skill: moe-routing", "skill: moe-routeing"
    )
    assert bad != REVIEW_DECK.read_text(encoding="utf-8")
    fixture = tmp_path / "bad.yml"
    fixture.write_text(bad, encoding="utf-8")
    with pytest.raises(AssertionError) as e:
        build_review_site(tmp_path / "copy", deck=fixture)
    log = str(e.value)
    says = (
        "flashcards/cards.yml: card #3 ('t-three'): has skill 'moe-routeing'"
    )
    assert says in log, log[-2000:]


def test_a_card_that_is_not_a_mapping_stops_the_build_by_name(tmp_path):
    """Defect 3, through `mkdocs build`: a plain PluginError line naming
    the file and the card, no Python traceback."""
    from tests.support import REVIEW_DECK, build_review_site

    bad = REVIEW_DECK.read_text(encoding="utf-8") + "  - 42\n"
    fixture = tmp_path / "bad.yml"
    fixture.write_text(bad, encoding="utf-8")
    with pytest.raises(AssertionError) as e:
        build_review_site(tmp_path / "copy", deck=fixture)
    log = str(e.value)
    assert "flashcards/cards.yml: card #6: is not a mapping" in log, log[
        -2000:
    ]
    assert "Traceback" not in log and "AttributeError" not in log, log


# ------------------------------------------- answers stay in their box


def test_every_paragraph_of_an_answer_stays_in_its_box():
    import markdown

    answer = "First paragraph.\n\nSecond paragraph.\n\n- a list item"
    card = {
        "id": "c",
        "topic": "T",
        "skill": "icl",
        "page": "how-to-read.md",
        "q": "Q?",
        "a": answer,
    }
    html_out = markdown.markdown(
        render_markdown([card]),
        extensions=["admonition", "pymdownx.details", "md_in_html"],
    )
    box = html_out[html_out.index("<details") : html_out.index("</details>")]
    for part in ("First paragraph.", "Second paragraph.", "a list item"):
        assert part in box, html_out
    assert "More:" in box and 'data-card="c"' in box


def test_anki_keeps_the_paragraphs_of_an_answer_apart():
    from flashcards_export import anki_fields

    card = {
        "q": "Q?",
        "a": "One & two.\n\nThree.\n",
        "topic": "T",
        "page": "how-to-read.md",
    }
    answer = anki_fields(card)[1]
    assert answer.startswith("One &amp; two.<br><br>Three.<br><br><i>More:")


def test_make_anki_needs_only_its_own_lock(tmp_path):
    """`make anki` installs requirements-anki.txt (PyYAML, genanki) and
    nothing else: the exporter must not import Markdown, Jinja2 or MkDocs
    (it used to, through hooks/flashcards.py)."""
    import subprocess
    import sys

    need_module("genanki")
    blocked = ("markdown", "jinja2", "mkdocs", "pymdownx")
    code = (
        "import runpy, sys\n"
        f"sys.modules.update(dict.fromkeys({blocked!r}))\n"
        "sys.path.insert(0, 'hooks')\n"
        f"sys.argv = ['flashcards_export.py', {str(tmp_path)!r}]\n"
        "runpy.run_path('hooks/flashcards_export.py', run_name='__main__')\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "gpt-series-flashcards.apkg").is_file()
