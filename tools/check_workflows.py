"""Check the GitHub Actions workflows before GitHub runs them.

    python -m tools.check_workflows [.github/workflows/*.yml]

1. check-jsonschema with the GitHub workflow schema it ships
   (`--builtin-schema vendor.github-workflows`, no network): unknown or
   misspelt keys, wrong types, missing `runs-on`.
2. Rules a schema cannot see: every `needs:` names a job of the same
   workflow, and every `uses:` is pinned to a full 40-hex commit SHA with
   the release in a comment beside it (`@<sha> # v1.2.3`).

actionlint checks more (expressions, job references), but the PyPI
package that wraps it downloads its binary from GitHub at install time,
which our installs cannot reach; check-jsonschema installs from PyPI and
runs offline.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(
    r"^\s*-?\s*uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d[\w.-]*\s*$"
)


def schema_errors(paths: list[Path]) -> str:
    """check-jsonschema's complaints, or "" when every file passes."""
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return "" if res.returncode == 0 else res.stdout + res.stderr


def needs_errors(path: Path) -> list[str]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    jobs = doc.get("jobs") or {}
    errors = []
    for name, job in jobs.items():
        needs = (job or {}).get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            if need not in jobs:
                errors.append(
                    f"{path.name}: job {name!r} needs {need!r}, "
                    f"which is not a job here ({', '.join(jobs)})"
                )
    return errors


def pin_errors(path: Path) -> list[str]:
    errors = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if re.match(r"^\s*-?\s*uses:", line) and not PINNED.match(line):
            errors.append(
                f"{path.name}:{number}: not pinned as "
                f"`uses: owner/action@<40-hex sha> # vX.Y.Z`: {line.strip()}"
            )
    return errors


def check(paths: list[Path]) -> list[str]:
    errors = []
    schema = schema_errors(paths)
    if schema:
        errors.append(schema)
    for path in paths:
        errors += needs_errors(path) + pin_errors(path)
    return errors


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv[1:]] or sorted(WORKFLOWS.glob("*.yml"))
    errors = check(paths)
    for error in errors:
        print(error)
    print(f"{len(paths)} workflows, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
