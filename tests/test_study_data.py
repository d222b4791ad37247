"""The one study-data loader (hooks/study_data.py): its id rule, its
page-title reader, its error messages, and a new kind added by a schema.

The quizzes, the deck and the skills each have their own tests
(test_quiz.py, test_flashcards.py, test_assess.py); this file holds what
the three share.
"""

from __future__ import annotations

import pytest
import study_data
from study_data import (
    Schema,
    StudyDataError,
    check_id,
    load_cards,
    load_items,
    load_quizzes,
    load_skills,
    page_title,
)


def test_every_published_id_passes_the_one_rule():
    """No existing id may change (saved answers, schedules and Anki notes
    key on them): the shared rule accepts every one of them as it is."""
    kinds = [
        [q.qid for qs in load_quizzes().values() for q in qs],
        [c["id"] for c in load_cards()[1]],
        [s["id"] for s in load_skills()],
    ]
    assert all(len(set(ids)) == len(ids) for ids in kinds)
    ids = [i for ids in kinds for i in ids]
    assert len(ids) > 140, len(ids)
    for qid in ids:
        prefix = qid.rpartition("/")[0]
        assert check_id(qid, "here", prefix) == qid


@pytest.mark.parametrize(
    ("value", "prefix"),
    [
        ("Upper", ""),
        ("-lead", ""),
        ("sp ace", ""),
        ("gpt-1/x", ""),
        ("gpt-2/x", "gpt-1"),
        ("gpt-1/", "gpt-1"),
        ("gpt-1/_x", "gpt-1"),
    ],
)
def test_the_id_rule_refuses(value, prefix):
    with pytest.raises(StudyDataError, match=r"^f\.yml: card #2: id must"):
        check_id(value, "f.yml: card #2", prefix)


def test_page_title_reads_the_first_heading():
    assert page_title("gpt-1.md") == "GPT-1 (2018)"
    assert page_title("gpt-1.md#results") == "GPT-1 (2018)"
    assert page_title("no-such-page.md") == "no such page"


def test_a_file_that_is_not_yaml_names_the_file(tmp_path):
    bad = tmp_path / "skills.yml"
    bad.write_text("skills:\n  - id: [unclosed\n  - id: b\n", "utf-8")
    with pytest.raises(StudyDataError, match=r"skills\.yml: not valid YAML"):
        load_skills(bad)
    # libyaml reads the files; its message has no excerpt, so the error
    # comes from the pure-Python parser, which quotes the line at fault.
    with pytest.raises(StudyDataError) as err:
        load_skills(bad)
    assert "line 3, column" in str(err.value), err.value
    assert "  - id: b\n" in str(err.value), err.value


# A fourth kind, the way interview questions would come in: a schema and
# one function for the kind's own rules; reading, ids, duplicates and the
# messages come from load_items.
def _rubric(item: dict, where: str) -> None:
    rubric = item["rubric"]
    if not isinstance(rubric, list) or not all(
        isinstance(r, dict) and r.get("point") for r in rubric
    ):
        study_data.fail(where, "rubric must be a list of {point: ...}")


INTERVIEW = Schema(
    kind="question",
    list_key="questions",
    fields=("id", "skill", "prompt", "seconds", "rubric"),
    id_prefix=lambda data: "interview",
    check=_rubric,
)
GOOD = """\
questions:
  - id: interview/why-decoder
    skill: gpt-vs-bert
    prompt: Why did GPT keep a decoder only?
    seconds: 60
    rubric:
      - point: Generation is the training task.
"""


def test_a_new_kind_is_a_schema(tmp_path):
    path = tmp_path / "why.yml"
    path.write_text(GOOD, encoding="utf-8")
    _, items = load_items(path, INTERVIEW)
    assert [i["id"] for i in items] == ["interview/why-decoder"]


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("interview/why-decoder", "why-decoder", "#1 ('why-decoder'): id"),
        ("    seconds: 60\n", "", "#1 ('interview/why-decoder'): lacks"),
        ("      - point: Generation", "      - pint: Generation", "rubric"),
        ("  - id: interview/why-decoder\n", "  - 7\n  - id: x\n", "#1: is"),
    ],
)
def test_a_new_kind_gets_the_shared_messages(tmp_path, old, new, says):
    path = tmp_path / "why.yml"
    assert old in GOOD
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(StudyDataError) as err:
        load_items(path, INTERVIEW)
    assert str(err.value).startswith(f"{path}: question #"), err.value
    assert says in str(err.value), err.value
