"""The one loader for the study data: quizzes, cards, skills and the mock
interview's questions.

    study/quizzes/<page>.yml   `page:` and `questions:`  (hooks/quiz.py)
    flashcards/cards.yml       `deck:` and `cards:`      (hooks/flashcards.py)
    study/skills.yml           `skills:`                 (hooks/assess.py)
    study/interview/*.yml      `questions:`              (hooks/interview.py)
    study/interview/walks.yml  `walks:`                  (hooks/interview.py)

Every kind goes through the same steps: read the YAML, check the file's
own keys, take its list of items, check that each item is a mapping with
every required field, check its id with the one id rule, refuse a
duplicate id, then run the kind's own checks. Any fault raises
StudyDataError, whose message names the file and the item:

    study/quizzes/gpt-1.yml: question #4 ('gpt-1/param-count'): ...
    flashcards/cards.yml: card #7: is not a mapping (got 3)

A kind is a Schema (below): file keys, list key, fields, id prefix and
a function for its own checks; load_items() does the rest. A schema that
lists its optional fields also refuses any field it does not name (a
misspelt optional field would otherwise be dropped without a word), and
check_item() applies the same rules to a list inside an item (an
interview question's rubric points, red flags and follow-ups).

Ids never change once published: readers' saved answers, scores and card
schedules are keyed by them, and so are the Anki notes of old exports.
check_id() is the rule every kind shares: a slug of a-z, 0-9 and '-' that
starts with a letter or digit, after a fixed prefix where the kind has one
(`gpt-1/` for that page's questions).

The HTML a hook adds to a page comes from the Jinja2 templates in
hooks/templates/ (render()); MkDocs already depends on Jinja2.

Hooks import this module by its bare name (`import study_data`): MkDocs
puts a hook's own folder on sys.path while it imports the hook, so the
import must sit at the top of the hook. Tests find it through pytest's
`pythonpath` (pyproject.toml); `python hooks/flashcards_export.py` finds
it beside the script.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import outputs
import yaml

# libyaml's parser when PyYAML was built with it (the wheels are): the
# same data, in a tenth of the time of the pure-Python one (0.02 against
# 0.2 s for the study files, which a build reads three times).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
QUIZZES = ROOT / "study" / "quizzes"
CARDS = ROOT / "flashcards" / "cards.yml"
SKILLS = ROOT / "study" / "skills.yml"
TEMPLATES = Path(__file__).resolve().parent / "templates"

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


class StudyDataError(ValueError):
    """Study data the build must refuse; the message names file and item."""


# ------------------------------------------------------------ the rules


def rel(path: Path, root: Path = ROOT) -> str:
    """A path as messages write it: relative to the repository."""
    path = Path(path)
    for base in (root, ROOT):
        try:
            return str(path.resolve().relative_to(Path(base).resolve()))
        except ValueError:
            continue
    return str(path)


def item_where(source: str, kind: str, n: int, item_id=None) -> str:
    """`file: kind #n ('id')`, the start of every message about an item."""
    named = f" ({item_id!r})" if item_id not in (None, "") else ""
    return f"{source}: {kind} #{n}{named}"


def fail(where: str, problem: str):
    raise StudyDataError(f"{where}: {problem}")


def check_id(value, where: str, prefix: str = "") -> str:
    """The one id rule: `[prefix/]slug`, slug = a-z, 0-9, '-' (not first)."""
    text = str(value)
    head = f"{prefix}/" if prefix else ""
    slug = text[len(head) :]
    if not text.startswith(head) or not SLUG.fullmatch(slug):
        form = f"{prefix}/<slug>" if prefix else "<slug>"
        fail(
            where,
            f"id must be written '{form}' (a-z, 0-9 and '-', not first); "
            f"got {text!r}",
        )
    return text


def page_title(page: str, root: Path = ROOT) -> str:
    """The first `# ` heading of docs/<page> (an #anchor is ignored), or
    the page's name when it has none."""
    path = root / "docs" / page.split("#")[0]
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return Path(page.split("#")[0]).stem.replace("-", " ")


def read_yaml(path: Path, root: Path = ROOT) -> dict:
    """A study file's top level, which must be a mapping."""
    source = rel(path, root)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        fail(source, f"cannot be read: {err.strerror}")
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as fast_err:
        # Parsed again by the pure-Python loader, whose message quotes
        # the offending line with a caret under the column.
        problem = fast_err
        try:
            yaml.load(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as err:
            problem = err
        fail(source, f"not valid YAML: {problem}")
    if not isinstance(data, dict):
        fail(source, "the file must be a mapping of keys (see its header)")
    return data


@dataclass(frozen=True)
class Schema:
    """What one kind of study item looks like in its files."""

    kind: str  # the item's name in messages: "card"
    list_key: str  # the top-level key holding the items: "cards"
    fields: tuple[str, ...]  # required, non-empty, "id" first if any
    file_keys: tuple[str, ...] = ()  # required top-level keys: ("deck",)
    id_prefix: Callable[[dict], str] | None = None  # from the file's keys
    check: Callable[[dict, str], None] | None = None  # the kind's own rules
    # The fields an item may have besides `fields`; None: any field.
    optional: tuple[str, ...] | None = None


def _missing(value) -> bool:
    return value is None or value in ([], {}) or not str(value).strip()


def check_item(
    item, schema: Schema, where: str, seen=None, source="", prefix=""
) -> None:
    """The shared rules for one item, `where` naming it: a mapping, no
    unknown field (when the schema lists its optional ones), every
    required field, the id rule and, given `seen` ({id: source}), no
    duplicate id."""
    if not isinstance(item, dict):
        fail(where, f"is not a mapping of fields (got {item!r})"[:200])
    if schema.optional is not None:
        known = set(schema.fields) | set(schema.optional)
        unknown = sorted(str(k) for k in item if k not in known)
        if unknown:
            fail(
                where,
                f"unknown field(s) {', '.join(unknown)} in a {schema.kind}",
            )
    missing = [f for f in schema.fields if _missing(item.get(f))]
    if missing:
        fail(where, f"lacks {missing}")
    if "id" in schema.fields:
        item_id = check_id(item["id"], where, prefix)
        if seen is not None:
            if item_id in seen:
                fail(where, f"duplicate id (also in {seen[item_id]})")
            seen[item_id] = source


def load_items(
    path: Path, schema: Schema, root: Path = ROOT, seen=None
) -> tuple[dict, list[dict]]:
    """(file's top level, items) of one file, every shared rule checked.
    `seen` ({id: source}) carries ids across files of one kind."""
    source = rel(path, root)
    data = read_yaml(path, root)
    for key in schema.file_keys:
        if not str(data.get(key) or "").strip():
            fail(source, f"has no `{key}:`")
    items = data.get(schema.list_key)
    if not isinstance(items, list) or not items:
        fail(source, f"has no `{schema.list_key}:` list of {schema.kind}s")
    prefix = schema.id_prefix(data) if schema.id_prefix else ""
    seen = {} if seen is None else seen
    for n, item in enumerate(items, 1):
        item_id = item.get("id") if isinstance(item, dict) else None
        where = item_where(source, schema.kind, n, item_id)
        check_item(item, schema, where, seen, source, prefix)
        if schema.check:
            schema.check(item, where)
    return data, items


# ---------------------------------------------------------------- skills


def _skill_check(skill: dict, where: str) -> None:
    if "|" in str(skill["skill"]) or "|" in str(skill["pages"]):
        fail(where, "'|' would break the grid's table")


SKILL = Schema(
    kind="skill",
    list_key="skills",
    fields=("id", "skill", "pages"),
    check=_skill_check,
)


def load_skills(path: Path = SKILLS, root: Path = ROOT) -> list[dict]:
    """The self-assessment skills, checked."""
    return load_items(path, SKILL, root)[1]


def skill_ids(path: Path = SKILLS, root: Path = ROOT) -> list[str]:
    return [s["id"] for s in load_skills(path, root)]


# ----------------------------------------------------------------- cards

CARD = Schema(
    kind="card",
    list_key="cards",
    fields=("id", "topic", "skill", "page", "q", "a"),
    file_keys=("deck",),
)


def load_cards(
    path: Path = CARDS, skills: Path = SKILLS, root: Path = ROOT
) -> tuple[str, list[dict]]:
    """(deck name, cards), checked; each card's skill must be a skill id."""
    known = set(skill_ids(skills, root))
    source = rel(skills, root)

    def known_skill(card: dict, where: str) -> None:
        if card["skill"] not in known:
            fail(
                where,
                f"has skill {card['skill']!r}, which is not an id in {source}",
            )

    schema = Schema(**{**CARD.__dict__, "check": known_skill})
    data, cards = load_items(path, schema, root)
    return str(data["deck"]), cards


# ------------------------------------------------------------- quizzes

QUIZ_KINDS = ("single", "multiple", "numeric", "output")
LETTERS = "abcdefghij"


@dataclass
class Question:
    qid: str
    kind: str
    q: str
    feedback: str
    source: str  # study/quizzes/x.yml, for messages
    where: str = ""  # the start of a message about this question
    options: list[dict] = field(default_factory=list)
    snippet: str | None = None
    code: str | None = None
    value: float | None = None
    tol: float | None = None
    unit: str = ""

    @property
    def correct(self) -> list[int]:
        return [i for i, o in enumerate(self.options) if o["correct"]]

    def answer_text(self) -> str:
        """The right answer as plain text, for the printed key."""
        if self.kind == "numeric":
            return f"{fmt(self.value)} {self.unit}, within {fmt(self.tol)}"
        return ", ".join(f"({LETTERS[i]})" for i in self.correct)


def fmt(x: float) -> str:
    """A number as the page writes it: 116.535, 3,840, 3.64e+03, 0.5."""
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    if 1e-4 <= abs(x) < 1e7:
        return f"{x:.6g}"
    return f"{x:.4g}"


def parse_number(text: str, where: str) -> float:
    """'116,534,784' -> 116534784.0; '174.6B' -> 1.746e11; '0.276'."""
    t = text.replace(",", "").strip()
    mult = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12, "%": 1.0}
    factor = 1.0
    if t and t[-1] in mult:
        factor, t = mult[t[-1]], t[:-1]
    try:
        return float(t) * factor
    except ValueError:
        fail(where, f"output value {text!r} is not a number")


def expand(text: str, where: str, root: Path = ROOT) -> str:
    """Resolve `{{ out NAME | KEY }}` here, so a bad reference names the
    item (hooks/outputs.py would name only the page)."""
    try:
        return outputs.expand(text, where, root)
    except outputs.OutputRefError as err:
        raise StudyDataError(str(err)) from None


def quiz_page_stem(data: dict) -> str:
    """The id prefix of a page's questions: kernels/moe.md -> kernels-moe."""
    return str(data["page"])[: -len(".md")].replace("/", "-")


QUESTION = Schema(
    kind="question",
    list_key="questions",
    fields=("id", "kind", "q", "feedback"),
    file_keys=("page",),
    id_prefix=quiz_page_stem,
)


def _question(raw: dict, where: str, source: str, root: Path) -> Question:
    kind = raw["kind"]
    if kind not in QUIZ_KINDS:
        kinds = ", ".join(QUIZ_KINDS)
        fail(where, f"unknown kind {kind!r}; use one of {kinds}")
    q = Question(
        qid=str(raw["id"]),
        kind=kind,
        q=expand(str(raw["q"]).strip(), where, root),
        feedback=expand(str(raw["feedback"]).strip(), where, root),
        source=source,
        where=where,
    )
    if kind == "numeric":
        _numeric(q, raw.get("answer"), where, root)
        return q
    opts = raw.get("options")
    if not isinstance(opts, list) or len(opts) < 2:
        fail(where, "needs at least two options")
    if kind == "output":
        name = raw.get("snippet")
        py = root / "snippets" / f"{name}.py"
        out = py.with_suffix(".out")
        if not name or not py.is_file() or not out.is_file():
            fail(where, f"snippet {name!r} needs snippets/{name}.py and .out")
        q.snippet = name
        q.code = py.read_text(encoding="utf-8").rstrip("\n")
        golden = out.read_text(encoding="utf-8").rstrip("\n")
    for i, o in enumerate(opts):
        if not isinstance(o, dict):
            fail(where, f"option {i + 1} is not a mapping")
        if kind == "output" and o.get("golden"):
            o = {"text": golden, "correct": True, "golden": True}
        elif not str(o.get("text") or "").strip():
            fail(where, f"option {i + 1} has no text")
        text = str(o["text"]).rstrip("\n")
        q.options.append(
            {
                "text": text if o.get("golden") else expand(text, where, root),
                "correct": bool(o.get("correct")),
                "golden": bool(o.get("golden")),
            }
        )
    texts = [o["text"].strip() for o in q.options]
    if len(set(texts)) != len(texts):
        fail(where, "two options have the same text")
    n = len(q.correct)
    if kind == "multiple" and n < 1:
        fail(where, "has no correct answer (mark one or more correct)")
    if kind in ("single", "output") and n != 1:
        what = "no correct answer" if n == 0 else f"{n} correct answers"
        fail(where, f"has {what}; a {kind} question needs exactly one")
    if kind == "output" and not q.options[q.correct[0]]["golden"]:
        fail(where, "the correct option must be `golden: true`")
    return q


def _numeric(q: Question, ans, where: str, root: Path) -> None:
    if not isinstance(ans, dict):
        fail(where, "has no correct answer (a numeric one needs `answer`)")
    if ("value" in ans) == ("out" in ans):
        fail(where, "answer needs exactly one of `value` or `out`")
    if "out" in ans:
        ref = ans["out"]
        if not (isinstance(ref, list) and len(ref) == 2):
            fail(where, "answer.out must be [snippet, key]")
        try:
            text = outputs.lookup(
                ref[0], str(ref[1]), int(ans.get("field", -1)), root
            )
        except outputs.OutputRefError as err:
            fail(where, str(err))
        value = parse_number(text, where) * float(ans.get("scale", 1.0))
    else:
        try:
            value = float(ans["value"])
        except (TypeError, ValueError):
            fail(where, f"answer.value {ans['value']!r} is not a number")
    tol = ans.get("tol")
    if not isinstance(tol, (int, float)) or tol < 0:
        fail(where, "answer needs a tolerance `tol` >= 0")
    if not str(ans.get("unit") or "").strip():
        fail(where, "answer needs a `unit` for the input's label")
    q.value, q.tol, q.unit = value, float(tol), str(ans["unit"])


def load_quizzes(root: Path = ROOT) -> dict[str, list[Question]]:
    """{page src path: questions}, every rule checked."""
    folder = root / "study" / "quizzes"
    pages: dict[str, list[Question]] = {}
    seen: dict[str, str] = {}
    if not folder.is_dir():
        return pages
    for path in sorted(folder.glob("*.yml")):
        source = rel(path, root)
        data = read_yaml(path, root)
        page = str(data.get("page") or "")
        if not page.endswith(".md"):
            fail(source, "needs `page: <docs path>.md`")
        if not (root / "docs" / page).is_file():
            fail(source, f"page docs/{page} does not exist")
        if page in pages:
            fail(source, f"a second quiz file for {page}")
        _, raws = load_items(path, QUESTION, root, seen)
        pages[page] = [
            _question(
                raw, item_where(source, "question", n, raw["id"]), source, root
            )
            for n, raw in enumerate(raws, 1)
        ]
    return pages


# ---------------------------------------------------- mock interview

# study/interview/*.yml, each a top-level `questions:` list:
#
#     id: interview/<slug>          # unique across files, follow-ups too
#     skill: gpt2-zero-shot         # an id in study/skills.yml
#     prompt: What the interviewer says.
#     seconds: 60                   # 30 to 180: the answer's time limit
#     rubric:                       # 3 to 6 points
#       - point: One line a strong answer covers.
#         cite: Radford et al. 2019, Sec. 2
#         see: gpt-2.md#anchor      # the page and section that explain it
#         cards: [gpt2-zero-shot]   # optional, ids in flashcards/cards.yml
#     red_flags:                    # optional: answers that lose the hire
#       - flag: An answer that loses the hire.
#         cite: ...
#         see: page.md#anchor
#     follow_ups:                   # optional probes, asked after it
#       - id: interview/<slug>      # same shape, without follow_ups; the
#         prompt: ...               # skill is the question's unless given
#         seconds: 60
#         rubric: [...]
#
# study/interview/walks.yml, a `walks:` list: `id` (a slug), `title`,
# `questions` (ids of top-level questions, in the order asked; each is
# followed by its probes). The first walk is the page's default interview.
# `{{ out NAME | KEY }}` in a prompt, point, flag, citation or title is
# resolved here. That every `see` anchor exists is checked by
# hooks/interview.py once the pages are rendered.

WALKS = "walks.yml"
SECONDS = (30, 180)
RUBRIC_SIZE = (3, 6)
SEE = re.compile(r"^(?P<page>[a-z0-9_./-]+\.md)(#(?P<anchor>[\w-]+))?$")

INTERVIEW_QUESTION = Schema(
    kind="question",
    list_key="questions",
    fields=("id", "skill", "prompt", "seconds", "rubric"),
    optional=("red_flags", "follow_ups"),
    id_prefix=lambda data: "interview",
)
FOLLOW_UP = Schema(
    kind="follow-up",
    list_key="follow_ups",
    fields=("id", "prompt", "seconds", "rubric"),
    optional=("skill", "red_flags"),
)
POINT = Schema(
    kind="rubric point",
    list_key="rubric",
    fields=("point", "cite", "see"),
    optional=("cards",),
)
RED_FLAG = Schema(
    kind="red flag",
    list_key="red_flags",
    fields=("flag", "cite", "see"),
    optional=(),
)
WALK = Schema(
    kind="walk",
    list_key="walks",
    fields=("id", "title", "questions"),
    optional=(),
)


@dataclass
class Point:
    text: str
    cite: str
    see: str
    cards: list[str] = field(default_factory=list)


@dataclass
class InterviewQuestion:
    qid: str
    skill: str
    prompt: str
    seconds: int
    rubric: list[Point]
    flags: list[Point]
    source: str  # study/interview/x.yml
    where: str  # the start of a message about this question
    parent: str | None = None
    follow_ups: list[InterviewQuestion] = field(default_factory=list)


@dataclass
class Interview:
    questions: list[InterviewQuestion]  # top-level, in file order
    walks: list[dict]
    by_id: dict[str, InterviewQuestion]  # follow-ups too


class _InterviewReader:
    """The interview's own rules, on items load_items has checked."""

    def __init__(self, root: Path, seen: dict):
        self.root = root
        skills = root / "study" / "skills.yml"
        cards = root / "flashcards" / "cards.yml"
        self.skills = set(skill_ids(skills, root))
        self.cards = set()
        if cards.is_file():
            self.cards = {c["id"] for c in load_cards(cards, skills, root)[1]}
        self.seen = seen

    def text(self, raw, where: str, what: str) -> str:
        if not isinstance(raw, str) or not raw.strip():
            fail(where, f"{what} must be non-empty text")
        return expand(raw.strip(), where, self.root)

    def see(self, raw, where: str) -> str:
        m = SEE.match(str(raw or ""))
        if not m:
            fail(where, f"see {raw!r} must be written page.md#anchor")
        if not (self.root / "docs" / m["page"]).is_file():
            fail(where, f"see {raw!r}: no page docs/{m['page']}")
        return str(raw)

    def points(self, raw: dict, where: str, schema: Schema) -> list[Point]:
        items = raw.get(schema.list_key) or []
        if not isinstance(items, list):
            fail(where, f"{schema.list_key} must be a list")
        return [
            self.point(p, item_where(where, schema.kind, n), schema)
            for n, p in enumerate(items, 1)
        ]

    def point(self, raw, where: str, schema: Schema) -> Point:
        check_item(raw, schema, where)
        key = schema.fields[0]
        text = self.text(raw[key], where, key)
        if "\n" in text:
            fail(where, f"a {key} is one line")
        cards = raw.get("cards") or []
        if not isinstance(cards, list):
            fail(where, "cards must be a list of card ids")
        for card in cards:
            if card not in self.cards:
                fail(where, f"card {card!r} is not in flashcards/cards.yml")
        return Point(
            text=text,
            cite=self.text(raw["cite"], where, "cite"),
            see=self.see(raw["see"], where),
            cards=[str(c) for c in cards],
        )

    def question(
        self,
        raw: dict,
        where: str,
        source: str,
        parent: InterviewQuestion | None = None,
    ) -> InterviewQuestion:
        skill = raw.get("skill") or (parent.skill if parent else None)
        if skill not in self.skills:
            fail(where, f"skill {skill!r} is not an id in study/skills.yml")
        seconds = raw["seconds"]
        lo, hi = SECONDS
        if (
            not isinstance(seconds, int)
            or isinstance(seconds, bool)
            or not lo <= seconds <= hi
        ):
            fail(
                where,
                f"seconds {seconds!r} must be a whole number "
                f"from {lo} to {hi}",
            )
        rubric = raw["rubric"]
        lo, hi = RUBRIC_SIZE
        if not isinstance(rubric, list) or not lo <= len(rubric) <= hi:
            n = len(rubric) if isinstance(rubric, list) else "no list"
            fail(where, f"rubric has {n} points; it needs {lo} to {hi}")
        q = InterviewQuestion(
            qid=str(raw["id"]),
            skill=skill,
            prompt=self.text(raw["prompt"], where, "prompt"),
            seconds=seconds,
            rubric=self.points(raw, where, POINT),
            flags=self.points(raw, where, RED_FLAG),
            source=source,
            where=where,
            parent=parent.qid if parent else None,
        )
        probes = raw.get("follow_ups") or []
        if not isinstance(probes, list):
            fail(where, "follow_ups must be a list")
        for n, probe in enumerate(probes, 1):
            probe_id = probe.get("id") if isinstance(probe, dict) else None
            at = item_where(where, FOLLOW_UP.kind, n, probe_id)
            check_item(probe, FOLLOW_UP, at, self.seen, source, "interview")
            q.follow_ups.append(self.question(probe, at, source, q))
        return q

    def walks(self, path: Path, top: dict) -> list[dict]:
        source = rel(path, self.root)
        out = []
        _, raws = load_items(path, WALK, self.root)
        for n, raw in enumerate(raws, 1):
            where = item_where(source, WALK.kind, n, raw["id"])
            ids = raw["questions"]
            if not isinstance(ids, list) or not all(
                isinstance(i, str) for i in ids
            ):
                fail(where, "questions must be a list of question ids")
            for qid in ids:
                if qid not in top:
                    what = (
                        "is a follow-up; list its question"
                        if qid in self.seen
                        else "is no question in study/interview"
                    )
                    fail(where, f"{qid!r} {what}")
            if len(set(ids)) != len(ids):
                fail(where, "a question is listed twice")
            title = self.text(raw["title"], where, "title")
            out.append({"id": raw["id"], "title": title, "questions": ids})
        return out


def load_interview(root: Path = ROOT) -> Interview:
    """Every interview question and walk, every rule checked."""
    folder = root / "study" / "interview"
    empty = Interview([], [], {})
    if not folder.is_dir():
        return empty
    seen: dict[str, str] = {}
    reader = _InterviewReader(root, seen)
    questions: list[InterviewQuestion] = []
    for path in sorted(folder.glob("*.yml")):
        if path.name == WALKS:
            continue
        source = rel(path, root)
        _, raws = load_items(path, INTERVIEW_QUESTION, root, seen)
        questions += [
            reader.question(
                raw, item_where(source, "question", n, raw["id"]), source
            )
            for n, raw in enumerate(raws, 1)
        ]
    if not questions:
        return empty
    by_id: dict[str, InterviewQuestion] = {}
    for q in questions:
        by_id[q.qid] = q
        by_id.update((p.qid, p) for p in q.follow_ups)
    walks = folder / WALKS
    if not walks.is_file():
        fail(rel(walks, root), "is missing: list the walks in it")
    top = {q.qid: q for q in questions}
    return Interview(questions, reader.walks(walks, top), by_id)


# ------------------------------------------------------------- templates

_env = None


def render(template: str, macro: str | None = None, /, **context) -> str:
    """hooks/templates/<template>, whole or one of its macros.

    Autoescape is off: the templates take Markdown already rendered to
    HTML, and escape plain text themselves with `| esc` (html.escape,
    which writes &quot; where Jinja's own filter writes &#34;)."""
    global _env
    if _env is None:
        import html

        import jinja2

        _env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
        )
        _env.filters["esc"] = lambda v: html.escape(str(v))
    tmpl = _env.get_template(template)
    if macro is None:
        return tmpl.render(**context)
    return str(getattr(tmpl.module, macro)(**context))
