"""Rewrite every golden output: snippets/x.out is what x.py prints.

    make outputs                  # every snippet
    make outputs ONLY=gpt2        # snippets whose name contains "gpt2"
    make outputs-check            # write nothing; fail on any difference
    python -m tools.regen_outputs [--check] [ONLY]   # the same, from the root

Review the result with `git diff snippets/`: each changed line is a changed
output a reader will see.

--check runs every snippet twice, under PYTHONHASHSEED 0 and 1 at the same
time, and fails when the two runs print different things (output that
hangs on set or dict order of strings, or on anything else that is not
seeded) or when either differs from the golden. The test command runs it
for each snippet (tests/test_pages.py, test_golden_is_fresh).
"""

from __future__ import annotations

import difflib
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools.lib import SNIPPETS, run_python

CHECK_SEEDS = ("0", "1")


def diff(expected: str, got: str, old: str, new: str) -> str:
    return "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            got.splitlines(keepends=True),
            old,
            new,
        )
    )


def check_snippet(py: Path) -> list[str]:
    """What is wrong with py's output: empty when both hash seeds print
    exactly its golden."""
    golden = py.with_suffix(".out")
    if not golden.exists():
        return [f"{golden.name} missing; run `make outputs`"]
    expected = golden.read_text(encoding="utf-8")
    with ThreadPoolExecutor(len(CHECK_SEEDS)) as pool:
        runs = list(
            pool.map(lambda s: run_python(py, hash_seed=s), CHECK_SEEDS)
        )
    problems = []
    for seed, res in zip(CHECK_SEEDS, runs, strict=True):
        if res.returncode != 0:
            problems.append(
                f"{py.name} raised under PYTHONHASHSEED={seed}:\n{res.stderr}"
            )
    if problems:
        return problems
    (a, first), (b, second) = zip(CHECK_SEEDS, runs, strict=True)
    if first.stdout != second.stdout:
        return [
            f"{py.name} prints differently under PYTHONHASHSEED={a} and "
            f"{b}: its output is not deterministic.\n"
            + diff(
                first.stdout,
                second.stdout,
                f"{py.name} (PYTHONHASHSEED={a})",
                f"{py.name} (PYTHONHASHSEED={b})",
            )
        ]
    if first.stdout != expected:
        return [
            f"{golden.name} is stale; run `make outputs` and review "
            "`git diff snippets/`.\n"
            + diff(
                expected,
                first.stdout,
                f"{py.name} (expected, as on the page)",
                f"{py.name} (printed now)",
            )
        ]
    return []


def regenerate(py: Path) -> bool:
    """Rewrite py's golden; False when the snippet raised."""
    out = py.with_suffix(".out")
    res = run_python(py)
    if res.returncode != 0:
        print(f"FAILED {py.name}:\n{res.stderr}", file=sys.stderr)
        return False
    old = out.read_text(encoding="utf-8") if out.exists() else None
    if old != res.stdout:
        out.write_text(res.stdout, encoding="utf-8")
        print(f"updated {out.relative_to(SNIPPETS.parent)}")
    return True


def main(argv: list[str]) -> int:
    args = argv[1:]
    checking = "--check" in args
    args = [a for a in args if a != "--check"]
    only = args[0] if args else ""
    failed = 0
    for py in sorted(SNIPPETS.glob("*.py")):
        if only not in py.stem:
            continue
        if checking:
            problems = check_snippet(py)
            for problem in problems:
                print(f"FAILED {problem}", file=sys.stderr)
            failed += bool(problems)
        elif not regenerate(py):
            failed += 1
    if failed and checking:
        print(f"{failed} snippet(s) failed the check")
    elif failed:
        print(f"{failed} snippet(s) failed; their goldens are unchanged")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
