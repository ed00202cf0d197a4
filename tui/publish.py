"""Creating the plan's issue with the GitLab CLI, `glab`, and updating its description.

rollout-plan does not talk to GitLab itself: glab does, with the user's own sign-in.
It runs `glab api` with the request's JSON on standard input (`--input -`), never
`glab issue create`, whose only non-interactive way to take a description is a
command-line argument (`--description TEXT`; `-` opens an editor), which every local
user can read in the process list while it runs: the plan holds confidential metrics.
For the same reason `--update` runs `glab api --method PUT` rather than
`glab issue update --description`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

from tui.errors import UserError
from tui.gitlab_links import IssueAddress, Target, issue_address
from tui.plan import Plan

# glab creates an issue in a second or two; a stalled network is told, not waited out.
TIMEOUT_SECONDS = 120
INSTALL_HINT = "install the GitLab CLI (https://gitlab.com/gitlab-org/cli) and run glab auth login"
# glab ends a failed request with "glab: <GitLab's message> (HTTP <status>)" or
# "glab: HTTP <status>"; a request that never reached GitLab, with Go's error.
_STATUS = re.compile(r"\bHTTP (\d{3})\b")
# glab's marks before a line: x (failure), • (hint).
_MARK = re.compile(r"^\s*[x✗•!]\s+")
_NETWORK = (
    "error connecting to",
    "dial tcp",
    "no such host",
    "connection refused",
    "connection reset",
    "network is unreachable",
    "i/o timeout",
    "tls handshake",
    "x509",
)


class PublishError(UserError):
    """glab is missing, failed, or answered with something that is not an issue."""


@dataclass(frozen=True)
class Issue:
    """The issue as GitLab answered through glab."""

    url: str
    iid: int
    confidential: bool | None
    labels: tuple[str, ...]


def glab() -> str | None:
    """glab's path, when it is installed (on PATH)."""
    return shutil.which("glab")


def labels(plan: Plan) -> list[str]:
    """The plan's labels as GitLab names them (as `/label "…"` writes them, unquoted)."""
    names = (" ".join(name.replace('"', "").split()) for name in plan.quick_actions.labels)
    return [name for name in names if name]


def create(target: Target, plan: Plan, title: str, description: str) -> Issue:
    """Create the issue in `target`'s project; raises PublishError saying why not."""
    body = {
        "title": title,
        "description": description,
        "confidential": plan.quick_actions.confidential,
        # The REST API takes labels as one comma-separated string.
        "labels": ",".join(labels(plan)),
    }
    return _call(target, "POST", target.api_issues(), body, f"project {target.project}")


def update(address: IssueAddress, description: str) -> Issue:
    """Replace the description of the issue at `address`."""
    endpoint = f"{address.target.api_issues()}/{address.iid}"
    missing = f"issue {address.iid} in {address.target.project}"
    return _call(address.target, "PUT", endpoint, {"description": description}, missing)


def command(target: Target, method: str, endpoint: str) -> list[str]:
    """glab's command line: nothing of the plan on it, the body comes on stdin."""
    return [
        glab() or "glab",
        "api",
        "--hostname",
        target.host,
        "--method",
        method,
        # With --input the body is sent as it is; GitLab reads it as JSON only if told.
        "--header",
        "Content-Type: application/json",
        endpoint,
        "--input",
        "-",
    ]


def _call(target: Target, method: str, endpoint: str, body: dict[str, Any], what: str) -> Issue:
    """Run glab; `what` names the thing a 404 means is missing."""
    if glab() is None:
        raise PublishError(f"glab is not installed (not on PATH): {INSTALL_HINT}")
    try:
        done = subprocess.run(
            command(target, method, endpoint),
            input=json.dumps(body, ensure_ascii=False),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIMEOUT_SECONDS,
            env={**os.environ, "NO_COLOR": "1"},
        )
    except subprocess.TimeoutExpired:
        raise PublishError(
            f"glab did not finish in {TIMEOUT_SECONDS} s; the issue may exist all the same: "
            f"look in {target.base}/{target.project}/-/issues before trying again"
        ) from None
    except OSError as error:
        raise PublishError(f"cannot run glab: {error.strerror or error}") from None
    if done.returncode != 0:
        raise PublishError(explain(done.stderr, done.returncode, target, what))
    return _issue(done.stdout, target)


def explain(stderr: str, returncode: int, target: Target, what: str) -> str:
    """glab's failure in one line, with what to do about it."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    # An HTTP failure is glab's "glab: ..." line; any other error comes first, before
    # hints ("• check your internet connection") and notices (a new version).
    said = next((line for line in lines if line.startswith("glab:")), lines[0] if lines else "")
    said = _shorten(_MARK.sub("", said.removeprefix("glab:")).strip())
    said = said or f"exit status {returncode}, no message"
    status = _STATUS.search(said)
    code = status[1] if status else ""
    low = stderr.lower()
    if code == "401" or "auth login" in low or "unauthorized" in low:
        return (
            f"glab is not signed in to {target.host} ({said}): "
            f"run glab auth login --hostname {target.host}"
        )
    if code == "404":
        return f"GitLab on {target.host} has no {what} that you can see ({said})"
    if code == "403":
        return f"you may not create or edit issues in {target.project} on {target.host} ({said})"
    if any(word in low for word in _NETWORK):
        return f"glab could not reach {target.host}: {said}"
    return f"glab failed: {said}"


def _issue(stdout: str, target: Target) -> Issue:
    try:
        data = json.loads(stdout)
    except ValueError:
        data = None
    url = data.get("web_url") if isinstance(data, dict) else None
    iid = data.get("iid") if isinstance(data, dict) else None
    if not isinstance(url, str) or type(iid) is not int or issue_address(url) is None:
        raise PublishError(
            "glab answered, but not with an issue's address: look in "
            f"{target.base}/{target.project}/-/issues before trying again"
        )
    assert isinstance(data, dict)
    confidential = data.get("confidential")
    found = data.get("labels")
    names = tuple(n for n in found if isinstance(n, str)) if isinstance(found, list) else ()
    return Issue(url, iid, confidential if isinstance(confidential, bool) else None, names)


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
