"""A version and a build date a reader can quote, on every page and the PDF.

The version is the latest git tag (`git describe --tags`: the tag itself
on a tagged commit, `v1.2-3-gabc1234` three commits after it); with no
tag, the last commit's date and short hash (`2026-12-02 abc1234`); with
no git at all, "unversioned". The build date is SOURCE_DATE_EPOCH's when
it is set (so two builds of one commit give the same pages), else today's
(UTC).

Both go into `config.extra.site_version` and `config.extra.build_date`:
overrides/partials/copyright.html puts them in every page's footer and
overrides/print_cover.tpl on the PDF's cover.
"""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _git(*args: str) -> str | None:
    try:
        res = subprocess.run(
            ["git", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    out = res.stdout.strip()
    return out if res.returncode == 0 and out else None


def site_version() -> str:
    """The latest tag (with the distance from it), else date and commit."""
    tag = _git("describe", "--tags")
    if tag:
        return tag
    commit = _git("log", "-1", "--format=%cd %h", "--date=short")
    return commit or "unversioned"


def build_date() -> str:
    """YYYY-MM-DD from SOURCE_DATE_EPOCH when set, else today in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = (
        datetime.fromtimestamp(int(epoch), tz=UTC)
        if epoch
        else datetime.now(UTC)
    )
    return when.strftime("%Y-%m-%d")


def on_config(config):
    config.extra["site_version"] = site_version()
    config.extra["build_date"] = build_date()
    return config
