"""Shared machinery for the page tests: expand includes, find fences, run.

Pages are expanded with pymdownx's own snippets preprocessor, configured
from mkdocs.yml, so the tests see exactly the text the build renders.
Running a snippet and reading mkdocs.yml live in tools/lib.py, which the
maintainer tools share; they are imported here under their old names.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import markdown
from pymdownx.snippets import SnippetMissingError
from pytest_codeblocks import CodeBlock, extract_from_buffer

from tools.lib import (  # noqa: F401 (names the tests import from here)
    BLOCK_TIMEOUT_S,
    DOCS,
    ROOT,
    SNIPPETS,
    child_env,
    mkdocs_config,
    run_python,
)

# Fence info strings the harness runs as Python, and the ones a page may use.
PYTHON_SYNTAX = {"python", "py", "python3"}
OUTPUT_SYNTAX = {"text"}
DIAGRAM_SYNTAX = {"mermaid"}

# TeX source where a reader should see plain text (navigation, table of
# contents, search titles): \( \) \[ \] delimiters, a dollar sign, or a
# backslash command such as \alpha.
TEX_SOURCE = re.compile(r"\\[()\[\]]|\$|\\[A-Za-z]+")

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>`{3,}|~{3,})(?P<info>.*)$")
INCLUDE = re.compile(r"^\s*-{1,}8<-{1,}\s+[\"'](?P<target>[^\"']+)[\"']\s*$")
MARKER = re.compile(
    r"<!--\s*pytest-codeblocks:(?P<kw>[\w-]+?)(?:\([^)]*\))?\s*-->"
)


def snippets_config(root: Path = ROOT) -> dict:
    for ext in mkdocs_config(root)["markdown_extensions"]:
        if isinstance(ext, dict) and "pymdownx.snippets" in ext:
            cfg = dict(ext["pymdownx.snippets"] or {})
            break
    else:
        raise RuntimeError("mkdocs.yml does not enable pymdownx.snippets")
    # pymdownx resolves base_path against the working directory; pin it.
    cfg["base_path"] = [str(root / p) for p in cfg.get("base_path", ["."])]
    return cfg


def expand(page: Path, root: Path = ROOT) -> str:
    """The page's Markdown with every --8<-- include resolved."""
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": snippets_config(root)},
    )
    pre = md.preprocessors["snippet"]
    lines = page.read_text(encoding="utf-8").split("\n")
    try:
        return "\n".join(pre.run(lines))
    except SnippetMissingError as e:
        rel = page.relative_to(root)
        raise SnippetMissingError(f"{rel}: {e}") from None


@dataclass
class Block:
    """A runnable block of a page: where it starts and what it includes."""

    page: str  # docs/x.md, relative to the repository root
    lineno: int  # line of the opening fence in the page as written
    raw: CodeBlock  # the block as written (include lines)
    expanded: CodeBlock  # the same block with includes resolved

    @property
    def includes(self) -> list[str]:
        return [
            m["target"]
            for line in self.raw.code.splitlines()
            if (m := INCLUDE.match(line))
        ]

    @property
    def test_id(self) -> str:
        return f"{self.page}:{self.lineno}"


def syntax_word(info: str | None) -> str:
    return (info or "").strip().split(" ")[0].strip("{}.").lower()


def page_blocks(page: Path, root: Path = ROOT) -> list[Block]:
    """Every fenced block of a page, paired with its expanded form."""
    raw = extract_from_buffer(io.StringIO(page.read_text(encoding="utf-8")))
    exp = extract_from_buffer(io.StringIO(expand(page, root)))
    rel = str(page.relative_to(root))
    if len(raw) != len(exp):
        raise RuntimeError(
            f"{rel}: {len(raw)} blocks as written but {len(exp)} after "
            "expanding includes; does a snippet contain a ``` line?"
        )
    return [Block(rel, r.lineno, r, e) for r, e in zip(raw, exp, strict=True)]


def pages(root: Path = ROOT) -> list[Path]:
    return sorted((root / "docs").rglob("*.md"))


@dataclass
class Fence:
    page: str
    lineno: int
    info: str
    body: list[str]
    after_marker: str | None  # the pytest-codeblocks keyword just before


def scan_fences(page: Path, root: Path = ROOT) -> list[Fence]:
    """Every ``` and ~~~ fence of a page, found independently of
    pytest-codeblocks, so the rule tests also see what it would skip."""
    lines = page.read_text(encoding="utf-8").split("\n")
    rel = str(page.relative_to(root))
    fences, i, last_marker = [], 0, None
    while i < len(lines):
        line = lines[i]
        if m := MARKER.search(line):
            last_marker = m["kw"]
        f = FENCE.match(line)
        if not f:
            if line.strip() and not MARKER.search(line):
                last_marker = None
            i += 1
            continue
        mark = f["mark"]
        start, body = i, []
        i += 1
        while i < len(lines):
            close = lines[i].strip()
            if close.startswith(mark[0] * len(mark)) and not close.strip(
                mark[0]
            ):
                break
            body.append(lines[i])
            i += 1
        fences.append(Fence(rel, start + 1, f["info"], body, last_marker))
        last_marker = None
        i += 1
    return fences


def count_python_fences(root: Path = ROOT) -> int:
    """Python blocks on the pages by an independent scan (a fence after a
    `cont` marker continues the block before it)."""
    return sum(
        1
        for page in pages(root)
        for f in scan_fences(page, root)
        if syntax_word(f.info) in PYTHON_SYNTAX and f.after_marker != "cont"
    )


def count_snippet_includes(root: Path = ROOT) -> int:
    """--8<-- lines that pull a .py file into a Python fence."""
    return sum(
        1
        for page in pages(root)
        for f in scan_fences(page, root)
        if syntax_word(f.info) in PYTHON_SYNTAX
        for line in f.body
        if (m := INCLUDE.match(line)) and ".py" in m["target"]
    )
