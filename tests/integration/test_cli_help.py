"""`recruitflow --help` shows recruitflow's commands, each with its help, and nothing of
Flask's own; `audit compliance` refuses a dossier that does not exist and names people."""

from __future__ import annotations

import json
from datetime import timedelta

import click
from click.testing import CliRunner

from api.cli import main
from tests.helpers import create_applicant, record

FLASKS_OWN = ("run", "shell", "routes", "--env-file", "--app", "--debug", "python-dotenv",
              "list-config-prefixes")


def _help(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def test_help_shows_recruitflows_commands_only(tmp_path):
    runner = CliRunner(env={"RECRUITFLOW_INSTANCE_PATH": str(tmp_path),
                            "RECRUITFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}"})
    top = _help(runner)
    listed = top.split("Commands:")[1].split()
    for word in FLASKS_OWN:
        assert word not in top.split(), word
    commands = {line.split()[0]: line for line in top.split("Commands:")[1].splitlines()
                if line.strip()}
    assert {"agenda", "audit", "calendar", "create-admin", "demo", "init", "openapi", "rules",
            "serve"} <= set(commands), listed
    assert all(len(line.split()) > 1 for line in commands.values()), commands
    with main.make_context("recruitflow", ["--help"], resilient_parsing=True) as ctx:
        for name in commands:
            command = main.get_command(ctx, name)
            assert command.help, name
            if isinstance(command, click.Group):
                for sub in command.commands.values():
                    assert sub.help, f"{name} {sub.name}"
                    assert "Usage:" in _help(runner, name, sub.name)


def test_compliance_of_a_missing_dossier_is_an_error(runner, org):
    result = runner.invoke(args=["audit", "compliance", "--dossier", "999"])
    assert result.exit_code != 0
    assert "no dossier 999" in result.output and "findings" not in result.output


def test_compliance_of_a_missing_dossier_over_http_is_404(client, org):
    response = client.get("/api/v1/audit/compliance?dossier_id=999",
                          headers=org.headers("auditor"))
    assert response.status_code == 404


def test_findings_name_the_person_and_branch(runner, client, rt, org):
    today = rt.env.today()
    late = create_applicant(client, org, name="赵敏", applied_on=today - timedelta(days=100))
    record(client, org, late["id"], "talk", today - timedelta(days=60), "branch", by="书记")
    result = runner.invoke(args=["audit", "compliance", "--dossier", str(late["id"])])
    assert result.exit_code == 0, result.output
    assert "赵敏（一支部）" in result.output and "1 findings" in result.output
    result = runner.invoke(args=["audit", "compliance", "--json"])
    [finding] = [json.loads(line) for line in result.output.splitlines()]
    assert (finding["name"], finding["branch_name"]) == ("赵敏", "一支部")
