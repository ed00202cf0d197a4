"""Where a plan's issue goes on GitLab: the host and project, and the addresses
built from them (the new-issue page, the API endpoint glab calls).

The host and project come from, in this order: the command's flags; the plan's
feature flag rollout issue link (a URL gives both, `group/project#12` the project
only, a bare `#12` neither); the config file; and for the host, gitlab.com.

Nothing here touches the network, and this module imports no library that could:
percent-encoding is done by hand (tests/test_privacy.py forbids urllib in tui/).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tui.errors import UserError

CONFIG_ENV = "ROLLOUT_PLAN_CONFIG"  # the config FOLDER (tests point it at tmp_path)
CONFIG_NAME = "config.toml"
DEFAULT_HOST = "gitlab.com"
MAX_CONFIG_BYTES = 64 * 1024

# A host name (or address) with an optional port; nothing that could end the URL's
# authority early or carry a control character.
_HOST = re.compile(r"^[\w-]+(?:\.[\w-]+)*(?::\d{1,5})?$")
# A namespace or project path segment as GitLab allows it (never starting with `-`,
# which is GitLab's `/-/`).
_SEGMENT = r"[\w.~][\w.~-]*"
_PROJECT = re.compile(rf"^{_SEGMENT}(?:/{_SEGMENT})+$")
# An issue's address: https://host/group(/sub)*/project(/-)/issues|work_items/N...
_ISSUE_URL = re.compile(
    rf"^(?P<scheme>https?)://(?P<host>[^/\s?#]+)/(?P<project>{_SEGMENT}(?:/{_SEGMENT})+?)"
    r"(?:/-)?/(?:issues|work_items)/(?P<iid>\d+)/?(?:[?#]\S*)?$",
    re.I,
)
_ISSUE_REF = re.compile(rf"^(?P<project>{_SEGMENT}(?:/{_SEGMENT})+)#(?P<iid>\d+)$")
# RFC 3986's unreserved characters: the only ones a URL carries as they are.
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


class ConfigError(UserError):
    """The config file cannot be read, or holds a value that is not a host or project."""


@dataclass(frozen=True)
class Place:
    """What one source says about where the issue goes; None where it says nothing."""

    host: str | None = None
    project: str | None = None
    scheme: str = "https"


@dataclass(frozen=True)
class Target:
    host: str
    project: str
    scheme: str = "https"

    @property
    def base(self) -> str:
        return f"{self.scheme}://{self.host}"

    def new_issue_url(self, title: str, confidential: bool) -> str:
        """GitLab's new-issue page with the title (and confidential) filled in. The
        description is far too long for a URL: it goes through the clipboard."""
        query = f"issue[title]={quote(title)}"
        if confidential:
            query += "&issue[confidential]=true"
        return f"{self.base}/{quote_path(self.project)}/-/issues/new?{query}"

    def api_issues(self) -> str:
        """The REST endpoint of the project's issues, as `glab api` takes it."""
        return f"projects/{quote(self.project)}/issues"


@dataclass(frozen=True)
class IssueAddress:
    """An issue's URL, read back: where it is and its number in its project."""

    target: Target
    iid: int


def quote(text: str) -> str:
    """`text` percent-encoded as UTF-8, every byte but the unreserved ones escaped
    (so `&`, `#`, `%`, `=`, `+`, `/` and quotes cannot end or change the value)."""
    return "".join(
        chr(byte) if chr(byte) in _UNRESERVED else f"%{byte:02X}" for byte in text.encode()
    )


def quote_path(project: str) -> str:
    return "/".join(quote(segment) for segment in project.split("/"))


def from_link(link: str) -> Place:
    """What a feature flag rollout issue link says: a URL its host and project, a
    `group/project#12` reference its project, anything else nothing."""
    link = link.strip()
    found = _ISSUE_URL.match(link)
    if found:
        host = found["host"].lower()
        if not _HOST.match(host):
            return Place()
        project = found["project"]
        # /groups/<group>/-/work_items/N is a group's work item: no project to file in.
        owner = None if project.lower().startswith("groups/") else project
        return Place(host, owner, found["scheme"].lower())
    reference = _ISSUE_REF.match(link)
    if reference:
        return Place(project=reference["project"])
    return Place()


def issue_address(url: str) -> IssueAddress | None:
    """The host, project and number of an issue URL (the one `publish` recorded)."""
    found = _ISSUE_URL.match(url.strip())
    place = from_link(url)
    if not found or place.host is None or place.project is None:
        return None
    return IssueAddress(Target(place.host, place.project, place.scheme), int(found["iid"]))


def normal_host(value: str) -> str:
    """A host as the user may type it (`gitlab.example.com`, `https://gitlab.example.com/`)."""
    host = value.strip().removeprefix("https://").removeprefix("http://").rstrip("/").lower()
    if not _HOST.match(host):
        raise UserError(f"'{value}' is not a host name (e.g. gitlab.com)")
    return host


def normal_project(value: str) -> str:
    """A project path as the user may type it: `group/project`, or the project's address."""
    project = value.strip()
    if "://" in project:
        path = project.split("://", 1)[1].partition("/")[2]
        project = path.split("/-/", 1)[0]
    project = project.strip("/")
    if not _PROJECT.match(project):
        raise UserError(
            f"'{value}' is not a GitLab project path: give group/project "
            "(or group/subgroup/project)"
        )
    return project


# --- the config file -------------------------------------------------------------------


def config_dir() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_config_path("rollout-plan")


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def from_config() -> Place:
    """The `[gitlab]` table of config.toml (`host`, `project`); nothing when it is missing."""
    path = config_path()
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return Place()
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path} is over {MAX_CONFIG_BYTES // 1024} KiB: not a config file")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    table = data.get("gitlab", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [gitlab] must be a table, with host and project")
    host, project = table.get("host"), table.get("project")
    for key, value in (("host", host), ("project", project)):
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{path}: gitlab.{key} must be a string")
    try:
        return Place(
            normal_host(host) if host else None, normal_project(project) if project else None
        )
    except UserError as error:
        raise ConfigError(f"{path}: {error}") from None


# --- choosing ----------------------------------------------------------------------------


def choose(
    host_flag: str | None, project_flag: str | None, *places: Place
) -> tuple[str, str | None, str]:
    """The host, project (None when no source names one) and scheme: the flags win,
    then each place in order; the host falls back to gitlab.com."""
    host = normal_host(host_flag) if host_flag else None
    project = normal_project(project_flag) if project_flag else None
    scheme = "https"
    for place in places:
        if host is None and place.host is not None:
            host, scheme = place.host, place.scheme
        if project is None and place.project is not None:
            project = place.project
    return host or DEFAULT_HOST, project, scheme


def project_hint() -> str:
    """How to name the project, for a message that found none."""
    return (
        "give --project group/project, or set the default as project under [gitlab] "
        f"in {config_path()}"
    )


def where(
    host_flag: str | None, project_flag: str | None, link: str
) -> tuple[str, str | None, str]:
    """`choose` over the flags, the FF issue link and, only when those leave a gap,
    the config file (so a broken config file is no matter while flags say it all)."""
    linked = from_link(link)
    if (host_flag or linked.host) and (project_flag or linked.project):
        return choose(host_flag, project_flag, linked)
    return choose(host_flag, project_flag, linked, from_config())
