"""The commands' sign-in lines: `create-admin --login` and the demo's logins."""

from __future__ import annotations

from tests.web import csrf_of


def _signs_in(client, login: str, password: str) -> bool:
    client = client.application.test_client()  # a browser of its own
    token = csrf_of(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"login": login, "password": password,
                                       "csrf_token": token}).status_code == 302


def test_create_admin_reads_the_password_from_standard_input(runner, client):
    result = runner.invoke(args=["create-admin", "王书记", "--login", "wang"],
                           input="a long secret\n")
    assert result.exit_code == 0, result.output
    assert "a long secret" not in result.output
    token = result.output.strip().splitlines()[-1]
    assert client.get("/api/v1/workflow",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert _signs_in(client, "wang", "a long secret")


def test_create_admin_generates_a_password_without_input(runner, client):
    result = runner.invoke(args=["create-admin", "李书记", "--login", "li"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("Web sign-in: li "))
    assert _signs_in(client, "li", line.split()[3])
    taken = runner.invoke(args=["create-admin", "另一人", "--login", "li"], input="x" * 10)
    assert taken.exit_code != 0 and "已被使用" in taken.output
    short = runner.invoke(args=["create-admin", "短", "--login", "duan"], input="short\n")
    assert short.exit_code != 0 and "密码长度" in short.output


def test_the_demo_prints_a_login_beside_each_token(runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    logins = {}
    for index, line in enumerate(lines):
        if line.startswith("  token "):
            who = line.split()[1].rstrip(":")
            role, login, password = lines[index + 1].split()[1:]
            assert role == f"{who}:"
            logins[who] = (login, password)
    assert set(logins) == {"admin", "committee", "auditor", "branch1", "branch2", "branch3"}
    assert all(_signs_in(client, *pair) for pair in logins.values())
    # A second demo in the same database (forced) gets logins of its own.
    again = runner.invoke(args=["demo", "--force"])
    assert again.exit_code == 0, again.output
    assert "  login admin: admin-2 " in again.output
