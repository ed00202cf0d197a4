"""`rollout-plan publish` and `open-in-gitlab` from the command line, with a stand-in
`glab` and a stand-in browser on PATH that record what they were given.

The stand-in glab answers as the real `glab api` does (gl-cli/glab
commands/api/api.go): on success the API's JSON on stdout; on an HTTP error GitLab's
JSON on stdout and "glab: <message> (HTTP <status>)" on stderr, exit 1; when the host
cannot be reached, "x error connecting to <url>" and a hint (cmd/glab/main_test.go).
"""

from __future__ import annotations

import json
import os
import stat
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import errors_remain, run_cli
from tests.plans import code_review_plan
from tui import drafts
from tui.plan import Plan
from tui.render import render

FF_ISSUE = "https://gitlab.com/gitlab-org/gitlab/-/issues/547713"

GLAB = """\
#!{python}
import json, pathlib, sys
folder = pathlib.Path({folder!r})
body = sys.stdin.read()
calls = json.loads((folder / "calls.json").read_text()) if (folder / "calls.json").exists() else []
calls.append({{"argv": sys.argv[1:], "stdin": body}})
(folder / "calls.json").write_text(json.dumps(calls))
mode = (folder / "mode").read_text().strip() if (folder / "mode").exists() else "ok"
endpoint = next(a for a in sys.argv[1:] if a.startswith("projects/"))
if mode == "401":
    sys.stdout.write('{{"message":"401 Unauthorized"}}')
    sys.stderr.write("glab: 401 Unauthorized (HTTP 401)\\n")
    sys.exit(1)
if mode == "404":
    sys.stdout.write('{{"message":"404 Project Not Found"}}')
    sys.stderr.write("glab: 404 Project Not Found (HTTP 404)\\n")
    sys.exit(1)
if mode == "network":
    sys.stderr.write(
        "x error connecting to https://gitlab.com/api/v4\\n"
        "\\u2022 check your internet connection or status.gitlab.com or 'Run sudo "
        "gitlab-ctl status' on your server if self-hosted\\n"
    )
    sys.exit(1)
if mode == "garbage":
    sys.stdout.write("<html>proxy login</html>")
    sys.exit(0)
sent = json.loads(body)
project = endpoint.split("/")[1].replace("%2F", "/")
iid = int(endpoint.split("/")[3]) if endpoint.count("/") == 3 else 14
labels = sent.get("labels")
sys.stdout.write(json.dumps({{
    "id": 84, "iid": iid, "project_id": 4, "title": sent.get("title", "t"),
    "description": sent["description"], "state": "opened",
    "labels": labels.split(",") if labels else [],
    "confidential": sent.get("confidential", True),
    "web_url": f"https://gitlab.com/{{project}}/-/issues/{{iid}}",
}}))
"""

BROWSER = """\
#!/bin/sh
printf '%s\\n' "$1" >> {log}
"""


def executable(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder first on PATH (python stays reachable), and the config folder."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("ROLLOUT_PLAN_CONFIG", str(tmp_path / "config"))
    return folder


@pytest.fixture
def glab(bin_dir: Path, tmp_path: Path) -> Path:
    """The stand-in glab; its records go in tmp_path/glab-calls/."""
    records = tmp_path / "glab-calls"
    records.mkdir()
    executable(bin_dir / "glab", GLAB.format(python=sys.executable, folder=str(records)))
    return records


def calls(records: Path) -> list[dict[str, object]]:
    path = records / "calls.json"
    return json.loads(path.read_text()) if path.exists() else []


@pytest.fixture
def no_glab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PATH with python but no glab at all."""
    folder = tmp_path / "only-python"
    folder.mkdir()
    (folder / "python3").symlink_to(sys.executable)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setenv("ROLLOUT_PLAN_CONFIG", str(tmp_path / "config"))


def ready_plan() -> Plan:
    plan = code_review_plan()
    plan.quick_actions.labels = ["type::feature", "group::code review", "  AI  Model ", " "]
    return plan


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


# --- publish ----------------------------------------------------------------------------


def test_publish_passes_title_confidential_labels_and_the_exact_description(
    glab: Path,
) -> None:
    draft = drafts.create(ready_plan())
    result = run_cli("publish", draft.id)
    assert result.returncode == 0, result.stderr
    (call,) = calls(glab)
    assert call["argv"] == [
        "api",
        "--hostname",
        "gitlab.com",
        "--method",
        "POST",
        "--header",
        "Content-Type: application/json",
        "projects/gitlab-org%2Fgitlab/issues",
        "--input",
        "-",
    ]
    body = json.loads(str(call["stdin"]))
    assert body == {
        "title": "[claude-4-0-sonnet] Rollout Plan",
        "description": render(draft.plan),
        "confidential": True,
        "labels": "type::feature,group::code review,AI Model",
    }
    # Nothing of the plan is on glab's command line, where `ps` shows it.
    assert not any("Rollout" in arg for arg in call["argv"])  # type: ignore[union-attr]
    url = "https://gitlab.com/gitlab-org/gitlab/-/issues/14"
    assert result.stdout.splitlines()[:2] == [
        "Created issue #14 in gitlab-org/gitlab on gitlab.com (confidential; "
        "labels type::feature, group::code review, AI Model).",
        url,
    ]
    stored = json.loads(draft.path.read_text())
    assert stored["published"]["url"] == url
    assert drafts.load(draft.path).plan == draft.plan
    # list shows it, in text and JSON
    listed = run_cli("list")
    assert f"→ {url}" in listed.stdout
    assert json.loads(run_cli("list", "--json").stdout)["drafts"][0]["published"] == url


def test_a_plan_not_confidential_is_published_not_confidential(glab: Path) -> None:
    plan = ready_plan()
    plan.quick_actions.confidential = False
    draft = drafts.create(plan)
    assert run_cli("publish", draft.id).returncode == 0
    assert json.loads(str(calls(glab)[0]["stdin"]))["confidential"] is False


def test_a_second_publish_refuses_and_points_at_the_issue(glab: Path) -> None:
    draft = drafts.create(ready_plan())
    assert run_cli("publish", draft.id).returncode == 0
    again = run_cli("publish", draft.id)
    assert again.returncode == 1
    line = one_line(again.stderr)
    assert "already is https://gitlab.com/gitlab-org/gitlab/-/issues/14" in line
    assert f"rollout-plan publish {draft.id} --update" in line
    assert len(calls(glab)) == 1


def test_update_replaces_the_description_of_the_recorded_issue(glab: Path) -> None:
    draft = drafts.create(ready_plan())
    assert run_cli("publish", draft.id).returncode == 0
    loaded = drafts.load(draft.path)
    loaded.plan.legal.notes = "Reviewed by legal."
    drafts.save(loaded)
    result = run_cli("publish", draft.id, "--update")
    assert result.returncode == 0, result.stderr
    call = calls(glab)[1]
    argv = call["argv"]
    assert argv[argv.index("--method") + 1] == "PUT"  # type: ignore[union-attr]
    assert "projects/gitlab-org%2Fgitlab/issues/14" in argv  # type: ignore[operator]
    assert json.loads(str(call["stdin"])) == {"description": render(loaded.plan)}
    assert "Replaced the description of issue #14" in result.stdout


def test_update_before_publishing_says_so(glab: Path) -> None:
    draft = drafts.create(ready_plan())
    result = run_cli("publish", draft.id, "--update")
    assert result.returncode == 2
    assert "no published issue to update" in one_line(result.stderr)
    assert calls(glab) == []


def test_publish_refuses_while_errors_remain_unless_forced(glab: Path) -> None:
    draft = drafts.create(Plan())
    refused = run_cli("publish", draft.id)
    assert refused.returncode == 1
    line = one_line(refused.stderr)
    assert f"not published: {errors_remain(draft.plan)}" in line and "--force" in line
    assert calls(glab) == []
    forced = run_cli("publish", draft.id, "--force", "--project", "team/plans")
    assert forced.returncode == 0, forced.stderr
    assert "projects/team%2Fplans/issues" in calls(glab)[0]["argv"]  # type: ignore[operator]


def test_publish_without_glab_says_how_to_get_it(no_glab: None) -> None:
    draft = drafts.create(ready_plan())
    result = run_cli("publish", draft.id)
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert "glab is not installed" in line
    assert f"open-in-gitlab {draft.id}" in line
    assert "published" not in json.loads(draft.path.read_text())


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        (
            "401",
            "glab is not signed in to gitlab.com (401 Unauthorized (HTTP 401)): run glab auth "
            "login --hostname gitlab.com",
        ),
        (
            "404",
            "GitLab on gitlab.com has no project gitlab-org/gitlab that you can see "
            "(404 Project Not Found (HTTP 404))",
        ),
        (
            "network",
            "glab could not reach gitlab.com: error connecting to https://gitlab.com/api/v4",
        ),
        ("garbage", "glab answered, but not with an issue's address"),
    ],
)
def test_glab_failing_is_one_line_and_records_nothing(glab: Path, mode: str, says: str) -> None:
    (glab / "mode").write_text(mode)
    draft = drafts.create(ready_plan())
    result = run_cli("publish", draft.id)
    assert result.returncode == 1
    assert one_line(result.stderr).startswith(f"rollout-plan: not published: {says}")
    assert "published" not in json.loads(draft.path.read_text())


def test_publish_asks_for_no_project_without_a_terminal_and_names_the_flag(glab: Path) -> None:
    plan = ready_plan()
    plan.overview.ff_issue = "#123"
    draft = drafts.create(plan)
    result = run_cli("publish", draft.id)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "--project group/project" in line and "config.toml" in line
    assert calls(glab) == []


def test_the_config_file_names_the_default_project(glab: Path, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text(
        textwrap.dedent("""\
            [gitlab]
            host = "gitlab.example.com"
            project = "ai/rollouts"
        """)
    )
    plan = ready_plan()
    plan.overview.ff_issue = "#123"
    draft = drafts.create(plan)
    assert run_cli("publish", draft.id).returncode == 0
    argv = calls(glab)[0]["argv"]
    assert argv[argv.index("--hostname") + 1] == "gitlab.example.com"  # type: ignore[union-attr]
    assert "projects/ai%2Frollouts/issues" in argv  # type: ignore[operator]


def test_publish_refuses_a_draft_open_in_a_wizard(glab: Path) -> None:
    from tui import locks

    draft = drafts.create(ready_plan())
    # Another live process of this machine: this test's parent.
    lock = locks.lock_path(draft.path)
    lock.write_text(
        json.dumps(
            {
                "pid": os.getppid(),
                "host": __import__("socket").gethostname(),
                "started": drafts.now(),
                "for": "edit",
            }
        )
    )
    result = run_cli("publish", draft.id)
    assert result.returncode == 1
    assert "is open in process" in one_line(result.stderr)
    assert calls(glab) == []


# --- open-in-gitlab ---------------------------------------------------------------------


@pytest.fixture
def browser(bin_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    log = tmp_path / "browser.log"
    script = executable(bin_dir / "record-browser", BROWSER.format(log=log))
    monkeypatch.setenv("BROWSER", str(script))
    return log


def test_open_in_gitlab_opens_the_new_issue_page_and_says_the_copy_was_not_confirmed(
    browser: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)  # no system clipboard: the copy fails
    plan = ready_plan()
    plan.title.title = 'A&B #1 100% "q" 🚀'
    draft = drafts.create(plan)
    result = run_cli("open-in-gitlab", draft.id)
    assert result.returncode == 0, result.stderr
    url = (
        "https://gitlab.com/gitlab-org/gitlab/-/issues/new?issue[title]="
        "A%26B%20%231%20100%25%20%22q%22%20%F0%9F%9A%80&issue[confidential]=true"
    )
    assert browser.read_text().splitlines() == [url]
    assert result.stdout.splitlines()[-1] == url
    saved = home / "exports" / f"{draft.id}.md"
    assert "the description was not copied" in one_line(result.stderr)
    assert str(saved) in result.stderr
    assert saved.read_text() == render(plan)


def test_over_ssh_the_address_is_printed_not_opened(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5555 10.0.0.2 22")
    draft = drafts.create(ready_plan())
    result = run_cli("open-in-gitlab", draft.id, "--project", "a/b", "--host", "gl.example.com")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "No browser opened: this is an SSH session" in lines[-2]
    assert lines[-1] == (
        "https://gl.example.com/a/b/-/issues/new?issue[title]="
        "%5Bclaude-4-0-sonnet%5D%20Rollout%20Plan&issue[confidential]=true"
    )


def test_open_in_gitlab_refuses_while_errors_remain(browser: Path) -> None:
    draft = drafts.create(Plan())
    result = run_cli("open-in-gitlab", draft.id)
    assert result.returncode == 1
    assert f"not opened: {errors_remain(draft.plan)}" in one_line(result.stderr)
    assert not browser.exists()


def test_in_a_terminal_publish_asks_for_the_project(glab: Path) -> None:
    import pty
    import subprocess

    plan = ready_plan()
    plan.overview.ff_issue = "#123"
    draft = drafts.create(plan)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "publish", draft.id],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    os.close(follower)
    seen = b""
    while b"(group/project): " not in seen:
        seen += os.read(leader, 1024)
    os.write(leader, b"team/plans\n")
    while True:
        try:
            chunk = os.read(leader, 1024)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=60) == 0, seen.decode()
    os.close(leader)
    assert b"GitLab project on gitlab.com for the issue" in seen
    assert "projects/team%2Fplans/issues" in calls(glab)[0]["argv"]  # type: ignore[operator]
