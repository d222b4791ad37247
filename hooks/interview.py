"""The mock interview (docs/interview.md) from study/interview/*.yml.

Two parts, kept apart so the loading can move into the one study-data
loader later:

1. `load_interview(root)`: reads every `study/interview/*.yml` (a
   top-level `questions:` list) and `study/interview/walks.yml` (a
   `walks:` list), checks every field against SCHEMA below and raises
   InterviewError naming the file and the question. `{{ out NAME | KEY }}`
   in a prompt, point, flag or citation is resolved here, as the quizzes
   do (hooks/outputs.py).
2. The MkDocs hooks: docs/interview.md holds the marker
   `<!-- interview -->`; it becomes the host the script fills
   (docs/assets/js/interview.js), a note for readers without scripts, and
   the printable sheet (questions and probes with room to write, then the
   rubric as the answer key). The page gets the question data as a JSON
   block (not a script: file:// pages cannot fetch, and JSON runs
   nothing). Every `see` link is checked once all pages are rendered:
   page and anchor must exist.

A question:

    id: interview/<slug>          # unique across files, follow-ups too
    skill: gpt2-zero-shot         # an id in study/skills.yml
    prompt: What the interviewer says.
    seconds: 60                   # 30 to 180: the answer's time limit
    rubric:                       # 3 to 6 points
      - point: One line a strong answer covers.
        cite: Radford et al. 2019, Sec. 2
        see: gpt-2.md#anchor      # the page and section that explain it
        cards: [gpt2-zero-shot]   # optional, ids in flashcards/cards.yml
    red_flags:                    # optional: answers that lose the hire
      - flag: An answer that loses the hire.
        cite: ...
        see: page.md#anchor
    follow_ups:                   # optional probes, asked after it
      - id: interview/<slug>      # same shape, without follow_ups; the
        prompt: ...               # skill is the question's unless given
        seconds: 60
        rubric: [...]

A walk (walks.yml): `id` (a slug), `title`, `questions` (ids of top-level
questions, in the order asked; each is followed by its probes). The first
walk is the page's default interview.
"""

from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FOLDER = "study/interview"
WALKS = "walks.yml"
PAGE = "interview.md"
MARKER = "<!-- interview -->"
DATA_ID = "interview-data"
STYLE = "assets/css/interview.css"
SCRIPT = "assets/js/interview.js"
SECONDS = (30, 180)
RUBRIC_SIZE = (3, 6)
QID = re.compile(r"^interview/[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SEE = re.compile(r"^(?P<page>[a-z0-9_./-]+\.md)(#(?P<anchor>[\w-]+))?$")

# Allowed keys of each mapping: required, then optional.
SCHEMA = {
    "question": (
        ("id", "skill", "prompt", "seconds", "rubric"),
        ("red_flags", "follow_ups"),
    ),
    "follow_up": (
        ("id", "prompt", "seconds", "rubric"),
        ("skill", "red_flags"),
    ),
    "point": (("point", "cite", "see"), ("cards",)),
    "red_flag": (("flag", "cite", "see"), ()),
    "walk": (("id", "title", "questions"), ()),
}


class InterviewError(ValueError):
    """Interview data the build must refuse; names the file and the id."""


@dataclass
class Point:
    text: str
    cite: str
    see: str
    cards: list[str] = field(default_factory=list)


@dataclass
class Question:
    qid: str
    skill: str
    prompt: str
    seconds: int
    rubric: list[Point]
    flags: list[Point]
    source: str
    parent: str | None = None
    follow_ups: list[Question] = field(default_factory=list)


@dataclass
class Interview:
    questions: list[Question]  # top-level, in file order
    walks: list[dict]
    by_id: dict[str, Question]


def _outputs():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from hooks import outputs

    return outputs


def _ids(path: Path, key: str) -> set[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(x.get("id")) for x in data.get(key) or []}


def _shape(raw, kind: str, where: str) -> dict:
    required, optional = SCHEMA[kind]
    if not isinstance(raw, dict):
        raise InterviewError(f"{where}: a {kind} must be a mapping")
    unknown = sorted(set(raw) - set(required) - set(optional))
    if unknown:
        raise InterviewError(
            f"{where}: unknown field(s) {', '.join(unknown)} in a {kind}"
        )
    missing = [k for k in required if raw.get(k) in (None, "", [])]
    if missing:
        raise InterviewError(f"{where}: {kind} lacks {', '.join(missing)}")
    return raw


class _Loader:
    def __init__(self, root: Path):
        self.root = root
        self.skills = _ids(root / "study" / "skills.yml", "skills")
        cards = root / "flashcards" / "cards.yml"
        self.cards = _ids(cards, "cards") if cards.is_file() else set()
        self.seen: dict[str, str] = {}

    def text(self, raw, where: str, what: str) -> str:
        if not isinstance(raw, str) or not raw.strip():
            raise InterviewError(f"{where}: {what} must be non-empty text")
        try:
            return _outputs().expand(raw.strip(), where, self.root)
        except _outputs().OutputRefError as err:
            raise InterviewError(str(err)) from None

    def see(self, raw, where: str) -> str:
        m = SEE.match(str(raw or ""))
        if not m:
            raise InterviewError(
                f"{where}: see {raw!r} must be written page.md#anchor"
            )
        if not (self.root / "docs" / m["page"]).is_file():
            raise InterviewError(
                f"{where}: see {raw!r}: no page docs/{m['page']}"
            )
        return str(raw)

    def point(self, raw, where: str, kind: str) -> Point:
        raw = _shape(raw, kind, where)
        key = "point" if kind == "point" else "flag"
        text = self.text(raw[key], where, key)
        if "\n" in text:
            raise InterviewError(f"{where}: a {key} is one line")
        cards = raw.get("cards") or []
        if not isinstance(cards, list):
            raise InterviewError(f"{where}: cards must be a list of card ids")
        for card in cards:
            if card not in self.cards:
                raise InterviewError(
                    f"{where}: card {card!r} is not in flashcards/cards.yml"
                )
        return Point(
            text=text,
            cite=self.text(raw["cite"], where, "cite"),
            see=self.see(raw["see"], where),
            cards=[str(c) for c in cards],
        )

    def question(
        self, raw, source: str, parent: Question | None = None
    ) -> Question:
        kind = "follow_up" if parent else "question"
        qid = raw.get("id") if isinstance(raw, dict) else None
        where = f"{source}: question {qid!r}"
        raw = _shape(raw, kind, where)
        if not QID.match(str(qid)):
            raise InterviewError(
                f"{where}: id must be written 'interview/<slug>' (a-z, 0-9, -)"
            )
        if qid in self.seen:
            raise InterviewError(
                f"{where}: duplicate id (also in {self.seen[qid]})"
            )
        self.seen[qid] = source
        skill = raw.get("skill") or (parent.skill if parent else None)
        if skill not in self.skills:
            raise InterviewError(
                f"{where}: skill {skill!r} is not an id in study/skills.yml"
            )
        seconds = raw["seconds"]
        lo, hi = SECONDS
        if (
            not isinstance(seconds, int)
            or isinstance(seconds, bool)
            or not lo <= seconds <= hi
        ):
            raise InterviewError(
                f"{where}: seconds {seconds!r} must be a whole number "
                f"from {lo} to {hi}"
            )
        rubric = raw["rubric"]
        lo, hi = RUBRIC_SIZE
        if not isinstance(rubric, list) or not lo <= len(rubric) <= hi:
            n = len(rubric) if isinstance(rubric, list) else "no list"
            raise InterviewError(
                f"{where}: rubric has {n} points; it needs {lo} to {hi}"
            )
        flags = raw.get("red_flags") or []
        if not isinstance(flags, list):
            raise InterviewError(f"{where}: red_flags must be a list")
        q = Question(
            qid=qid,
            skill=skill,
            prompt=self.text(raw["prompt"], where, "prompt"),
            seconds=seconds,
            rubric=[
                self.point(p, f"{where}, rubric point {n}", "point")
                for n, p in enumerate(rubric, 1)
            ],
            flags=[
                self.point(f, f"{where}, red flag {n}", "red_flag")
                for n, f in enumerate(flags, 1)
            ],
            source=source,
            parent=parent.qid if parent else None,
        )
        probes = raw.get("follow_ups") or []
        if not isinstance(probes, list):
            raise InterviewError(f"{where}: follow_ups must be a list")
        q.follow_ups = [self.question(p, source, q) for p in probes]
        return q

    def walks(self, path: Path, top: dict[str, Question]) -> list[dict]:
        source = str(path.relative_to(self.root))
        data = self.yaml(path)
        walks = data.get("walks") if isinstance(data, dict) else None
        if not isinstance(walks, list) or not walks:
            raise InterviewError(f"{source}: needs a `walks:` list")
        out, seen = [], set()
        for n, raw in enumerate(walks, 1):
            wid = raw.get("id") if isinstance(raw, dict) else None
            where = f"{source}: walk {wid or n!r}"
            raw = _shape(raw, "walk", where)
            if not SLUG.match(str(wid)) or wid in seen:
                raise InterviewError(
                    f"{where}: id must be a unique slug (a-z, 0-9, -)"
                )
            seen.add(wid)
            ids = raw["questions"]
            if not isinstance(ids, list):
                raise InterviewError(f"{where}: questions must be a list")
            for qid in ids:
                if qid not in top:
                    what = (
                        "is a follow-up; list its question"
                        if qid in self.seen
                        else "is no question in study/interview"
                    )
                    raise InterviewError(f"{where}: {qid!r} {what}")
            if len(set(ids)) != len(ids):
                raise InterviewError(f"{where}: a question is listed twice")
            title = self.text(raw["title"], where, "title")
            out.append({"id": wid, "title": title, "questions": list(ids)})
        return out

    def yaml(self, path: Path):
        source = str(path.relative_to(self.root))
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            raise InterviewError(f"{source}: not valid YAML: {err}") from None


def load_interview(root: Path = ROOT) -> Interview:
    """Every question and walk, every rule checked (InterviewError)."""
    folder = root / FOLDER
    empty = Interview([], [], {})
    if not folder.is_dir():
        return empty
    loader = _Loader(root)
    questions: list[Question] = []
    for path in sorted(folder.glob("*.yml")):
        if path.name == WALKS:
            continue
        source = str(path.relative_to(root))
        data = loader.yaml(path)
        raw = data.get("questions") if isinstance(data, dict) else None
        if not isinstance(raw, list) or not raw:
            raise InterviewError(f"{source}: needs a `questions:` list")
        questions += [loader.question(q, source) for q in raw]
    if not questions:
        return empty
    by_id: dict[str, Question] = {}
    for q in questions:
        by_id[q.qid] = q
        by_id.update((p.qid, p) for p in q.follow_ups)
    walks_path = folder / WALKS
    if not walks_path.is_file():
        raise InterviewError(f"{FOLDER}/{WALKS} is missing: list the walks")
    top = {q.qid: q for q in questions}
    return Interview(questions, loader.walks(walks_path, top), by_id)


def see_links(interview: Interview):
    """(where, page, anchor) for every `see`, for the anchor check."""
    for q in interview.by_id.values():
        for kind, points in (
            ("rubric point", q.rubric),
            ("red flag", q.flags),
        ):
            for n, p in enumerate(points, 1):
                page, _, anchor = p.see.partition("#")
                where = f"{q.source}: question {q.qid!r}, {kind} {n}"
                yield where, page, anchor


def missing_anchors(interview: Interview, anchors) -> list[str]:
    """Messages for `see` links whose anchor is not on the page.
    `anchors(page)` gives a page's anchor ids, or None for no page."""
    bad = []
    for where, page, anchor in see_links(interview):
        ids = anchors(page)
        if ids is None:
            bad.append(f"{where}: links to missing page {page!r}")
        elif anchor and anchor not in ids:
            bad.append(f"{where}: links to {page}#{anchor}, no such anchor")
    return sorted(set(bad))


# ------------------------------------------------------------ rendering


def _skill_quiz_ids(root: Path) -> dict[str, list[str]]:
    """Quiz question ids of the pages each skill names, for the page's
    "my weakest skills" (quiz accuracy per skill)."""
    _outputs()
    from hooks.quiz import load_quizzes

    quizzes = load_quizzes(root)
    data = yaml.safe_load((root / "study/skills.yml").read_text("utf-8"))
    out = {}
    for s in data["skills"]:
        pages = re.findall(r"\(([^)#]+\.md)", str(s.get("pages", "")))
        out[s["id"]] = [
            q.qid for p in dict.fromkeys(pages) for q in quizzes.get(p, [])
        ]
    return out


class _Site:
    """Links and Markdown for the page, with the site's own settings."""

    def __init__(self, config, files, page_src: str):
        _outputs()
        from hooks.quiz import Renderer

        self.r = Renderer(config)
        self.files = files
        self.here = files.get_file_from_path(page_src)

    def url(self, see: str) -> str:
        from mkdocs.utils import get_relative_url

        page, _, anchor = see.partition("#")
        f = self.files.get_file_from_path(page)
        if f is None:  # checked again, with its question, in on_env
            return see
        url = get_relative_url(f.url, self.here.url)
        return url + (f"#{anchor}" if anchor else "")

    def inline(self, text: str) -> str:
        return self.r.inline(text)


def _point_data(p: Point, site: _Site, titles: dict) -> dict:
    return {
        "html": site.inline(p.text),
        "cite": p.cite,
        "url": site.url(p.see),
        "where": titles.get(p.see, p.see),
        "cards": p.cards,
    }


def page_data(interview: Interview, site: _Site, titles: dict) -> dict:
    """What interview.js needs, as JSON."""
    questions = {}
    for q in interview.by_id.values():
        questions[q.qid] = {
            "id": q.qid,
            "skill": q.skill,
            "prompt": site.inline(q.prompt),
            "seconds": q.seconds,
            "rubric": [_point_data(p, site, titles) for p in q.rubric],
            "flags": [_point_data(p, site, titles) for p in q.flags],
            "follow_ups": [p.qid for p in q.follow_ups],
            "parent": q.parent,
        }
    skills_file = ROOT / "study/skills.yml"
    skills = yaml.safe_load(skills_file.read_text("utf-8"))["skills"]
    quiz = _skill_quiz_ids(ROOT)
    cards = yaml.safe_load((ROOT / "flashcards/cards.yml").read_text("utf-8"))
    by_skill: dict[str, list[str]] = {}
    for c in cards["cards"]:
        by_skill.setdefault(c["skill"], []).append(c["id"])
    return {
        "cards_url": site.url("flashcards.md"),
        "order": [q.qid for q in interview.questions],
        "walks": interview.walks,
        "questions": questions,
        "skills": [
            {
                "id": s["id"],
                "title": s["skill"],
                "quiz": quiz.get(s["id"], []),
                "cards": by_skill.get(s["id"], []),
            }
            for s in skills
        ],
    }


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def render_sheet(interview: Interview, site: _Site) -> str:
    """The printable sheet: every question and its probes with room to
    write, then the rubric of each as the answer key."""
    skills = {
        s["id"]: s["skill"]
        for s in yaml.safe_load(
            (ROOT / "study/skills.yml").read_text("utf-8")
        )["skills"]
    }
    asked, key = [], []
    n = 0
    for q in interview.questions:
        n += 1
        probes = "".join(
            f'<li><p><span class="interview-sheet-probe">Probe.</span> '
            f"{site.inline(p.prompt)} <em>({p.seconds} s)</em></p>"
            '<div class="interview-write" aria-hidden="true"></div></li>'
            for p in q.follow_ups
        )
        asked.append(
            f'<li id="sheet-{_e(q.qid.replace("/", "-"))}">'
            f"<p>{site.inline(q.prompt)} <em>({q.seconds} s; "
            f"{_e(skills.get(q.skill, q.skill))})</em></p>"
            '<div class="interview-write" aria-hidden="true"></div>'
            + (
                f'<ol class="interview-sheet-probes">{probes}</ol>'
                if probes
                else ""
            )
            + "</li>"
        )
        for j, item in enumerate([q, *q.follow_ups]):
            label = f"Question {n}" if j == 0 else f"Question {n}, probe {j}"
            points = "".join(
                f"<li>{site.inline(p.text)} "
                f'<span class="interview-cite">({_e(p.cite)}; '
                f'<a href="{_e(site.url(p.see))}">{_e(p.see)}</a>)</span></li>'
                for p in item.rubric
            )
            flags = "".join(
                f"<li>{site.inline(f.text)} "
                f'<span class="interview-cite">({_e(f.cite)})</span></li>'
                for f in item.flags
            )
            key.append(
                f"<li><p><strong>{label}.</strong> Covers:</p>"
                f"<ul>{points}</ul>"
                + (
                    '<p class="interview-key-flags">Red flags:</p>'
                    f"<ul>{flags}</ul>"
                    if flags
                    else ""
                )
                + "</li>"
            )
    return (
        '<div class="interview-sheet">'
        f'<ol class="interview-sheet-questions">{"".join(asked)}</ol>'
        '<details class="interview-key"><summary>Answer key: the rubric of '
        "every question (open it after you answer)</summary>"
        f'<ul class="interview-key-list">{"".join(key)}</ul></details>'
        "</div>"
    )


HOST = """\
<div class="interview-app" id="interview-app">
<p class="interview-nojs">The mock interview needs JavaScript: it runs the
clock and keeps your marks in this browser. Without it, print the sheet
below and ask a study partner to play the interviewer.</p>
</div>
"""

# ---------------------------------------------------------------- hooks

_state: dict = {"interview": None}


def _plugin_error(err: Exception):
    from mkdocs.exceptions import PluginError

    return PluginError(f"interview: {err}")


def on_config(config):
    _state.update(interview=None, files=None, titles={})
    if not (Path(config.docs_dir) / PAGE).is_file():
        return config  # a trimmed copy of the project without the page
    try:
        _state["interview"] = load_interview()
    except InterviewError as err:
        raise _plugin_error(err) from None
    return config


def _anchor_titles(files) -> dict[str, str]:
    """'page.md#anchor' -> 'Page title: section title' for every heading
    of every page (the pages are rendered when this runs)."""
    out = {}

    def walk(items, page, title):
        for item in items:
            out[f"{page}#{item.id}"] = f"{title}: {item.title}"
            walk(item.children, page, title)

    for f in files.documentation_pages():
        if f.page is None:
            continue
        title = f.page.title or f.src_uri
        out[f.src_uri] = title
        walk(f.page.toc.items or [], f.src_uri, title)
    return out


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER not in markdown:
        return markdown
    interview = _state["interview"]
    if not interview or not interview.questions:
        sheet = "<p>No interview questions yet (study/interview/).</p>"
    else:
        sheet = render_sheet(
            interview, _Site(config, files, page.file.src_uri)
        )
    host, _, rest = markdown.partition(MARKER)
    return (
        host + HOST + rest.replace("<!-- interview-sheet -->", sheet + "\n", 1)
    )


def on_env(env, config, files):
    interview = _state["interview"]
    if not interview:
        return env

    def anchors(page: str):
        f = files.get_file_from_path(page)
        if f is None or f.page is None:
            return None
        return f.page.present_anchor_ids or set()

    bad = missing_anchors(interview, anchors)
    if bad:
        raise _plugin_error(InterviewError("; ".join(bad)))
    _state["titles"] = _anchor_titles(files)
    _state["files"] = files
    return env


def on_post_page(output: str, page, config) -> str:
    """The style everywhere comes from extra_css; the script on the
    interview page, the review plan's grid and the home page's summary,
    after the theme's scripts (the study store comes from there)."""
    from mkdocs.utils import get_relative_url

    src = page.file.src_uri
    is_page = src == PAGE
    if not (
        is_page
        or 'class="notes-assess"' in output
        or 'id="notes-study"' in output
    ):
        return output
    files = _state.get("files")
    target = files.get_file_from_path(PAGE) if files else None
    if target is None:
        return output
    tags = ""
    interview = _state["interview"]
    if is_page and interview and interview.questions:
        site = _Site(config, files, src)
        data = page_data(interview, site, _state.get("titles", {}))
        text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
        tags += (
            f'<script type="application/json" id="{DATA_ID}">{text}</script>\n'
        )
    tags += (
        f'<script src="{get_relative_url(SCRIPT, page.url)}" '
        f'data-interview-page="{get_relative_url(target.url, page.url)}">'
        "</script>\n"
    )
    return output.replace("</body>", tags + "</body>", 1)
