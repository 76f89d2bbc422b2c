"""The GitHub Actions workflows are valid and do what the README says.

Each file is checked against SchemaStore's workflow schema (vendored in ``tests/vendor``), then for
the few facts the project relies on: what triggers it, which official actions deploy the site, and
that both run the Makefile targets a person would run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
SCHEMA = json.loads(
    (Path(__file__).parent / "vendor" / "schemastore" / "github-workflow.json").read_text()
)


class WorkflowLoader(yaml.SafeLoader):
    """YAML 1.2 booleans only: YAML 1.1 reads the workflow key ``on`` as ``True``."""


WorkflowLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
WorkflowLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)


def load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=WorkflowLoader)


def schema_errors(workflow: Any) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA)
    return sorted(
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in validator.iter_errors(workflow)
    )


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_the_workflow_loader_keeps_on_as_a_key() -> None:
    assert load(WORKFLOWS / "ci.yml")["on"] is not None


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_workflow_is_valid_against_the_github_workflow_schema(path: Path) -> None:
    assert schema_errors(load(path)) == []


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda w: w["jobs"]["build"].update({"run-on": w["jobs"]["build"].pop("runs-on")}),
            "jobs/build",
        ),
        (lambda w: w.update({"on": {"pull_requets": None}}), "on"),
        (lambda w: w["permissions"].update({"pages": "writ"}), "permissions"),
        (lambda w: w["jobs"]["build"]["steps"][0].update({"run": "make site"}), "jobs/build"),
        (lambda w: w.pop("jobs"), "<root>"),
    ],
    ids=["runs-on-typo", "unknown-event", "bad-permission", "uses-and-run", "no-jobs"],
)
def test_schema_check_rejects_a_broken_workflow(mutate: Any, expected: str) -> None:
    workflow = load(WORKFLOWS / "deploy.yml")
    mutate(workflow)
    errors = schema_errors(workflow)
    assert errors, "the broken workflow passed the schema check"
    assert any(e.startswith(expected) for e in errors), errors


def test_every_action_is_pinned_to_a_version() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for step in steps(load(path)):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@(v\d+[\w.]*|[0-9a-f]{40})", step["uses"]), (
                    path.name,
                    step["uses"],
                )


def test_deploy_builds_with_make_and_publishes_through_the_official_pages_actions() -> None:
    workflow = load(WORKFLOWS / "deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"
    assert workflow["concurrency"]["group"] == "pages"
    used = [step["uses"].split("@")[0] for step in steps(workflow) if "uses" in step]
    for action in (
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ):
        assert action in used
    upload = next(
        s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-pages")
    )
    assert upload["with"]["path"] == "site"
    runs = "\n".join(step.get("run", "") for step in steps(workflow))
    assert re.search(r"^make site$", runs, re.MULTILINE)
    assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_ci_runs_make_test_with_browser_tests_required_on_pull_requests() -> None:
    workflow = load(WORKFLOWS / "ci.yml")
    assert "pull_request" in workflow["on"]
    runs = [step["run"] for step in workflow["jobs"]["test"]["steps"] if "run" in step]
    assert runs == ["bash .ci/run"]
    script = (ROOT / ".ci" / "run").read_text()
    assert "apt-get install" in script
    assert "chromium" in script
    assert "KB_REQUIRE_BROWSER=1" in script
    assert re.search(r"^make test$", script, re.MULTILINE)


def test_ci_builds_the_second_engine_in_a_job_of_its_own() -> None:
    job = load(WORKFLOWS / "ci.yml")["jobs"]["zensical"]
    (run,) = [step["run"] for step in job["steps"] if "run" in step]
    assert "make .venv" in run  # installs the engines group beside dev (Makefile)
    assert "KB_REQUIRE_BROWSER=1" in run
    assert re.search(r"pytest .*-m engine", run)
