"""The secret calendar URL: the agenda as iCalendar, parsed back with the icalendar package."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from icalendar import Calendar

from tests.helpers import create_applicant


def issue(client, org, who: str = "branch") -> str:
    response = client.post("/api/v1/calendar-feed", headers=org.headers(who))
    assert response.status_code == 201, response.json
    url = response.json["url"]
    assert url.startswith("http://localhost/calendar/") and url.endswith(".ics")
    return urlsplit(url).path


def test_the_feed_carries_the_agenda(client, org, clock):
    clock.set_today(date(2025, 6, 2))
    late = create_applicant(client, org, applied_on=date(2025, 4, 1), name="王芳")
    due = create_applicant(client, org, applied_on=date(2025, 5, 20), name="赵敏")
    path = issue(client, org)
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "no-store" in response.headers["Cache-Control"]
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["version"]) == "2.0"
    assert "branch" in str(calendar["x-wr-calname"])
    events = calendar.walk("VEVENT")
    agenda = client.get("/api/v1/agenda", headers=org.headers("branch")).json["items"]
    assert len(events) == len(agenda) == 2
    by_dossier = {str(e["uid"]).split("-")[0]: e for e in events}
    overdue = by_dossier[str(late["id"])]
    assert overdue.decoded("dtstart") == date(2025, 5, 1)
    assert overdue.decoded("dtend") == date(2025, 5, 2)
    assert str(overdue["summary"]) == "【已逾期】入党申请谈话：王芳（一支部）"
    upcoming = by_dossier[str(due["id"])]
    assert upcoming.decoded("dtstart") == date(2025, 6, 20)
    assert str(upcoming["summary"]) == "入党申请谈话：赵敏（一支部）"
    assert len({str(e["uid"]) for e in events}) == 2
    # Another branch's feed shows none of these.
    other = Calendar.from_ical(client.get(issue(client, org, "other_branch")).data)
    assert other.walk("VEVENT") == []


def test_a_new_url_revokes_the_old_and_revoking_ends_it(client, org):
    first = issue(client, org)
    second = issue(client, org)
    assert first != second
    gone = client.get(first)
    assert gone.status_code == 404 and gone.json["error"] == "not_found"
    assert client.get(second).status_code == 200
    assert client.delete("/api/v1/calendar-feed", headers=org.headers("branch")).status_code == 204
    assert client.get(second).status_code == 404
    again = client.delete("/api/v1/calendar-feed", headers=org.headers("branch"))
    assert again.status_code == 404


def test_refusals(client, org):
    assert client.post("/api/v1/calendar-feed").status_code == 401
    assert client.post("/api/v1/calendar-feed", headers=org.headers("admin")).status_code == 403
    assert client.get("/calendar/not-a-secret.ics").status_code == 404
    assert client.get("/calendar/" + "x" * 101 + ".ics").status_code == 404
