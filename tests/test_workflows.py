"""The GitHub workflows: GitHub's schema (check-jsonschema, offline), every
`needs:` names a job, every action pinned by SHA; and a planted bad key
and a planted bad `needs:` each fail."""

from __future__ import annotations

import pytest

from tests.harness import ROOT
from tests.support import need_module
from tools import check_workflows

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


@pytest.fixture(scope="module", autouse=True)
def _schema_checker():
    need_module("check_jsonschema")


def test_the_pages_and_release_workflows_exist():
    names = {p.name for p in WORKFLOWS}
    assert {"pages.yml", "release.yml"} <= names, names


def test_every_workflow_passes_the_schema_and_the_rules():
    assert check_workflows.check(WORKFLOWS) == []


def test_pages_workflow_tests_builds_and_deploys():
    text = (ROOT / ".github/workflows/pages.yml").read_text()
    steps = [
        "  .ci/run\n",
        "make site",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
    ]
    at = [text.find(s) for s in steps]
    assert -1 not in at and at == sorted(at), dict(zip(steps, at, strict=True))
    for workflow in WORKFLOWS:
        body = workflow.read_text()
        if "actions/checkout@" in body:
            assert "fetch-depth: 0" in body, workflow.name


def _planted(tmp_path, old, new):
    copy = tmp_path / "pages.yml"
    text = (ROOT / ".github/workflows/pages.yml").read_text()
    assert text.count(old) == 1, old
    copy.write_text(text.replace(old, new))
    return copy


def test_planted_bad_key_fails_the_schema(tmp_path):
    copy = _planted(
        tmp_path, "    timeout-minutes: 45\n", "    timeout-minute: 45\n"
    )
    errors = check_workflows.schema_errors([copy])
    assert "timeout-minute" in errors, errors


def test_planted_needs_naming_no_job_fails_the_rule(tmp_path):
    copy = _planted(tmp_path, "    needs: build\n", "    needs: biuld\n")
    errors = check_workflows.needs_errors(copy)
    assert len(errors) == 1 and "'biuld'" in errors[0], errors


def test_planted_unpinned_action_fails_the_rule(tmp_path):
    sha = "cd2ce8fcbc39b97be8ca5fce6e763baed58fa128"
    copy = _planted(
        tmp_path, f"actions/deploy-pages@{sha}", "actions/deploy-pages@v5"
    )
    errors = check_workflows.pin_errors(copy)
    assert len(errors) == 1 and "not pinned" in errors[0], errors
