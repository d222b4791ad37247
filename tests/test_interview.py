"""The mock interview's data checks (study_data.load_interview, and the
anchor check of hooks/interview.py): every bad field planted in a copy of
the test fixture is refused with the one StudyDataError, naming the file
and the question, and a strict build of a trimmed copy fails on a `see`
anchor that no page has."""

from __future__ import annotations

import shutil

import pytest
from study_data import StudyDataError, load_interview

from hooks.interview import missing_anchors
from tests.harness import ROOT
from tests.support import build_site, mini_project

FIXTURE = ROOT / "tests" / "fixtures" / "interview"


def _root(tmp_path, edit=None, drop_walks=False):
    """A project root that has the real skills, cards, pages and snippets
    and the fixture as its interview data, `edit(name, text) -> text`
    applied to each fixture file."""
    for name in ("docs", "flashcards", "snippets"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "study").mkdir()
    (tmp_path / "study" / "skills.yml").symlink_to(ROOT / "study/skills.yml")
    folder = tmp_path / "study" / "interview"
    folder.mkdir()
    for f in FIXTURE.glob("*.yml"):
        if drop_walks and f.name == "walks.yml":
            continue
        text = f.read_text(encoding="utf-8")
        (folder / f.name).write_text(
            edit(f.name, text) if edit else text, encoding="utf-8"
        )
    return tmp_path


def test_the_fixture_loads(tmp_path):
    iv = load_interview(_root(tmp_path))
    assert [q.qid for q in iv.questions] == [
        "interview/fx-gpt2-drop-ft",
        "interview/fx-icl",
        "interview/fx-lineage",
    ]
    probe = iv.by_id["interview/fx-lineage-why-now"]
    assert probe.parent == "interview/fx-lineage"
    assert probe.skill == "paradigm-shifts"  # the question's, inherited
    assert iv.walks[0]["id"] == "lineage"
    point = iv.by_id["interview/fx-lineage"].rubric[0].text
    golden = (ROOT / "snippets/gpt1_param_count.out").read_text()
    line = next(ln for ln in golden.splitlines() if "label 117M" in ln)
    assert "{{" not in point and line.split()[4] in point


# (file, old text, new text, what the message says, the id it names)
FAULTS = {
    "duplicate id": (
        "gpt2.yml",
        "id: interview/fx-icl",
        "id: interview/fx-gpt2-drop-ft",
        "duplicate id",
        "interview/fx-gpt2-drop-ft",
    ),
    "id form": (
        "gpt2.yml",
        "id: interview/fx-icl",
        "id: fx-icl",
        "id must be written 'interview/<slug>'",
        "fx-icl",
    ),
    "unknown skill": (
        "gpt2.yml",
        "skill: icl",
        "skill: in-context",
        "skill 'in-context' is not an id in study/skills.yml",
        "interview/fx-icl",
    ),
    "unknown card": (
        "lineage.yml",
        "cards: [gpt1-prior-work]",
        "cards: [gpt1-no-such-card]",
        "card 'gpt1-no-such-card' is not in flashcards/cards.yml",
        "interview/fx-lineage-why-now",
    ),
    "see form": (
        "gpt2.yml",
        "see: gpt-2.md#results",
        "see: gpt-2#results",
        "must be written page.md#anchor",
        "interview/fx-gpt2-drop-ft",
    ),
    "see page": (
        "gpt2.yml",
        "see: gpt-2.md#results",
        "see: gpt-9.md#results",
        "no page docs/gpt-9.md",
        "interview/fx-gpt2-drop-ft",
    ),
    "seconds too long": (
        "gpt2.yml",
        "seconds: 60\n    rubric:\n      - point: No weights",
        "seconds: 600\n    rubric:\n      - point: No weights",
        "seconds 600 must be a whole number from 30 to 180",
        "interview/fx-icl",
    ),
    "seconds not a number": (
        "gpt2.yml",
        "seconds: 60\n    rubric:\n      - point: No weights",
        "seconds: a minute\n    rubric:\n      - point: No weights",
        "seconds 'a minute'",
        "interview/fx-icl",
    ),
    "rubric too short": (
        "gpt2.yml",
        "      - point: Zero-shot results grow with model size.\n"
        "        cite: Radford et al. 2019, Sec. 3\n"
        "        see: gpt-2.md#results\n",
        "",
        "rubric has 2 points; it needs 3 to 6",
        "interview/fx-gpt2-drop-ft",
    ),
    "rubric too long": (
        "gpt2.yml",
        "      - point: Zero-shot results grow with model size.\n",
        "      - {point: a, cite: b, see: gpt-2.md}\n" * 4
        + "      - point: Zero-shot results grow with model size.\n",
        "rubric has 7 points",
        "interview/fx-gpt2-drop-ft",
    ),
    "no prompt": (
        "gpt2.yml",
        "    prompt: Is in-context learning learning?\n",
        "",
        "lacks ['prompt']",
        "interview/fx-icl",
    ),
    "misspelt field": (
        "gpt2.yml",
        "prompt: Is in-context",
        "promt: Is in-context",
        "unknown field(s) promt",
        "interview/fx-icl",
    ),
    "point without cite": (
        "gpt2.yml",
        "        cite: Xie et al. 2022\n",
        "",
        "rubric point #2: lacks ['cite']",
        "interview/fx-icl",
    ),
    "red flag without see": (
        "lineage.yml",
        "        see: gpt-3.md#is-in-context-learning-learning\n",
        "",
        "red flag #1: lacks ['see']",
        "interview/fx-lineage",
    ),
    "point on two lines": (
        "gpt2.yml",
        "      - point: Zero-shot results grow with model size.\n",
        "      - point: |\n          Zero-shot results\n          grow.\n",
        "a point is one line",
        "interview/fx-gpt2-drop-ft",
    ),
    "bad output reference": (
        "gpt2.yml",
        "point: Zero-shot results grow with model size.",
        "point: 'Zero-shot results grow ({{ out gpt1_param_count | zzz }}).'",
        "{{ out gpt1_param_count | zzz }}",
        "interview/fx-gpt2-drop-ft",
    ),
    "probe with probes": (
        "lineage.yml",
        "        seconds: 60\n",
        "        seconds: 60\n        follow_ups: []\n",
        "unknown field(s) follow_ups in a follow-up",
        "interview/fx-lineage-why-now",
    ),
    "walk names no question": (
        "walks.yml",
        "interview/fx-gpt2-drop-ft]",
        "interview/fx-gpt3]",
        "'interview/fx-gpt3' is no question",
        "lineage",
    ),
    "walk names a probe": (
        "walks.yml",
        "interview/fx-gpt2-drop-ft]",
        "interview/fx-lineage-why-now]",
        "is a follow-up; list its question",
        "lineage",
    ),
    "walk without title": (
        "walks.yml",
        "    title: The lineage walk\n",
        "",
        "lacks ['title']",
        "lineage",
    ),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_bad_field_is_refused_naming_file_and_id(tmp_path, fault):
    name, old, new, says, qid = FAULTS[fault]

    def edit(fname, text):
        if fname != name:
            return text
        assert old in text, f"the fixture changed: {old!r}"
        return text.replace(old, new, 1)

    with pytest.raises(StudyDataError) as err:
        load_interview(_root(tmp_path, edit))
    msg = str(err.value)
    assert f"study/interview/{name}" in msg, msg
    assert says in msg and repr(qid) in msg, msg


def test_missing_walks_file_is_named(tmp_path):
    with pytest.raises(StudyDataError, match="study/interview/walks.yml"):
        load_interview(_root(tmp_path, drop_walks=True))


def test_a_see_anchor_must_exist(tmp_path):
    iv = load_interview(_root(tmp_path))

    def anchors(page):
        return None if page == "gpt-2.md" else {"two-stages", "problem-2"}

    bad = missing_anchors(iv, anchors)
    assert any(
        "study/interview/gpt2.yml: question #2 ('interview/fx-icl'): rubric "
        "point #1: links to gpt-3.md#is-in-context-learning-learning" in b
        for b in bad
    ), bad
    assert any("links to missing page 'gpt-2.md'" in b for b in bad), bad


MINI = """\
questions:
  - id: interview/mini
    skill: icl
    prompt: Say it.
    seconds: 60
    rubric:
      - {point: One, cite: A 2020, see: how-to-read.md#formulas}
      - {point: Two, cite: A 2020, see: how-to-read.md#formulas}
      - {point: Three, cite: A 2020, see: how-to-read.md#no-such-part}
"""


def test_strict_build_names_file_and_question_for_a_bad_anchor(tmp_path):
    copy = mini_project(tmp_path / "copy")
    folder = copy / "study" / "interview"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "mini.yml").write_text(MINI, encoding="utf-8")
    (folder / "walks.yml").write_text(
        "walks:\n  - {id: w, title: W, questions: [interview/mini]}\n"
    )
    (copy / "docs" / "interview.md").write_text(
        "# Mock interview\n\n<!-- interview -->\n\n## Sheet\n\n"
        "<!-- interview-sheet -->\n",
        encoding="utf-8",
    )
    cfg = copy / "mkdocs.yml"
    cfg.write_text(
        cfg.read_text().replace(
            "  - How to read these notes: how-to-read.md\n",
            "  - How to read these notes: how-to-read.md\n"
            "  - Mock interview: interview.md\n",
            1,
        )
    )
    rc, log = build_site(copy)
    assert rc != 0, "the build passed with a planted bad anchor"
    line = next(
        (ln for ln in log.splitlines() if "study/interview/" in ln), ""
    )
    assert (
        "study/interview/mini.yml: question #1 ('interview/mini')" in line
    ), log
    assert "how-to-read.md#no-such-part, no such anchor" in line, line


def test_the_question_bank_is_big_enough():
    """Issue 17: at least 40 questions, 3 for every skill, 15 with
    follow-up probes, and the lineage walk first (the page's default)."""
    import yaml

    iv = load_interview()
    skills = yaml.safe_load((ROOT / "study/skills.yml").read_text("utf-8"))
    per_skill = {s["id"]: 0 for s in skills["skills"]}
    for q in iv.questions:
        per_skill[q.skill] += 1
    assert len(iv.questions) >= 40, len(iv.questions)
    thin = {k: n for k, n in per_skill.items() if n < 3}
    assert not thin, f"skills with under 3 questions: {thin}"
    probed = sum(1 for q in iv.questions if q.follow_ups)
    assert probed >= 15, probed
    assert iv.walks[0]["id"] == "lineage", iv.walks[0]
