"""The review screen's way to GitLab: `o` copies the description and opens the
project's new-issue page; `P` creates the issue with glab and records its address.

The base of ReviewScreen, kept apart so the GitLab steps read in one place. It uses
the screen's `session`, `markdown` (the checked description), `refusal` (why it may not
leave the tool), `glab` (glab's path or None), `_say` and `_export`.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.screen import Screen

from tui import drafts, gitlab_links, publish
from tui.browser import open_url
from tui.checks import errors, remaining
from tui.clipboard import CopyResult, copy_to_system, copy_to_tmux
from tui.errors import UserError
from tui.gitlab_links import IssueAddress, Target
from tui.session import ChangedOnDisk, Session


class GitLabActions(Screen[str | None]):
    session: Session
    markdown: str
    refusal: str
    glab: str | None

    def _say(self, text: str, warning: bool = False) -> None:
        raise NotImplementedError

    def _export(self) -> str:
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `P` is offered only where glab is installed.
        if action == "publish":
            return self.glab is not None
        return True

    # --- o: open the new-issue page ----------------------------------------------------

    def action_open_in_gitlab(self) -> None:
        if self.refusal:
            self._say(f"Not opened: {self.refusal}", warning=True)
            return
        self._despite_errors("Open anyway", lambda: self._with_target(self._open_page))

    def _open_page(self, target: Target) -> None:
        plan = self.session.plan
        url = target.new_issue_url(self.session.draft.title, plan.quick_actions.confidential)
        # The description goes where `c` sends it: the terminal (OSC 52, through tmux)
        # and the system clipboard, which alone can confirm it.
        self.app.copy_to_clipboard(self.markdown)
        self._copy_and_browse(url)

    @work(thread=True, group="gitlab")
    def _copy_and_browse(self, url: str) -> None:
        # All run other programs (tmux, xclip, the browser): kept off the event loop.
        copy_to_tmux(self.markdown)
        result = copy_to_system(self.markdown)
        not_opened = open_url(url)
        self.app.call_from_thread(self._browsed, result, url, not_opened)

    def _browsed(self, result: CopyResult, url: str, not_opened: str | None) -> None:
        if result.confirmed:
            copied = f"Copied the description: {result.detail}, and sent to the terminal."
        else:
            try:
                saved = f"it is saved in {self._export()}"
            except OSError as error:
                saved = f"it could not be saved either ({error})"
            copied = (
                "Sent the description to the terminal's clipboard (OSC 52), which cannot be "
                f"confirmed; {result.detail}; {saved}."
            )
        if not_opened:
            self._say(f"{copied} No browser opened ({not_opened}): open {url}", warning=True)
        else:
            self._say(f"{copied} Opened GitLab's new-issue page: paste it there.")

    # --- P: create the issue with glab -------------------------------------------------

    def action_publish(self) -> None:
        if self.glab is None:
            self._say(f"glab is not installed: {publish.INSTALL_HINT}", warning=True)
            return
        if self.refusal:
            self._say(f"Not published: {self.refusal}", warning=True)
            return
        if self.session.read_only:
            self._say("Not published: this window only reads the draft.", warning=True)
            return
        published = self.session.draft.published
        if published is None:
            self._despite_errors("Publish anyway", lambda: self._with_target(self._confirm))
            return
        address = gitlab_links.issue_address(published.url)
        if address is None:
            self._say(f"The recorded issue {published.url} is not an issue URL.", warning=True)
            return
        self._ask(
            f"This draft is already issue #{address.iid}: {published.url}",
            "Replace its description with this one?",
            "Replace description",
            lambda: self._publish(address.target, address),
        )

    def _confirm(self, target: Target) -> None:
        kind = "confidential" if self.session.plan.quick_actions.confidential else "PUBLIC"
        self._ask(
            f"Create a {kind} issue in {target.project} on {target.host} with glab, "
            "with this title, description and labels?",
            "Create it?",
            "Create issue",
            lambda: self._publish(target, None),
        )

    def _publish(self, target: Target, address: IssueAddress | None) -> None:
        self._say(f"glab is sending the issue to {target.host}…")
        self._run_glab(target, address)

    @work(thread=True, group="gitlab", exclusive=True)
    def _run_glab(self, target: Target, address: IssueAddress | None) -> None:
        session = self.session
        try:
            if address is not None:
                issue = publish.update(address, self.markdown)
            else:
                issue = publish.create(target, session.plan, session.draft.title, self.markdown)
        except publish.PublishError as error:
            self.app.call_from_thread(self._say, f"Not published: {error}", True)
            return
        if address is not None:
            self.app.call_from_thread(
                self._say, f"Replaced the description of issue #{issue.iid}: {issue.url}"
            )
            return
        session.draft.published = drafts.Published(issue.url, drafts.now())
        session.mark_dirty()
        try:
            session.save_now()
            recorded = "recorded in the draft"
        except (ChangedOnDisk, OSError) as error:
            recorded = f"NOT recorded in the draft ({error}): keep this address"
        warning = issue.confidential is False and session.plan.quick_actions.confidential
        note = " GitLab did not make it confidential: do so now." if warning else ""
        self.app.call_from_thread(
            self._say, f"Created issue #{issue.iid}: {issue.url} ({recorded}).{note}", warning
        )

    # --- shared steps --------------------------------------------------------------------

    def _despite_errors(self, go: str, then: Callable[[], None]) -> None:
        """Go on at once, or once the user chose to while errors remain."""
        blocking = errors(self.session.findings)
        if not blocking:
            then()
            return
        names = "; ".join(f"{f.section} › {f.field}" for f in blocking[:6])
        more = f" and {len(blocking) - 6} more" if len(blocking) > 6 else ""
        self._ask(
            f"{remaining(len(blocking))}: {names}{more}.",
            f"{go}?",
            go,
            then,
        )

    def _with_target(self, then: Callable[[Target], None]) -> None:
        """The project from the FF issue link or the config file, else asked for."""
        try:
            host, project, scheme = gitlab_links.where(
                None, None, self.session.plan.overview.ff_issue
            )
        except UserError as error:
            self._say(str(error), warning=True)
            return
        if project is not None:
            then(Target(host, project, scheme))
            return
        from tui.screens.dialogs import AskText

        def answered(value: str | None) -> None:
            if not value:
                self._say(f"No project given: {gitlab_links.project_hint()}", warning=True)
                return
            try:
                chosen = gitlab_links.normal_project(value)
            except UserError as error:
                self._say(str(error), warning=True)
                return
            then(Target(host, chosen, scheme))

        self.app.push_screen(
            AskText(f"GitLab project on {host} for the issue", "group/project"), answered
        )

    def _ask(self, message: str, question: str, go: str, then: Callable[[], None]) -> None:
        from tui.screens.dialogs import confirm

        def chosen(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(confirm(message, question, go=("go", go)), chosen)
