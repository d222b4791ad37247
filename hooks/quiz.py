"""Render the "Check yourself" quizzes (study/quizzes/*.yml) on each page.

One YAML file per chapter page holds its questions. A page shows them where
it writes the marker `<!-- quiz -->`: the hook puts a "Check yourself"
heading there, one form per question and a printed answer key. The HTML
comes from hooks/templates/quiz.html at build time; docs/assets/js/quiz.js
only checks answers, shows the feedback and keeps the reader's answers in
the browser core's store, Notes.store ("quiz").

A question is

    id: gpt-1/aux-weight           # "<page stem>/<slug>", unique site-wide
    kind: single | multiple | numeric | output
    q: Markdown                    # the question, one paragraph
    options:                       # single, multiple, output
      - text: Markdown
        correct: true              # single/output: exactly one; multiple: 1+
    golden: true                   # output only: this option's text is the
                                   # snippet's golden output, read at build
    snippet: gpt1_quiz_x           # output: shows snippets/NAME.py
    answer:                        # numeric
      value: 0.5                   #   typed, for a figure a paper states
      out: [NAME, KEY]             #   or from snippets/NAME.out, by
      field: -1                    #   hooks.outputs.lookup, never typed
      scale: 1.0e-6                #   (value read) x scale, in `unit`
      tol: 0.5                     #   accepted distance from the value
      unit: million parameters     #   the input's label says it
    feedback: Markdown             # one or two sentences, with a link to
                                   # the section (and the paper) that settles
                                   # it: [text](page.md#anchor)

hooks/study_data.py loads and checks the files (the one loader of study
data). Everything is checked when the site builds: an unknown kind, a duplicate
id, a choice question without exactly one (or, for multiple, at least one)
correct option, a numeric one without a value or tolerance, a missing
snippet or golden, a link to a missing page or anchor. Each error stops
the strict build and names the YAML file and the question.

The hook also publishes assets/study/quiz-index.js, which sets
`window.NotesQuizIndex = {pages: [{page, title, url, ids}]}` for the home
page's study summary.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path

import study_data
from study_data import (
    LETTERS,
    QUIZ_KINDS,
    Question,
    StudyDataError,
    fmt,
    load_quizzes,
    page_title,
)

ROOT = Path(__file__).resolve().parent.parent
QUIZZES = ROOT / "study" / "quizzes"
MARKER = "<!-- quiz -->"
HEADING = "Check yourself"
ANCHOR = "check-yourself"
KINDS = QUIZ_KINDS
INDEX_URI = "assets/study/quiz-index.js"
LINK_RE = re.compile(r'<a href="([^"#:]*\.md)(#[^"]*)?"')
# The loader's one error type, under the name the tests have used.
QuizError = StudyDataError
__all__ = ["Question", "QuizError", "load_quizzes", "snippet_targets"]


def snippet_targets(root: Path = ROOT) -> set[str]:
    """snippets/x.py and .out that quizzes show, for the rule tests."""
    out = set()
    for questions in load_quizzes(root).values():
        for q in questions:
            if q.snippet:
                out |= {
                    f"snippets/{q.snippet}.py",
                    f"snippets/{q.snippet}.out",
                }
    return out


# ------------------------------------------------------------- rendering


class Renderer:
    """Turns questions into HTML with the site's own Markdown settings."""

    def __init__(self, config):
        import markdown

        self.md = markdown.Markdown(
            extensions=config.markdown_extensions,
            extension_configs=config.mdx_configs,
        )

    def block(self, text: str) -> str:
        self.md.reset()
        return self.md.convert(text)

    def inline(self, text: str) -> str:
        out = self.block(text).strip()
        if (
            out.startswith("<p>")
            and out.endswith("</p>")
            and out.count("<p>") == 1
        ):
            out = out[3:-4]
        return out

    def code(self, code: str, prefix: str) -> str:
        """A highlighted block whose line anchors cannot clash with the
        page's own code blocks (pymdownx numbers them from 0 per run)."""
        out = self.block(f"```python\n{code}\n```")
        return out.replace("__codelineno-", f"__{prefix}-codelineno-")


def _dom_id(qid: str) -> str:
    return "quiz-" + qid.replace("/", "-")


KIND_NOTES = {
    "single": "Pick one.",
    "multiple": "Pick every answer that is right.",
    "numeric": "Type a number.",
    "output": "What does this program print? Pick one.",
}


def _attrs(q: Question) -> list[tuple[str, str]]:
    """The form's attributes, which docs/assets/js/quiz.js reads."""
    attrs = [
        ("class", f"quiz-q quiz-{q.kind}"),
        ("id", _dom_id(q.qid)),
        ("data-quiz-id", q.qid),
        ("data-kind", q.kind),
    ]
    if q.kind == "numeric":
        attrs += [
            ("data-value", repr(q.value)),
            ("data-tol", repr(q.tol)),
            ("data-show", f"{fmt(q.value)} {q.unit}"),
        ]
    else:
        attrs += [
            ("data-answer", ",".join(str(i) for i in q.correct)),
            ("data-show", ", ".join(f"({LETTERS[i]})" for i in q.correct)),
        ]
    return attrs


def render(questions: list[Question], r: Renderer, link=None) -> str:
    """The quiz block for one page (hooks/templates/quiz.html): forms,
    then the printed answer key. `link(html, question)` rewrites the links
    of one question's HTML."""
    link = link or (lambda text, q: text)
    forms, key = [], []
    for n, q in enumerate(questions, 1):
        form = study_data.render(
            "quiz.html",
            "question",
            n=n,
            q=q,
            dom=_dom_id(q.qid),
            attrs=_attrs(q),
            kind_note=KIND_NOTES[q.kind],
            md=r,
            letters=LETTERS,
        )
        forms.append(link(form, q))
        item = study_data.render("quiz.html", "key_item", q=q, md=r)
        key.append(link(item, q))
    return study_data.render(
        "quiz.html", "quiz", questions_html=forms, key_html=key
    )


# ----------------------------------------------------------------- links


def relink(text: str, page_src: str, files, where: str, links: list) -> str:
    """Point `x.md#a` links at the built page and remember each one, so
    on_env can check the anchor once every page is rendered."""
    from mkdocs.utils import get_relative_url

    here = files.get_file_from_path(page_src)

    def one(m: re.Match) -> str:
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(page_src), m[1])
        )
        f = files.get_file_from_path(target)
        if f is None or f.page is None:
            raise QuizError(f"{where}: links to missing page {m[1]!r}")
        anchor = (m[2] or "")[1:]
        links.append((where, target, anchor))
        url = get_relative_url(f.url, here.url)
        return f'<a href="{html.escape(url)}{m[2] or ""}"'

    return LINK_RE.sub(one, text)


# ----------------------------------------------------------------- hooks

_state: dict = {"quizzes": None, "links": [], "files": None}


def _plugin_error(err: Exception):
    from mkdocs.exceptions import PluginError

    return PluginError(f"quiz: {err}")


def on_config(config):
    try:
        _state["quizzes"] = load_quizzes()
    except QuizError as err:
        raise _plugin_error(err) from None
    _state["links"] = []
    _state["renderer"] = Renderer(config)
    return config


def index_data(quizzes, files) -> dict:
    pages = []
    for page, questions in quizzes.items():
        f = files.get_file_from_path(page)
        if f is None:  # a page left out of this build (test copies)
            continue
        pages.append(
            {
                "page": page,
                "title": page_title(page),
                "url": f"{f.url}#{ANCHOR}",
                "ids": [q.qid for q in questions],
            }
        )
    return {"pages": pages}


def on_files(files, config):
    from mkdocs.structure.files import File

    data = index_data(_state["quizzes"] or {}, files)
    js = (
        "// Generated by hooks/quiz.py from study/quizzes/*.yml.\n"
        "window.NotesQuizIndex = "
        + json.dumps(data, indent=1, ensure_ascii=False)
        + ";\n"
    )
    files.append(File.generated(config, INDEX_URI, content=js))
    _state["files"] = files
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    src = page.file.src_uri
    questions = (_state["quizzes"] or {}).get(src)
    has_marker = MARKER in markdown
    if questions and not has_marker:
        raise _plugin_error(
            QuizError(f"docs/{src} has quiz questions but no {MARKER} marker")
        )
    if not has_marker:
        return markdown
    if not questions:
        raise _plugin_error(
            QuizError(f"docs/{src}: {MARKER} but no study/quizzes file")
        )
    links = _state["links"]

    def link(text, q):
        return relink(text, src, files, q.where, links)

    try:
        block = render(questions, _state["renderer"], link)
    except QuizError as err:
        raise _plugin_error(err) from None
    heading = f"## {HEADING} {{#{ANCHOR}}}\n\n"
    return markdown.replace(MARKER, heading + block + "\n", 1)


def on_env(env, config, files):
    """Every page is rendered now, so anchors are known: check links."""
    bad = []
    for where, target, anchor in _state["links"]:
        if not anchor:
            continue
        page = files.get_file_from_path(target).page
        ids = page.present_anchor_ids or set()
        if anchor not in ids:
            bad.append(f"{where}: links to {target}#{anchor}, no such anchor")
    if bad:
        raise _plugin_error(QuizError("; ".join(sorted(set(bad)))))
    return env
