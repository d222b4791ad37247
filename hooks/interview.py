"""The mock interview (docs/interview.md) from study/interview/*.yml.

The questions and walks are study data: study_data.load_interview() reads
and checks them (the format is described there), and a fault raises the
one StudyDataError, naming the file and the question. This hook renders
them:

- docs/interview.md holds the marker `<!-- interview -->`; it becomes the
  host the script fills (docs/assets/js/interview.js), a note for readers
  without scripts, and `<!-- interview-sheet -->` the printable sheet
  (questions and probes with room to write, then the rubric as the
  answer key). The page also gets the review plan's days (hooks/assess.py
  writes them), which the script reads through the browser core to rank
  "my weakest skills" by the grid's latest score.
- The page gets the question data as a JSON block (not a script: file://
  pages cannot fetch, and JSON runs nothing), before the scripts that
  hooks/page_scripts.py adds (interview.js's row there also loads it on
  the review plan's grid and the home page's summary).
- Every `see` link is checked once all pages are rendered: page and
  anchor must exist.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import assess
import study_data
from quiz import Renderer
from study_data import Interview, Point, StudyDataError

ROOT = Path(__file__).resolve().parent.parent
PAGE = "interview.md"
MARKER = "<!-- interview -->"
DATA_ID = "interview-data"


def see_links(interview: Interview):
    """(where, page, anchor) for every `see`, for the anchor check."""
    for q in interview.by_id.values():
        for schema, points in (
            (study_data.POINT, q.rubric),
            (study_data.RED_FLAG, q.flags),
        ):
            for n, p in enumerate(points, 1):
                page, _, anchor = p.see.partition("#")
                where = study_data.item_where(q.where, schema.kind, n)
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
    quizzes = study_data.load_quizzes(root)
    out = {}
    for s in study_data.load_skills(root / "study" / "skills.yml", root):
        pages = re.findall(r"\(([^)#]+\.md)", str(s.get("pages", "")))
        out[s["id"]] = [
            q.qid for p in dict.fromkeys(pages) for q in quizzes.get(p, [])
        ]
    return out


class _Site:
    """Links and Markdown for the page, with the site's own settings."""

    def __init__(self, config, files, page_src: str):
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
    skills = study_data.load_skills()
    quiz = _skill_quiz_ids(ROOT)
    by_skill: dict[str, list[str]] = {}
    for c in study_data.load_cards()[1]:
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
    skills = {s["id"]: s["skill"] for s in study_data.load_skills()}
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
    # Out of the search index: 80 kB of rubric text, fetched by every page
    # (the chapter pages' byte budget), that would also answer searches
    # with the answer key; the page's own headings stay searchable. A
    # section, not a div: Material's search parser matches elements by tag,
    # so the first inner </div> would end the exclusion.
    return (
        '<section class="interview-sheet" data-search-exclude>'
        f'<ol class="interview-sheet-questions">{"".join(asked)}</ol>'
        '<details class="interview-key"><summary>Answer key: the rubric of '
        "every question (open it after you answer)</summary>"
        f'<ul class="interview-key-list">{"".join(key)}</ul></details>'
        "</section>"
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
        _state["interview"] = study_data.load_interview()
    except StudyDataError as err:
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
    rest = rest.replace("<!-- interview-sheet -->", sheet + "\n", 1)
    return host + HOST + rest + "\n\n" + assess.plan_data() + "\n"


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
        raise _plugin_error(StudyDataError("; ".join(bad)))
    _state["titles"] = _anchor_titles(files)
    _state["files"] = files
    return env


def on_post_page(output: str, page, config) -> str:
    """The question data, as JSON, on the interview page (the titles of
    the sections its points link to are known only once every page is
    rendered). hooks/page_scripts.py, a later hook, adds the scripts
    after it; the style comes from extra_css."""
    interview = _state["interview"]
    files = _state.get("files")
    src = page.file.src_uri
    if src != PAGE or not interview or not interview.questions or not files:
        return output
    site = _Site(config, files, src)
    data = page_data(interview, site, _state.get("titles", {}))
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    tag = f'<script type="application/json" id="{DATA_ID}">{text}</script>\n'
    body = output.rindex("</body>")
    return output[:body] + tag + output[body:]
