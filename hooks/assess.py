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

Both also get the review plan's days as data, `<script
type="application/json" id="notes-plan">` (DAYS and PLAN below), which the
browser core reads (Notes.plan in docs/assets/js/notes-core.js): the days
are written here only. hooks/page_scripts.py adds the pages' scripts.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import study_data
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
SKILLS = ROOT / "study" / "skills.yml"
GRID_MARKER = "<!-- assess-grid -->"
SUMMARY_MARKER = "<!-- study-summary -->"
# The grid's columns: (key in the store, label, day of the plan).
DAYS = (("d0", "Day 0", 0), ("d7", "Day 7", 7), ("d21", "Day 21", 21))
# The days of the review plan (docs/review-plan.md), counted from day 0.
PLAN = (0, 3, 7, 14, 21)


def load_skills(path: Path = SKILLS) -> list[dict]:
    """The skills, checked by the one study-data loader."""
    try:
        return study_data.load_skills(path)
    except study_data.StudyDataError as err:
        raise PluginError(str(err)) from None


def render_grid(skills: list[dict]) -> str:
    """The grid as Markdown: a table with an empty, tagged cell per day."""
    head = "| Skill | Page | " + " | ".join(d for _, d, _ in DAYS) + " |"
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
            for d, _, _ in DAYS
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


def plan_data() -> str:
    """The plan's days for the browser core, as a JSON script element."""
    data = {
        "days": [{"key": k, "label": t, "day": n} for k, t, n in DAYS],
        "plan": list(PLAN),
    }
    text = json.dumps(data).replace("</", "<\\/")
    return f'<script type="application/json" id="notes-plan">{text}</script>'


def on_page_markdown(markdown: str, page, config, files) -> str:
    found = False
    if GRID_MARKER in markdown:
        markdown = markdown.replace(GRID_MARKER, render_grid(load_skills()))
        found = True
    if SUMMARY_MARKER in markdown:
        markdown = markdown.replace(SUMMARY_MARKER, SUMMARY)
        found = True
    if found:
        markdown += "\n\n" + plan_data() + "\n"
    return markdown
