"""`/api/v1/audit` and `recruitflow audit`: who may read, queries and pages, exports that
Excel reads with Chinese intact, verification, checkpoints and the compliance report."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from tests.helpers import create_applicant, dossier_in, record
from workflow.domain.audit import entry_for
from workflow.domain.deadlines import earliest_due
from workflow.usecases import services as core

AUDIT = "/api/v1/audit"


def get(client, org, path: str, who: str = "auditor", **params):
    return client.get(f"{AUDIT}{path}", query_string=params, headers=org.headers(who))


def all_entries(client, org, who: str = "auditor", **params) -> list[dict]:
    items, cursor = [], None
    while True:
        page = get(client, org, "/entries", who, limit=3,
                   **params, **({"cursor": cursor} if cursor else {}))
        assert page.status_code == 200, page.json
        items += page.json["items"]
        cursor = page.json["next_cursor"]
        if cursor is None:
            return items


@pytest.fixture
def logged(client, rt, org) -> dict[str, int]:
    """Dossiers in the auditor's committee and one outside it."""
    inside = create_applicant(client, org, name="张三丰")["id"]
    assert record(client, org, inside, "talk", rt.env.today(), "branch", by="书记").status_code \
        == 201
    other = create_applicant(client, org, branch_id=org.other_branch, who="other_branch",
                             name="李四")["id"]
    far = create_applicant(client, org, branch_id=org.other_committee_branch,
                           who="far_branch", name="王五")["id"]
    return {"inside": inside, "other": other, "far": far}


@pytest.mark.parametrize("who", ["branch", "committee"])
def test_only_auditors_and_admins_read_the_log(client, org, logged, who):
    for path in ("/entries", "/export", "/verify", "/checkpoint", "/compliance"):
        response = get(client, org, path, who)
        assert response.status_code == 403, path
        assert response.json["error"] == "forbidden"
    assert client.get(f"{AUDIT}/entries").status_code == 401


def test_auditors_change_nothing_every_write_answers_403(client, org, logged):
    did = logged["inside"]
    writes = [
        ("/api/v1/applicants", {"name": "x"}),
        (f"/api/v1/applicants/{did}/records", {"type": "talk", "date": "2020-01-01"}),
        (f"/api/v1/applicants/{did}/transitions", {"trigger": "no_such_trigger"}),
        (f"/api/v1/applicants/{did}/transitions", {"trigger": "withdraw",
                                                   "effective_date": "2020-01-01",
                                                   "reason": "x"}),
        ("/api/v1/organizations", {"name": "x", "kind": "branch"}),
        ("/api/v1/users", {}),
        ("/api/v1/members", {"name": "x"}),
    ]
    for path, body in writes:
        response = client.post(path, json=body, headers=org.headers("auditor"))
        assert response.status_code == 403, (path, response.json)
        assert response.json["error"] == "forbidden"
    # Changing nothing, verifying against a checkpoint is a POST auditors may make.
    kept = get(client, org, "/checkpoint").json
    assert client.post(f"{AUDIT}/verify", json=kept,
                       headers=org.headers("auditor")).status_code == 200


def test_entries_are_scoped_filtered_and_paged(client, org, logged):
    items = all_entries(client, org)
    assert {e["dossier_id"] for e in items} == {logged["inside"], logged["other"]}
    ids = [e["id"] for e in items]
    assert ids == sorted(set(ids))  # every entry once, oldest first
    admin = all_entries(client, org, "admin")
    assert {e["dossier_id"] for e in admin} == set(logged.values())
    talks = all_entries(client, org, action="talk")
    assert [(e["dossier_id"], e["kind"]) for e in talks] == [(logged["inside"], "record")]
    assert talks[0]["payload"] == {"by": "书记"} and len(talks[0]["hash"]) == 64
    assert [e["dossier_id"] for e in all_entries(client, org, organization_id=org.other_branch)
            ] == [logged["other"]]
    assert all_entries(client, org, kind="create", dossier_id=logged["inside"])[0]["seq"] == 1
    branch_actor = talks[0]["actor_id"]
    assert {e["actor_id"] for e in all_entries(client, org, actor_id=branch_actor)} == {
        branch_actor}


def test_entries_by_date_ranges(client, rt, org, logged):
    today = rt.env.today()
    everything = all_entries(client, org)
    assert all_entries(client, org, recorded_from=today.isoformat(),
                       recorded_to=today.isoformat()) == everything
    assert all_entries(client, org, recorded_to=(today - timedelta(days=1)).isoformat()) == []
    talks = all_entries(client, org, effective_from=today.isoformat())
    assert [e["action"] for e in talks] == ["talk"]
    assert all_entries(client, org, effective_to=(today - timedelta(days=1)).isoformat(),
                       effective_from=(today - timedelta(days=500)).isoformat()
                       ) == [e for e in everything if e["action"] == "create"]


@pytest.mark.parametrize("params", [
    {"organization_id": 999999}, {"cursor": "abc"}, {"limit": 0}, {"kind": "delete"},
    {"recorded_from": "2025-02-30"}, {"effective_from": "2025-01-02", "effective_to": "2025-01-01"},
    {"limit": 1001}, {"dossier_id": "0"},
])
def test_bad_queries_are_422_not_500(client, org, logged, params):
    response = get(client, org, "/entries", **params)
    assert response.status_code == 422, response.json
    assert response.json["error"] == "validation_error"


def test_an_organisation_outside_the_scope_is_refused(client, org, logged):
    response = get(client, org, "/entries", organization_id=org.other_committee_branch)
    assert response.status_code == 422
    assert "organization_id" in response.json["fields"]


def test_csv_export_opens_with_chinese_intact(client, org, logged):
    response = get(client, org, "/export", format="csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == len(all_entries(client, org))
    created = [r for r in rows if r["action"] == "create"]
    assert {json.loads(r["payload"])["name"] for r in created} == {"张三丰", "李四"}
    assert {r["actor_name"] for r in rows} == {"branch", "other_branch"}


def test_xlsx_export_reads_back_with_openpyxl(client, org, logged):
    response = get(client, org, "/export", format="xlsx", action="create")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:5] == ("id", "dossier_id", "seq", "kind", "action")
    names = {json.loads(row[header.index("payload")])["name"] for row in rows}
    assert names == {"张三丰", "李四"}


def test_jsonl_export_and_an_empty_one(client, org, logged):
    response = get(client, org, "/export", format="jsonl", dossier_id=logged["inside"])
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert [(e["seq"], e["action"]) for e in lines] == [(1, "create"), (2, "talk")]
    assert lines[1]["payload"] == {"by": "书记"}
    empty = get(client, org, "/export", format="csv", action="approve").get_data()
    assert empty.decode("utf-8-sig").strip().startswith("id,dossier_id")


def test_cli_export_streams_to_stdout(runner, logged):
    result = runner.invoke(args=["audit", "export", "--format", "csv", "--kind", "create"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert {json.loads(r["payload"])["name"] for r in rows} == {"张三丰", "李四", "王五"}


def test_verify_and_checkpoint_over_the_api(client, org, logged):
    result = get(client, org, "/verify").json
    assert result["ok"] is True and result["problems"] == []
    assert result["dossiers"] == 2 and result["entries"] == 3
    kept = get(client, org, "/checkpoint").json
    assert kept["scope"].count("/") == 2 and kept["entries"] == 3 and len(kept["root"]) == 64
    again = client.post(f"{AUDIT}/verify", json=kept, headers=org.headers("auditor")).json
    assert again["ok"] is True and again["checkpoint_root"] == kept["root"]
    kept["heads"] = kept["heads"][:1]
    tampered = client.post(f"{AUDIT}/verify", json=kept, headers=org.headers("auditor")).json
    assert [p["kind"] for p in tampered["problems"]] == ["checkpoint_invalid"]
    bad = client.post(f"{AUDIT}/verify", json={"heads": [[1]]}, headers=org.headers("auditor"))
    assert bad.status_code == 422


# The compliance report


def _findings(client, org, **params) -> dict[int, set[tuple[str, str]]]:
    response = get(client, org, "/compliance", **params)
    assert response.status_code == 200, response.json
    found: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for f in response.json["items"]:
        found[f["dossier_id"]].add((f["rule"], f["status"]))
    return found


def _import_transition(rt, org, dossier_id: int, trigger: str, dest: str, on,
                       **facts) -> None:
    """What an import of old paper records does: the transition written as it happened, with
    the dates it set (`facts`), without asking the rules (the way data arrives that
    compliance has to catch)."""
    actor = core.authenticate(uow=rt.uow, token=org.tokens["branch"])
    with rt.uow.transaction(write=True) as tx:
        dossier = tx.repo.dossier(dossier_id).dossier
        before, read = dossier.state, dossier.version
        dossier.state, dossier.version, dossier.last_effective_on = dest, read + 1, on
        for name, value in facts.items():
            setattr(dossier, name, value)
        # An import writes the agenda's deadline bound too, as every change of a dossier must.
        assert tx.repo.save_dossier(dossier, expected_version=read, now=rt.env.now(),
                                    next_due=earliest_due(dossier, rt.env.procedure,
                                                          rt.env.rulebooks))
        tx.repo.append(entry_for(
            dossier_id=dossier_id, seq=read + 1, kind="transition", action=trigger,
            from_state=before, to_state=dest, effective_date=on, payload={}, actor=actor,
            recorded_at=rt.env.now(), request_id=None, rulebook_id="2014",
            revision=rt.env.procedure.revision))
        tx.commit()


def test_compliance_finds_each_seeded_violation_and_nothing_on_a_clean_dossier(
        client, rt, org):
    today = rt.env.today()
    late_talk = create_applicant(client, org, applied_on=today - timedelta(days=100))["id"]
    assert record(client, org, late_talk, "talk", today - timedelta(days=60), "branch",
                  by="书记").status_code == 201
    no_evaluation = dossier_in(client, rt, org, "activist",
                               finished_by=today - timedelta(days=300))["id"]
    no_approval = dossier_in(client, rt, org, "approval",
                             finished_by=today - timedelta(days=120))["id"]
    probation_over = dossier_in(client, rt, org, "probationary",
                                finished_by=today - timedelta(days=400))["id"]
    late_reason = dossier_in(client, rt, org, "approval",
                             finished_by=today - timedelta(days=120))["id"]
    assert record(client, org, late_reason, "extension_reason", today, "committee",
                  reason="外调未完成").status_code == 201
    imported = create_applicant(client, org, applied_on=today - timedelta(days=20))["id"]
    _import_transition(rt, org, imported, "designate_activist", "activist",
                       today - timedelta(days=10), activist_on=today - timedelta(days=10))
    clean = dossier_in(client, rt, org, "full_member")["id"]

    found = _findings(client, org)
    assert found[late_talk] == {("talk_deadline", "late")}
    assert found[no_evaluation] == {("evaluation_due", "missing")}
    assert found[no_approval] == {("approval_deadline", "missing")}
    assert found[probation_over] == {("probation_end", "missing")}
    # The reason gives six months, but it came after the three had run out.
    assert found[late_reason] == {("approval_deadline", "late")}
    assert found[imported] == {("talk_done", "failed"), ("recommended", "failed"),
                               ("contacts", "failed")}
    assert clean not in found
    assert set(found) == {late_talk, no_evaluation, no_approval, probation_over, late_reason,
                          imported}


def test_compliance_details_language_scope_and_cli(client, rt, org, runner):
    today = rt.env.today()
    applied = today - timedelta(days=100)
    late_talk = create_applicant(client, org, applied_on=applied)["id"]
    talk_on = today - timedelta(days=60)
    record(client, org, late_talk, "talk", talk_on, "branch", by="书记")
    far = create_applicant(client, org, branch_id=org.other_committee_branch, who="far_branch",
                           applied_on=applied)["id"]
    response = client.get(f"{AUDIT}/compliance", headers=org.headers("auditor",
                                                                     **{"Accept-Language": "zh"}))
    [finding] = response.json["items"]  # the far dossier lies outside the auditor's scope
    assert finding["dossier_id"] == late_talk and finding["seq"] == 2
    assert finding["on"] == talk_on.isoformat()
    assert finding["message"] == finding["message_zh"] and "谈话" in finding["message"]
    assert talk_on.isoformat() in finding["message_en"]
    result = runner.invoke(args=["audit", "compliance", "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert {(f["dossier_id"], f["rule"], f["status"]) for f in lines} == {
        (late_talk, "talk_deadline", "late"), (far, "talk_deadline", "missing")}
