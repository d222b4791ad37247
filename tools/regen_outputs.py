"""Rewrite every golden output: snippets/x.out is what x.py prints.

    make outputs            # every snippet
    make outputs ONLY=gpt2  # snippets whose name contains "gpt2"

Review the result with `git diff snippets/`: each changed line is a changed
output a reader will see.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.harness import SNIPPETS, run_python  # noqa: E402


def main(argv: list[str]) -> int:
    only = argv[1] if len(argv) > 1 else ""
    failed = 0
    for py in sorted(SNIPPETS.glob("*.py")):
        if only not in py.stem:
            continue
        out = py.with_suffix(".out")
        res = run_python(py)
        if res.returncode != 0:
            failed += 1
            print(f"FAILED {py.name}:\n{res.stderr}", file=sys.stderr)
            continue
        old = out.read_text(encoding="utf-8") if out.exists() else None
        if old != res.stdout:
            out.write_text(res.stdout, encoding="utf-8")
            print(f"updated {out.relative_to(SNIPPETS.parent)}")
    if failed:
        print(f"{failed} snippet(s) failed; their goldens are unchanged")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
