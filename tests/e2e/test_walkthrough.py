"""One dossier from application to full member, every act over HTTP; and the README's own
walk-through, run as written against a live server, on a fresh database and after the demo."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers import create_applicant
from tests.live import live_server, load_demo, server_env
from workflow.domain.dates import add_months
from workflow.domain.roles import Role
from workflow.usecases.demo import applied_on_for, plan


def test_application_to_full_member_over_http(client, rt, org):
    env = rt.env
    rulebook = env.rulebook_on(env.today())
    applied = applied_on_for(target="full_member", finished_by=env.today() - timedelta(days=1),
                             rulebook=rulebook, calendar=env.calendar)
    dossier = create_applicant(client, org, applied_on=applied)
    acts = plan(applied_on=applied, target="full_member", rulebook=rulebook,
                calendar=env.calendar, contacts=org.full_members[:1],
                sponsors=org.full_members[1:3])
    who = {Role.BRANCH: "branch", Role.COMMITTEE: "committee"}
    states = ["applicant"]
    for act in acts:
        if act.record:
            response = client.post(
                f"/api/v1/applicants/{dossier['id']}/records",
                json={"type": act.record, "date": act.on.isoformat(), **act.data},
                headers=org.headers(who[act.by]))
            assert response.status_code == 201, response.json
        else:
            response = client.post(
                f"/api/v1/applicants/{dossier['id']}/transitions",
                json={"trigger": act.trigger, "effective_date": act.on.isoformat(), **act.data},
                headers=org.headers(who[act.by]))
            assert response.status_code == 200, response.json
            states.append(response.json["state"])
    assert states == [
        "applicant", "activist", "training", "political_review", "pre_review", "publicity",
        "vote", "approval", "probationary", "conversion_publicity", "conversion_vote",
        "conversion_approval", "full_member",
    ]
    final = response.json
    voted = date.fromisoformat(final["dates"]["voted_on"])
    # The membership date is the end of probation, not the day of approval.
    assert final["dates"]["membership_on"] == add_months(voted, 12).isoformat()
    assert final["next"] == []

    log = client.get(f"/api/v1/applicants/{dossier['id']}/log", headers=org.headers("auditor"))
    assert log.status_code == 200
    entries = log.json["entries"]
    assert [e["seq"] for e in entries] == list(range(1, len(acts) + 2))
    assert entries[0]["kind"] == "create"
    assert [e["action"] for e in entries[1:]] == [a.trigger or a.record for a in acts]
    assert all(e["rulebook_id"] == rulebook.id for e in entries)
    transitions = [e for e in entries if e["kind"] == "transition"]
    assert [e["to_state"] for e in transitions] == states[1:]
    assert final["version"] == len(entries)


def test_admission_and_conversion_update_the_member_registry(client, rt, org):
    from sqlalchemy import select

    from tests.helpers import dossier_in
    from workflow.store.tables import members

    probationary = dossier_in(client, rt, org, "probationary")
    converted = dossier_in(client, rt, org, "full_member")
    with rt.engine.connect() as connection:
        rows = {r.dossier_id: r for r in connection.execute(
            select(members).where(members.c.dossier_id.is_not(None)))}
    assert rows[probationary["id"]].status == "probationary"
    assert rows[probationary["id"]].joined_on.isoformat() == probationary["dates"]["voted_on"]
    assert rows[converted["id"]].status == "full"
    assert rows[converted["id"]].full_on.isoformat() == converted["dates"]["membership_on"]


README = Path(__file__).resolve().parents[2] / "README.md"


def readme_walkthrough() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Walk-through", 1)[1]
    return re.search(r"```bash\n(.*?)```", section, re.S)[1]


@pytest.mark.parametrize("after_demo", [False, True], ids=["fresh", "after_demo"])
def test_the_readme_walkthrough_as_written(app, database_url, tmp_path, after_demo):
    instance = tmp_path / "live"
    env = server_env(database_url, instance)
    if after_demo:
        load_demo(database_url, instance)
    # The script calls .venv/bin/recruitflow, as a reader in a checkout does.
    work = tmp_path / "checkout"
    (work / ".venv" / "bin").mkdir(parents=True)
    (work / ".venv" / "bin" / "recruitflow").symlink_to(
        Path(sys.executable).parent / "recruitflow")
    with live_server(database_url, instance, workers=1, threads=2) as port:
        run = subprocess.run(
            ["bash", "-c", "set -o pipefail\n" + readme_walkthrough()], cwd=work,
            env={**env, "API": f"http://127.0.0.1:{port}/api/v1",
                 "PATH": os.environ.get("PATH", "")},
            capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.splitlines()
    states = [line.strip() for line in lines if line.startswith("  ") and
              not line.startswith("   ") and "refused" not in line]
    assert [s for s in states if s in STATES] == STATES[1:], run.stdout
    # The one refusal, shown with its rule, its reason in Chinese and the earliest date.
    refusals = [i for i, line in enumerate(lines) if "refused:" in line]
    assert len(refusals) == 1, run.stdout
    assert "guard_failed" in lines[refusals[0]]
    reason = lines[refusals[0] + 1]
    assert "cultivation_period" in reason and "earliest: 2024-03-31" in reason, reason
    assert re.search(r"[\u4e00-\u9fff]", reason)
    assert "'membership_on': '2025-06-07'" in run.stdout
    assert lines[:3] == ["  张军", "  李华", "  王强"]
    # The log, one line an act, ends with the committee's approval of the conversion.
    assert re.fullmatch(r"\d+ 2025-07-09 approve_conversion 组织委员", lines[-1]), lines[-1]


STATES = ["applicant", "activist", "training", "political_review", "pre_review", "publicity",
          "vote", "approval", "probationary", "conversion_publicity", "conversion_vote",
          "conversion_approval", "full_member"]
