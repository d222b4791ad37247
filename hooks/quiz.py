"""Render the "Check yourself" quizzes (study/quizzes/*.yml) on each page.

One YAML file per chapter page holds its questions. A page shows them where
it writes the marker `<!-- quiz -->`: the hook puts a "Check yourself"
heading there, one form per question and a printed answer key. The HTML is
made here at build time; docs/assets/js/quiz.js only checks answers, shows
the feedback and keeps the reader's answers in NotesStore ("quiz").

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

Everything is checked when the site builds: an unknown kind, a duplicate
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
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUIZZES = ROOT / "study" / "quizzes"
MARKER = "<!-- quiz -->"
HEADING = "Check yourself"
ANCHOR = "check-yourself"
KINDS = ("single", "multiple", "numeric", "output")
INDEX_URI = "assets/study/quiz-index.js"
ID_RE = re.compile(r"^[a-z0-9-]+/[a-z0-9][a-z0-9-]*$")
LINK_RE = re.compile(r'<a href="([^"#:]*\.md)(#[^"]*)?"')


class QuizError(ValueError):
    """A question that cannot be built; the message names file and id."""


def _outputs():
    """hooks/outputs.py, loaded the way mkdocs loads hooks (by path)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from hooks import outputs

    return outputs


@dataclass
class Question:
    qid: str
    kind: str
    q: str
    feedback: str
    source: str  # study/quizzes/x.yml, for messages
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
        raise QuizError(
            f"{where}: output value {text!r} is not a number"
        ) from None


def _fail(where: str, msg: str):
    raise QuizError(f"{where}: {msg}")


def _question(raw: dict, page: str, source: str, root: Path) -> Question:
    qid = raw.get("id") if isinstance(raw, dict) else None
    where = f"{source}: question {qid!r}"
    if not isinstance(raw, dict) or not qid:
        _fail(f"{source}: question {raw!r}"[:200], "has no id")
    stem = page[: -len(".md")].replace("/", "-")
    if not ID_RE.match(str(qid)) or not str(qid).startswith(stem + "/"):
        _fail(where, f"id must be written '{stem}/<slug>' (a-z, 0-9, -)")
    kind = raw.get("kind")
    if kind not in KINDS:
        _fail(where, f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    for key in ("q", "feedback"):
        if not str(raw.get(key) or "").strip():
            _fail(where, f"has no {key!r}")
    q = Question(
        qid=qid,
        kind=kind,
        q=str(raw["q"]).strip(),
        feedback=str(raw["feedback"]).strip(),
        source=source,
    )
    q.q, q.feedback = (
        _expand(q.q, where, root),
        _expand(q.feedback, where, root),
    )
    if kind == "numeric":
        _numeric(q, raw.get("answer"), where, root)
        return q
    opts = raw.get("options")
    if not isinstance(opts, list) or len(opts) < 2:
        _fail(where, "needs at least two options")
    if kind == "output":
        name = raw.get("snippet")
        py = root / "snippets" / f"{name}.py"
        out = py.with_suffix(".out")
        if not name or not py.is_file() or not out.is_file():
            _fail(where, f"snippet {name!r} needs snippets/{name}.py and .out")
        q.snippet = name
        q.code = py.read_text(encoding="utf-8").rstrip("\n")
        golden = out.read_text(encoding="utf-8").rstrip("\n")
    for i, o in enumerate(opts):
        if not isinstance(o, dict):
            _fail(where, f"option {i + 1} is not a mapping")
        if kind == "output" and o.get("golden"):
            o = {"text": golden, "correct": True, "golden": True}
        elif not str(o.get("text") or "").strip():
            _fail(where, f"option {i + 1} has no text")
        text = str(o["text"]).rstrip("\n")
        q.options.append(
            {
                "text": text
                if o.get("golden")
                else _expand(text, where, root),
                "correct": bool(o.get("correct")),
                "golden": bool(o.get("golden")),
            }
        )
    texts = [o["text"].strip() for o in q.options]
    if len(set(texts)) != len(texts):
        _fail(where, "two options have the same text")
    n = len(q.correct)
    if kind == "multiple" and n < 1:
        _fail(where, "has no correct answer (mark one or more correct)")
    if kind in ("single", "output") and n != 1:
        what = "no correct answer" if n == 0 else f"{n} correct answers"
        _fail(where, f"has {what}; a {kind} question needs exactly one")
    if kind == "output" and not q.options[q.correct[0]]["golden"]:
        _fail(where, "the correct option must be `golden: true`")
    return q


def _expand(text: str, where: str, root: Path) -> str:
    """Resolve `{{ out NAME | KEY }}` here, so a bad reference names the
    question (hooks/outputs.py would name only the page)."""
    outputs = _outputs()
    try:
        return outputs.expand(text, where, root)
    except outputs.OutputRefError as err:
        raise QuizError(str(err)) from None


def _numeric(q: Question, ans, where: str, root: Path) -> None:
    if not isinstance(ans, dict):
        _fail(where, "has no correct answer (a numeric one needs `answer`)")
    if ("value" in ans) == ("out" in ans):
        _fail(where, "answer needs exactly one of `value` or `out`")
    if "out" in ans:
        ref = ans["out"]
        if not (isinstance(ref, list) and len(ref) == 2):
            _fail(where, "answer.out must be [snippet, key]")
        outputs = _outputs()
        try:
            text = outputs.lookup(
                ref[0], str(ref[1]), int(ans.get("field", -1)), root
            )
        except outputs.OutputRefError as err:
            _fail(where, str(err))
        value = parse_number(text, where) * float(ans.get("scale", 1.0))
    else:
        try:
            value = float(ans["value"])
        except (TypeError, ValueError):
            _fail(where, f"answer.value {ans['value']!r} is not a number")
    tol = ans.get("tol")
    if not isinstance(tol, (int, float)) or tol < 0:
        _fail(where, "answer needs a tolerance `tol` >= 0")
    if not str(ans.get("unit") or "").strip():
        _fail(where, "answer needs a `unit` for the input's label")
    q.value, q.tol, q.unit = value, float(tol), str(ans["unit"])


def load_quizzes(root: Path = ROOT) -> dict[str, list[Question]]:
    """{page src path: questions}, every rule checked (QuizError)."""
    folder = root / "study" / "quizzes"
    pages: dict[str, list[Question]] = {}
    seen: dict[str, str] = {}
    if not folder.is_dir():
        return pages
    for path in sorted(folder.glob("*.yml")):
        source = str(path.relative_to(root))
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            raise QuizError(f"{source}: not valid YAML: {err}") from None
        if not isinstance(data, dict) or not data.get("page"):
            raise QuizError(f"{source}: needs `page: <docs path>.md`")
        page = str(data["page"])
        if not (root / "docs" / page).is_file():
            raise QuizError(f"{source}: page docs/{page} does not exist")
        if page in pages:
            raise QuizError(f"{source}: a second quiz file for {page}")
        questions = []
        for raw in data.get("questions") or []:
            q = _question(raw, page, source, root)
            if q.qid in seen:
                raise QuizError(
                    f"{source}: question {q.qid!r}: duplicate id "
                    f"(also in {seen[q.qid]})"
                )
            seen[q.qid] = source
            questions.append(q)
        if not questions:
            raise QuizError(f"{source}: has no questions")
        pages[page] = questions
    return pages


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

LETTERS = "abcdefghij"


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


def render(questions: list[Question], r: Renderer, link=None) -> str:
    """The quiz block for one page: forms, then the printed answer key.
    `link(html, question)` rewrites the links of one question's HTML."""
    link = link or (lambda text, q: text)
    parts = ['<div class="quiz" data-quiz>']
    key = []
    for n, q in enumerate(questions, 1):
        parts.append(link(_render_question(n, q, r), q))
        key.append(
            link(
                f'<li><span class="quiz-key-answer">'
                f"{html.escape(q.answer_text())}.</span> "
                f"{r.inline(q.feedback)}</li>",
                q,
            )
        )
    parts.append(
        '<section class="quiz-key" aria-label="Answer key">'
        '<p class="quiz-key-title">Answer key</p><ol>'
        + "".join(key)
        + "</ol></section></div>"
    )
    return "".join(parts)


def _render_question(n: int, q: Question, r: Renderer) -> str:
    dom = _dom_id(q.qid)
    attrs = {
        "class": f"quiz-q quiz-{q.kind}",
        "id": dom,
        "data-quiz-id": q.qid,
        "data-kind": q.kind,
    }
    if q.kind == "numeric":
        attrs["data-value"] = repr(q.value)
        attrs["data-tol"] = repr(q.tol)
        attrs["data-show"] = f"{fmt(q.value)} {q.unit}"
    else:
        attrs["data-answer"] = ",".join(str(i) for i in q.correct)
        attrs["data-show"] = ", ".join(f"({LETTERS[i]})" for i in q.correct)
    attr = " ".join(f'{k}="{html.escape(v)}"' for k, v in attrs.items())
    out = [f"<form {attr} novalidate><fieldset>"]
    kind_note = {
        "single": "Pick one.",
        "multiple": "Pick every answer that is right.",
        "numeric": "Type a number.",
        "output": "What does this program print? Pick one.",
    }[q.kind]
    out.append(
        f'<legend><span class="quiz-n">Question {n}.</span> '
        f"{r.inline(q.q)} "
        f'<span class="quiz-how">{kind_note}</span></legend>'
    )
    if q.code is not None:
        out.append(
            f'<div class="quiz-code" data-snippet="snippets/{q.snippet}.py">'
            f"{r.code(q.code, dom)}</div>"
        )
    if q.kind == "numeric":
        out.append(
            '<p class="quiz-number">'
            f'<label for="{dom}-in">Your answer, in {html.escape(q.unit)}'
            f"</label> "
            f'<input type="number" step="any" id="{dom}-in" '
            f'name="{dom}" inputmode="decimal" autocomplete="off"></p>'
        )
    else:
        typ = "checkbox" if q.kind == "multiple" else "radio"
        out.append('<div class="quiz-options">')
        for i, o in enumerate(q.options):
            if q.kind == "output":
                body = (
                    '<span class="quiz-out">'
                    + html.escape(o["text"]).replace("\n", "<br>")
                    + "</span>"
                )
            else:
                body = f'<span class="quiz-text">{r.inline(o["text"])}</span>'
            out.append(
                f'<label class="quiz-option" for="{dom}-{i}">'
                f'<input type="{typ}" name="{dom}" id="{dom}-{i}" '
                f'value="{i}"> <span class="quiz-letter">({LETTERS[i]})'
                f"</span> {body}</label>"
            )
        out.append("</div>")
    out.append(
        '<p class="quiz-actions"><button type="submit" '
        'class="quiz-check">Check</button></p>'
        '<div class="quiz-feedback" role="status" aria-live="polite" '
        'aria-atomic="true"><p class="quiz-verdict"></p>'
        f'<div class="quiz-why" hidden>{r.block(q.feedback)}</div></div>'
        "</fieldset></form>"
    )
    return "".join(out)


# ----------------------------------------------------------------- links


def relink(
    text: str, page_src: str, files, qid: str, source: str, links: list
) -> str:
    """Point `x.md#a` links at the built page and remember each one, so
    on_env can check the anchor once every page is rendered."""
    from mkdocs.utils import get_relative_url

    here = files.get_file_from_path(page_src)

    def one(m: re.Match) -> str:
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(page_src), m[1])
        )
        f = files.get_file_from_path(target)
        where = f"{source}: question {qid!r}"
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
                "title": _title(page),
                "url": f"{f.url}#{ANCHOR}",
                "ids": [q.qid for q in questions],
            }
        )
    return {"pages": pages}


def _title(page: str) -> str:
    for line in (ROOT / "docs" / page).read_text("utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return page


def on_files(files, config):
    from mkdocs.structure.files import File

    _outputs()  # puts the repository root on sys.path
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
        return relink(text, src, files, q.qid, q.source, links)

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
