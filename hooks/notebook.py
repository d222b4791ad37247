"""Build the mini-GPT notebook page from the snippet, never from a copy.

snippets/minigpt_model.py is written in jupytext's percent format: `# %%`
starts a code cell and `# %% [markdown]` a prose cell, and to Python these
are plain comments, so the file stays a runnable script. At build time this
hook reads it with jupytext, drops the `--8<--` section markers the page
uses, writes the result to .cache/notebooks/mini-gpt-notebook.ipynb
(gitignored) and adds it to the site as `mini-gpt-notebook.ipynb`.
mkdocs-jupyter then executes and renders it (execute: true,
allow_errors: false, so a failing cell fails the build) and, with
include_source, copies the .ipynb next to the page; this hook puts a
download link under the page title.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "snippets" / "minigpt_model.py"
NAME = "mini-gpt-notebook.ipynb"
OUT = ROOT / ".cache" / "notebooks" / NAME
MARKER = re.compile(r"^\s*# --8<-- \[(start|end):[\w-]+\]\s*$")


def build_notebook(source: Path = SOURCE) -> str:
    """The notebook JSON for `source`, with snippet markers removed."""
    # Imported here: a trimmed copy of the project (no notebook) builds
    # without paying for jupytext.
    import jupytext

    nb = jupytext.read(source, fmt="py:percent")
    for number, cell in enumerate(nb.cells, 1):
        # nbformat draws random cell ids; numbered ones keep two builds
        # of one commit byte-identical (SOURCE_DATE_EPOCH).
        cell.id = f"cell-{number}"
        if cell.cell_type == "code":
            lines = cell.source.splitlines()
            cell.source = "\n".join(x for x in lines if not MARKER.match(x))
            cell.source = cell.source.strip("\n")
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata.pop("jupytext", None)
    return jupytext.writes(nb, fmt="ipynb")


# Runs before mkdocs-jupyter's on_files (priority 0), which wraps the
# notebook so that MkDocs treats it as a page.
@event_priority(50)
def on_files(files: Files, config) -> Files:
    if not SOURCE.is_file():
        # A trimmed copy of the project (the guard tests) has no notebook;
        # in the full site the nav entry then fails the strict build.
        return files
    text = build_notebook()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
        OUT.write_text(text, encoding="utf-8")
    # A File rooted in OUT's folder, not File.generated: mkdocs-jupyter's
    # wrapper recomputes abs_src_path from src_dir, which generated files
    # leave empty.
    notebook = File(
        NAME,
        src_dir=str(OUT.parent),
        dest_dir=config.site_dir,
        use_directory_urls=config.use_directory_urls,
    )
    files.append(notebook)
    return files


def on_page_content(html: str, page, config, files) -> str:
    if page.file.src_uri != NAME:
        return html
    link = (
        f'<p class="notebook-download"><a href="{NAME}" download>'
        "Download this notebook (.ipynb)</a>. It is generated from "
        "<code>snippets/minigpt_model.py</code> at every build, and the "
        "outputs below come from running it then.</p>\n"
    )
    # Under the notebook's title (its first heading), not above it.
    end = html.find("</h1>")
    if end < 0:
        return link + html
    end += len("</h1>")
    return html[:end] + "\n" + link + html[end:]
