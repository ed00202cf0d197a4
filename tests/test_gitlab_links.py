"""Where the issue goes: host and project from flags, the FF issue link and the config
file, and the new-issue address built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui import gitlab_links
from tui.errors import UserError
from tui.gitlab_links import Place, Target, from_link, quote


@pytest.fixture(autouse=True)
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv(gitlab_links.CONFIG_ENV, str(folder))
    return folder


GITLAB = Target("gitlab.com", "gitlab-org/gitlab")


@pytest.mark.parametrize(
    ("title", "encoded"),
    [
        ("[claude-4-0-sonnet] Rollout Plan", "%5Bclaude-4-0-sonnet%5D%20Rollout%20Plan"),
        ("A & B", "A%20%26%20B"),
        ("#1 model", "%231%20model"),
        ("100% faster", "100%25%20faster"),
        ("x=1+2", "x%3D1%2B2"),
        ("🚀 launch", "%F0%9F%9A%80%20launch"),
        ("\"quoted\" and 'single'", "%22quoted%22%20and%20%27single%27"),
        ("Zürich/Genève", "Z%C3%BCrich%2FGen%C3%A8ve"),
        ("tilde~dot.dash-under_", "tilde~dot.dash-under_"),
    ],
)
def test_titles_are_percent_encoded_so_nothing_ends_the_value(title: str, encoded: str) -> None:
    url = GITLAB.new_issue_url(title, confidential=True)
    assert url == (
        "https://gitlab.com/gitlab-org/gitlab/-/issues/new"
        f"?issue[title]={encoded}&issue[confidential]=true"
    )


def test_confidential_follows_the_plan() -> None:
    url = GITLAB.new_issue_url("t", confidential=False)
    assert url == "https://gitlab.com/gitlab-org/gitlab/-/issues/new?issue[title]=t"


def test_an_escape_sequence_in_a_title_cannot_reach_the_terminal() -> None:
    assert quote("a\x1b]52;c;x\x07") == "a%1B%5D52%3Bc%3Bx%07"


@pytest.mark.parametrize(
    ("link", "place"),
    [
        (
            "https://gitlab.com/gitlab-org/gitlab/-/issues/547713",
            Place("gitlab.com", "gitlab-org/gitlab"),
        ),
        (
            "https://gitlab.com/gitlab-org/gitlab/-/work_items/547713",
            Place("gitlab.com", "gitlab-org/gitlab"),
        ),
        (
            "https://gitlab.com/gitlab-org/modelops/ai/prompt-library/-/issues/12#note_99",
            Place("gitlab.com", "gitlab-org/modelops/ai/prompt-library"),
        ),
        (
            "https://GitLab.Example.com:8443/team/app/issues/3/",
            Place("gitlab.example.com:8443", "team/app"),
        ),
        (
            "http://gitlab.internal/team/app/-/issues/3?foo=bar",
            Place("gitlab.internal", "team/app", "http"),
        ),
        # A group's work item names the host but no project to file in.
        ("https://gitlab.com/groups/gitlab-org/-/work_items/5", Place("gitlab.com", None)),
        ("gitlab-org/gitlab#547713", Place(None, "gitlab-org/gitlab")),
        ("gitlab-org/sub/project#1", Place(None, "gitlab-org/sub/project")),
        ("#123", Place()),
        ("", Place()),
        ("https://gitlab.com/gitlab-org/gitlab/-/merge_requests/5", Place()),
        ("not a link", Place()),
    ],
)
def test_host_and_project_from_each_form_of_ff_issue_link(link: str, place: Place) -> None:
    assert from_link(link) == place


def test_flags_win_over_the_link_and_the_link_over_the_config(config: Path) -> None:
    config.mkdir()
    (config / "config.toml").write_text(
        '[gitlab]\nhost = "gitlab.example.com"\nproject = "team/plans"\n'
    )
    link = "https://gitlab.com/gitlab-org/gitlab/-/issues/1"
    assert gitlab_links.where(None, None, link) == ("gitlab.com", "gitlab-org/gitlab", "https")
    assert gitlab_links.where("other.org", "a/b", link) == ("other.org", "a/b", "https")
    assert gitlab_links.where(None, None, "#1") == ("gitlab.example.com", "team/plans", "https")
    # A reference names the project; the host comes from the config.
    assert gitlab_links.where(None, None, "x/y#1") == ("gitlab.example.com", "x/y", "https")


def test_without_flags_link_or_config_the_host_is_gitlab_com_and_no_project() -> None:
    assert gitlab_links.where(None, None, "#1") == ("gitlab.com", None, "https")


def test_flags_accept_addresses() -> None:
    assert gitlab_links.where("https://gitlab.example.com/", "https://x.org/a/b/-/issues", "") == (
        "gitlab.example.com",
        "a/b",
        "https",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[gitlab\n", "not valid TOML"),
        ("gitlab = 3\n", "[gitlab] must be a table"),
        ("[gitlab]\nproject = 5\n", "gitlab.project must be a string"),
        ('[gitlab]\nproject = "just-one-part"\n', "is not a GitLab project path"),
        ('[gitlab]\nhost = "evil.com/x y"\n', "is not a host name"),
    ],
)
def test_a_bad_config_file_is_one_clear_error(config: Path, text: str, message: str) -> None:
    config.mkdir()
    (config / "config.toml").write_text(text)
    with pytest.raises(UserError, match=r"config\.toml") as raised:
        gitlab_links.where(None, None, "")
    assert message in str(raised.value)


def test_a_bad_config_file_does_not_matter_while_the_flags_say_it_all(config: Path) -> None:
    config.mkdir()
    (config / "config.toml").write_text("[broken\n")
    assert gitlab_links.where("gitlab.com", "a/b", "") == ("gitlab.com", "a/b", "https")


def test_the_recorded_issue_url_gives_the_api_endpoint() -> None:
    address = gitlab_links.issue_address("https://gitlab.com/group/sub/project/-/issues/42")
    assert address is not None
    assert address.iid == 42
    assert address.target.api_issues() == "projects/group%2Fsub%2Fproject/issues"
