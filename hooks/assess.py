"""The self-assessment grid and the home page's study summary.

study/skills.yml is the one list of skills. This hook renders it where a
page holds a marker:

- `<!-- assess-grid -->` (docs/review-plan.md): the grid as a plain
  Markdown table, so it shows and prints without scripts. Each score cell
  holds an empty `<span data-assess="SKILL DAY">` that
  docs/assets/js/assess-grid.js turns into a labelled 1-5 choice.
- `<!-- study-summary -->` (docs/index.md): a short text for readers
  without scripts, and the links docs/assets/js/study-summary.js reuses
  (the build checks them), which fills in the reader's progress.

The home page also gets the quiz and flashcard indexes other hooks publish
(assets/study/quiz-index.js, assets/study/cards-index.js), when the build
has them.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

import study_data
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
SKILLS = ROOT / "study" / "skills.yml"
GRID_MARKER = "<!-- assess-grid -->"
SUMMARY_MARKER = "<!-- study-summary -->"
DAYS = (("d0", "Day 0"), ("d7", "Day 7"), ("d21", "Day 21"))
# Data files other hooks add; the home page loads whichever exist.
STUDY_INDEXES = ("assets/study/quiz-index.js", "assets/study/cards-index.js")
STORE_SCRIPT = re.compile(r'<script src="[^"]*assets/js/study-store\.js"')

# Page source path -> the study indexes this build has, noted while the
# page's Markdown is rendered (that hook sees the final file list).
_indexes: dict[str, list[str]] = {}


def load_skills(path: Path = SKILLS) -> list[dict]:
    """The skills, checked by the one study-data loader."""
    try:
        return study_data.load_skills(path)
    except study_data.StudyDataError as err:
        raise PluginError(str(err)) from None


def render_grid(skills: list[dict]) -> str:
    """The grid as Markdown: a table with an empty, tagged cell per day."""
    head = "| Skill | Page | " + " | ".join(d for _, d in DAYS) + " |"
    rule = "| --- | --- | " + " | ".join(":---:" for _ in DAYS) + " |"
    rows = []
    for s in skills:
        text = html.escape(s["skill"].strip(), quote=False)
        cells = [
            f'<span class="notes-assess-skill" data-skill="{s["id"]}">'
            f"{text}</span>",
            s["pages"].strip(),
        ]
        cells += [
            f'<span class="notes-assess-cell" data-assess="{s["id"]} {d}">'
            "</span>"
            for d, _ in DAYS
        ]
        rows.append("| " + " | ".join(cells) + " |")
    table = "\n".join([head, rule, *rows])
    return f'<div class="notes-assess" markdown>\n\n{table}\n\n</div>'


SUMMARY = """\
<div class="notes-study" id="notes-study" markdown>

Your progress shows here: flashcards due today, quiz scores per page, your
self-assessment average and the next day of the review plan. It is worked
out in this browser from what you saved in it, and needs JavaScript.

Start with the [flashcards](flashcards.md){ data-study-link=cards }, the
quiz at the end of [GPT-1](gpt-1.md){ data-study-link=quiz }, or your
day-0 scores on the review plan's
[grid](review-plan.md#self-assessment-grid){ data-study-link=grid }.

</div>"""


def on_page_markdown(markdown: str, page, config, files) -> str:
    if GRID_MARKER in markdown:
        markdown = markdown.replace(GRID_MARKER, render_grid(load_skills()))
    if SUMMARY_MARKER in markdown:
        markdown = markdown.replace(SUMMARY_MARKER, SUMMARY)
        _indexes[page.file.src_uri] = [
            uri
            for uri in STUDY_INDEXES
            if files.get_file_from_path(uri) is not None
        ]
    return markdown


def on_post_page(output: str, page, config) -> str:
    """Load the study indexes on the page with the summary, before the
    store and the summary script run."""
    base = posixpath.dirname(page.file.dest_uri) or "."
    tags = "".join(
        f'<script src="{posixpath.relpath(uri, base)}"></script>'
        for uri in _indexes.get(page.file.src_uri, [])
    )
    if not tags:
        return output
    m = STORE_SCRIPT.search(output)
    at = m.start() if m else output.rindex("</body>")
    return output[:at] + tags + output[at:]
