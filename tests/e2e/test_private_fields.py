"""Who sees an applicant's ID number and phone (issue 12, item 3): one rule
(workflow/usecases/privacy.py), checked for every role on every way out of the service."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from tests.helpers import create_applicant

ID_NUMBER, PHONE = "11010119980504002X", "13800138000"
ROLES = ("admin", "branch", "committee", "auditor")
SEES = {"admin": False, "branch": True, "committee": True, "auditor": True}


def _ways_out(client, org, did, who):
    """Each way out: its name and the text it answers (None: refused to this role)."""
    headers = org.headers(who)
    answers = {
        "view": client.get(f"/api/v1/applicants/{did}", headers=headers),
        "log": client.get(f"/api/v1/applicants/{did}/log", headers=headers),
        "entries": client.get(f"/api/v1/audit/entries?dossier_id={did}", headers=headers),
        "csv": client.get(f"/api/v1/audit/export?format=csv&dossier_id={did}", headers=headers),
        "jsonl": client.get(f"/api/v1/audit/export?format=jsonl&dossier_id={did}",
                            headers=headers),
        "xlsx": client.get(f"/api/v1/audit/export?format=xlsx&dossier_id={did}",
                           headers=headers),
    }
    texts = {}
    for name, response in answers.items():
        if response.status_code == 403:
            texts[name] = None
            continue
        assert response.status_code == 200, (name, who, response.data[:200])
        if name == "xlsx":
            sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
            texts[name] = "\n".join(str(c) for row in sheet.iter_rows(values_only=True)
                                    for c in row)
        elif name == "csv":
            texts[name] = response.get_data(as_text=True)
        else:  # JSON, however it escapes Chinese
            lines = response.get_data(as_text=True).splitlines()
            texts[name] = "\n".join(json.dumps(json.loads(line), ensure_ascii=False)
                                    for line in lines if line)
    return texts


@pytest.mark.parametrize("who", ROLES)
def test_private_fields_follow_one_rule_on_every_way_out(client, org, who):
    did = create_applicant(client, org, id_number=ID_NUMBER, phone=PHONE)["id"]
    texts = _ways_out(client, org, did, who)
    # Where each role may look: the audit log is for auditors and administrators.
    readers = {"view", "log"} | ({"entries", "csv", "jsonl", "xlsx"}
                                if who in ("admin", "auditor") else set())
    assert {name for name, text in texts.items() if text is not None} == readers
    for name in readers:
        text = texts[name]
        assert "李明" in text, (name, who)  # the rest of the profile is there
        assert (ID_NUMBER in text) is SEES[who], (name, who)
        assert (PHONE in text) is SEES[who], (name, who)


def test_the_command_line_export_sees_everything(client, org, runner):
    create_applicant(client, org, id_number=ID_NUMBER, phone=PHONE)
    result = runner.invoke(args=["audit", "export", "--format", "jsonl"])
    assert result.exit_code == 0 and ID_NUMBER in result.output
