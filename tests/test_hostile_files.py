"""Hostile draft files, folders and streams: nothing is written where a file's content
points, no folder the tool did not create changes mode, no escape sequence reaches
the terminal, and every failure is one line on stderr (issue 11, items 6 to 8)."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CODE_REVIEW, run_cli
from tests.plans import code_review_plan
from tui import drafts, locks
from tui.cli import main
from tui.errors import DraftError
from tui.plan import clean

POSIX = pytest.mark.skipif(os.name == "nt", reason="POSIX modes and devices")

# OSC 52 writes the clipboard ("hi" in base64), OSC 0 the window title, CSI moves the
# cursor; U+202E flips the rest of the line; U+009B is the 8-bit CSI.
HOSTILE = "T\x1b]52;c;aGk=\x07\x1b]0;pwned\x07\x1b[2J\u202egnp.exe\x9b31m\x7f\r\u2028end"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_terminal_safe(text: str) -> None:
    """Nothing in `text` that a terminal would act on or that reorders a line."""
    bad = [
        char
        for char in text
        if (ord(char) < 0x20 and char not in "\n")
        or 0x7F <= ord(char) <= 0x9F
        or char in "\u061c\u200e\u200f\u2028\u2029"
        or 0x202A <= ord(char) <= 0x202E
        or 0x2066 <= ord(char) <= 0x2069
    ]
    assert bad == [], f"unsafe characters reached the terminal: {bad!r}"


def one_line(stderr: str) -> None:
    assert stderr.startswith("rollout-plan: "), stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr


def draft_data(**overrides: object) -> dict[str, object]:
    stamp = drafts.now()
    draft = drafts.Draft("0a0a0a0a", stamp, stamp, code_review_plan(), Path("unused"))
    data = json.loads(draft.to_json())
    data.update(overrides)
    return data


def plant(draft_id: str, data: object | str) -> Path:
    """A file in the drafts folder, as an attacker (or a bad copy) could leave it."""
    path = drafts.drafts_dir() / f"{draft_id}.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


# --- 1. file names come from the tool ----------------------------------------------


@pytest.mark.parametrize("bad_id", ["../../x", "/somewhere/else/keep", "0a0a0a0b", "", 7])
def test_a_draft_whose_id_is_not_its_name_is_unreadable(bad_id: object) -> None:
    good = drafts.create()
    path = plant("0a0a0a0a", draft_data(id=bad_id))
    found, broken = drafts.scan()
    assert [d.id for d in found] == [good.id]
    assert [(u.path, "is not the file's name" in u.reason) for u in broken] == [(path, True)]
    listed = json.loads(run_cli("list", "--json").stdout)
    assert [u["id"] for u in listed["unreadable"]] == ["0a0a0a0a"]
    assert "is not the file's name" in listed["unreadable"][0]["reason"]
    result = run_cli("open", "0a0a0a0a")
    assert result.returncode == 2 and "is not the file's name (0a0a0a0a)" in result.stderr
    one_line(result.stderr)


def test_copy_never_writes_where_the_draft_file_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyperclip

    # No clipboard: copy falls back to saving exports/<id>.md.
    monkeypatch.setattr(pyperclip, "copy", lambda text: None)
    monkeypatch.setattr(pyperclip, "paste", lambda: "")
    victim = tmp_path / "victim"
    victim.mkdir()
    keep = victim / "keep.md"
    keep.write_text("the user's own file\n")
    for bad_id in (str(victim / "keep"), "../../../victim/keep"):
        plant("0a0a0a0a", draft_data(id=bad_id))
        assert main(["copy", "0a0a0a0a", "--force"]) == 2
        one_line(capsys.readouterr().err)
    assert keep.read_text() == "the user's own file\n"
    assert sorted(p.name for p in victim.iterdir()) == ["keep.md"]


@pytest.mark.parametrize("name", ["../x.md", "/tmp/keep.md", "0a0a0a0a", "0A0A0A0A.md", ".md"])
def test_exports_are_named_by_draft_ids_only(name: str) -> None:
    with pytest.raises(DraftError, match="is not an export name"):
        drafts.export_markdown(name, "text\n")


def test_a_draft_file_not_named_by_the_tool_is_unreadable(tmp_path: Path) -> None:
    path = plant("notes", draft_data())
    [broken] = drafts.scan()[1]
    assert broken.path == path and "its name is not a draft's" in broken.reason
    elsewhere = tmp_path / "my plan.json"
    elsewhere.write_text(json.dumps(draft_data()))
    result = run_cli("render", str(elsewhere))
    assert result.returncode == 2 and "rollout-plan import FILE makes a draft of it" in (
        result.stderr
    )
    one_line(result.stderr)


def test_a_reference_is_never_a_path_into_another_folder(home: Path) -> None:
    drafts.create()
    (home / "outside.json").write_text(json.dumps(draft_data()))
    with pytest.raises(DraftError, match="no draft"):
        drafts.find("../outside")


# --- 2. modes ----------------------------------------------------------------------


@POSIX
def test_a_shared_home_folder_keeps_its_mode(tmp_path: Path, monkeypatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    monkeypatch.setenv("ROLLOUT_PLAN_HOME", str(shared))
    assert run_cli("import", str(CODE_REVIEW)).returncode == 0
    assert run_cli("list").returncode == 0
    assert mode(shared) == 0o1777
    assert mode(shared / "drafts") == 0o700


@POSIX
def test_a_read_only_drafts_folder_stays_read_only(home: Path) -> None:
    drafts.create()
    folder = home / "drafts"
    folder.chmod(0o500)
    try:
        # As root the save goes through; as anyone else it fails in one line. Either
        # way the folder keeps the mode its owner chose.
        result = run_cli("import", str(CODE_REVIEW))
        if result.returncode != 0:
            assert "cannot save" in result.stderr and "Permission denied" in result.stderr
            one_line(result.stderr)
        assert mode(folder) == 0o500
    finally:
        folder.chmod(0o700)


def test_saving_into_a_folder_that_refuses_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tempfile

    drafts.drafts_dir()

    def refuse(*args: object, **kwargs: object) -> object:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert main(["import", str(CODE_REVIEW)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rollout-plan: cannot save ") and err.endswith(": Permission denied\n")
    one_line(err)


@POSIX
def test_a_drafts_folder_of_another_user_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    drafts.create()
    monkeypatch.setattr(os, "getuid", lambda: os.stat(drafts.root()).st_uid + 1)
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert "belongs to another user" in err
    one_line(err)


def run_with_umask(umask: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.umask(umask),
    )


@POSIX
def test_render_to_a_file_is_private_even_under_umask_000(tmp_path: Path, home: Path) -> None:
    draft = drafts.create(code_review_plan())
    fresh, existing = tmp_path / "fresh.md", tmp_path / "existing.md"
    existing.write_text("old\n")
    existing.chmod(0o644)
    folder_mode = mode(tmp_path)
    for out in (fresh, existing):
        result = run_with_umask(0, "render", draft.id, "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert mode(out) == 0o600
        assert out.read_text() == run_cli("render", draft.id).stdout
    assert mode(tmp_path) == folder_mode  # the user's folder: untouched


@POSIX
def test_folders_created_under_umask_000_are_private(home: Path) -> None:
    assert run_with_umask(0, "import", str(CODE_REVIEW)).returncode == 0
    for folder in (home, home / "drafts"):
        assert mode(folder) == 0o700
    [draft_file] = (home / "drafts").glob("*.json")
    assert mode(draft_file) == 0o600


@POSIX
def test_render_to_a_device_writes_through_it(tmp_path: Path) -> None:
    draft = drafts.create()
    result = run_cli("render", draft.id, "-o", os.devnull)
    assert result.returncode == 0, result.stderr
    assert mode(Path(os.devnull)) == 0o666


# --- 3. restores are serialised -----------------------------------------------------

RESTORER = """
import sys
from tui import drafts
for _ in range(int(sys.argv[2])):
    drafts.restore(sys.argv[1])
"""


def test_concurrent_restores_never_lose_a_version() -> None:
    draft = drafts.create()
    draft.plan.legal.notes = "second"
    drafts.save(draft)  # the backup holds the first version, the draft the second
    versions = {draft.path.read_text(), drafts.backup_path(draft.path).read_text()}
    assert len(versions) == 2
    runs = [
        subprocess.Popen([sys.executable, "-c", RESTORER, draft.id, "150"], stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode()
    after = {draft.path.read_text(), drafts.backup_path(draft.path).read_text()}
    assert after == versions
    assert not locks.lock_path(draft.path).exists()


def test_restore_refuses_while_a_wizard_has_the_draft(monkeypatch) -> None:
    draft = drafts.create()
    drafts.save(draft)
    wizard = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        text = json.dumps({"pid": wizard.pid, "host": locks.socket.gethostname(), "started": ""})
        locks.lock_path(draft.path).write_text(text)
        result = run_cli("restore", draft.id)
    finally:
        wizard.kill()
        wizard.wait()
    assert result.returncode == 2
    assert f"is open in process {wizard.pid}" in result.stderr
    one_line(result.stderr)


# --- 4. no escape sequence reaches the terminal ---------------------------------------


def hostile_draft() -> drafts.Draft:
    plan = code_review_plan()
    plan.title.title = HOSTILE
    plan.overview.ff_issue = "gitlab-org/gitlab!12" + HOSTILE  # an error that quotes it
    return drafts.create(plan)


def test_list_and_check_print_file_text_escaped() -> None:
    draft = hostile_draft()
    plant("0b0b0b0b", draft_data(written_by=HOSTILE, schema_version=99))
    (drafts.drafts_dir() / f"\x1b]0;x\x07{HOSTILE[:4]}.json").write_text("{")
    for args in (["list"], ["list", "--json"], ["check", draft.id], ["check", draft.id, "--json"]):
        result = run_cli(*args)
        assert result.returncode in (0, 1), result.stderr
        assert_terminal_safe(result.stdout + result.stderr)
    listed = run_cli("list").stdout
    # Control characters are dropped as the draft is read; the rest is shown escaped.
    assert "T]52;c;aGk=" in listed and "\\u202egnp.exe" in listed
    rows = json.loads(run_cli("list", "--json").stdout)["drafts"]
    assert [row["title"] for row in rows] == [clean(HOSTILE, "text")]


def test_errors_and_messages_print_file_text_escaped(monkeypatch, capsys) -> None:
    import pyperclip

    draft = hostile_draft()
    drafts.save(draft)
    plant("0b0b0b0b", draft_data(written_by=HOSTILE, schema_version=99))
    results = [
        run_cli("open", "0b0b0b0b"),
        run_cli("copy", draft.id),
        run_cli("restore", draft.id),
        run_cli("export", draft.id),
        run_cli("delete", draft.id),
        run_cli("open", HOSTILE),
    ]
    for result in results:
        assert_terminal_safe(result.stdout + result.stderr)
    assert "\\x1b]52" in results[0].stderr  # shown, not dropped
    assert json.loads(results[3].stdout)["plan"]["title"]["title"] == clean(HOSTILE, "text")
    monkeypatch.setattr(pyperclip, "copy", lambda text: None)
    monkeypatch.setattr(pyperclip, "paste", lambda: "")
    main(["copy", draft.id, "--force"])
    captured = capsys.readouterr()
    assert_terminal_safe(captured.out + captured.err)


def test_import_warnings_print_file_text_escaped(tmp_path: Path) -> None:
    source = CODE_REVIEW.read_text()
    source = source.replace("## Overview", f"## Overview\n\nstray {HOSTILE}\n", 1)
    source = f"before {HOSTILE}\n\n" + source
    path = tmp_path / "hostile.md"
    path.write_text(source)
    result = run_cli("import", str(path))
    assert result.returncode == 0, result.stderr
    assert_terminal_safe(result.stdout + result.stderr)


def test_render_to_a_terminal_shows_escapes_and_to_a_pipe_keeps_bytes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.render import render

    draft = hostile_draft()
    piped = subprocess.run(
        [sys.executable, "-m", "tui", "render", draft.id], capture_output=True, timeout=60
    ).stdout
    assert piped == render(draft.plan).encode("utf-8")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["render", draft.id]) == 0
    shown = capsys.readouterr().out
    assert_terminal_safe(shown)
    assert "## " in shown and "]52;c;aGk=" in shown and "\x1b" not in shown


# --- 5. bounded work and one-line errors ----------------------------------------------

DEEP = '{"schema_version": 2, "plan": ' + "[" * 100_000 + "]" * 100_000 + "}"
LATE = "9999-12-31T23:59:59-12:00"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (DEEP, "nested too deeply"),
        (json.dumps(draft_data(id="0c0c0c0c", updated=LATE)), "'updated' time"),
        (json.dumps(draft_data(id="0c0c0c0c", created="0001-01-01T00:00:00+14:00")), "'created'"),
        (json.dumps(draft_data(id="0c0c0c0c", updated=12)), "'updated' time"),
        (
            '{"schema_version": 2, "id": "0c0c0c0c", "plan": {"title": {"title": "\\ud800"}}}',
            "lone",
        ),
    ],
    ids=["deep", "late", "early", "not-a-string", "surrogate"],
)
def test_crashing_draft_files_are_unreadable_with_the_reason(content: str, reason: str) -> None:
    good = drafts.create()
    path = plant("0c0c0c0c", content)
    found, broken = drafts.scan()
    assert [d.id for d in found] == [good.id]
    assert [(u.path, reason in u.reason) for u in broken] == [(path, True)]
    listed = run_cli("list")
    assert listed.returncode == 0 and "Traceback" not in listed.stderr
    assert f"0c0c0c0c  UNREADABLE  {path}: " in listed.stdout and reason in listed.stdout
    for args in (["open", "0c0c0c0c"], ["render", "0c0c0c0c"]):
        result = run_cli(*args)
        assert result.returncode == 2 and reason in result.stderr
        one_line(result.stderr)
    path.unlink()
    good.path.unlink()
    plant("0c0c0c0c", content)
    result = run_cli("resume")
    assert result.returncode == 2 and "no draft can be read (1 unreadable" in result.stderr
    one_line(result.stderr)


async def test_home_screen_lists_a_crashing_draft_as_unreadable() -> None:
    from textual.widgets import DataTable

    from tui.app import RolloutApp

    drafts.create()
    plant("0c0c0c0c", DEEP)
    plant("0d0d0d0d", json.dumps(draft_data(id="0d0d0d0d", updated=LATE)))
    app = RolloutApp()
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
    assert names[1:] == ["UNREADABLE 0c0c0c0c.json", "UNREADABLE 0d0d0d0d.json"]


@pytest.mark.parametrize("pid", [2**70, -1, 0, "12", True, 1.5, None])
def test_a_lock_with_an_impossible_pid_is_broken_not_a_crash(pid: object) -> None:
    draft = drafts.create()
    drafts.save(draft)
    locks.lock_path(draft.path).write_text(
        json.dumps({"pid": pid, "host": locks.socket.gethostname(), "started": LATE})
    )
    assert locks.holder(draft.path) is None
    assert locks.acquire(draft.path) is None and locks.still_mine(draft.path)
    locks.release(draft.path)
    locks.lock_path(draft.path).write_text("[" * 100_000)
    assert locks.holder(draft.path) is None
    result = run_cli("restore", draft.id)
    assert result.returncode == 0, result.stderr


def test_a_lock_date_out_of_range_is_described_not_a_crash() -> None:
    holder = locks.Holder(os.getpid(), "here", LATE)
    assert holder.describe().endswith("since ?")


def test_invalid_utf8_on_stdin_is_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", "import", "-"],
        input=b"## Overview\n\xff\xfe bad\n",
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.decode() == "rollout-plan: standard input is not UTF-8 text (byte 13)\n"


def test_a_full_disk_on_save_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = drafts.create()

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    assert main(["import", str(CODE_REVIEW)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rollout-plan: cannot save ") and "No space left on device" in err
    one_line(err)
    assert main(["restore", draft.id]) == 2
    one_line(capsys.readouterr().err)
    assert [p.name for p in drafts.drafts_dir().iterdir() if p.name.endswith(".tmp")] == []


@POSIX
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["render", "--blank"], ["list"], ["export", "{id}"]])
def test_a_full_standard_output_is_one_line(args: list[str]) -> None:
    draft = drafts.create(code_review_plan())
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "tui", *[a.format(id=draft.id) for a in args]],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr == "rollout-plan: cannot write the output: No space left on device\n"


async def test_home_screen_shows_file_text_escaped() -> None:
    from tui.app import RolloutApp

    # Textual passes ESC through to the terminal (it strips only BEL, BS, VT, FF, CR),
    # so an OSC 52 ended by ESC \ would reach it from a title or a file name.
    osc52 = "\x1b]52;c;aGk=\x1b\\"
    plan = code_review_plan()
    plan.title.title = f"T{osc52}\u202eX"
    plan.overview.ff_issue = f"#1{osc52}"
    drafts.create(plan)
    (drafts.drafts_dir() / f"{osc52}.json").write_text(f'{{"x": "{osc52[:-2]}"')
    app = RolloutApp()
    async with app.run_test(size=(160, 32)) as pilot:
        await pilot.pause()
        for row in (0, 1):
            app.screen.query_one("DataTable").move_cursor(row=row)
            await pilot.pause()
            frame = app.screen._compositor.render_update(full=True).render_segments(app.console)
            assert "\x1b]52" not in frame and "\u202e" not in frame
            assert "\\x1b]52" in frame


async def test_a_hostile_lock_is_shown_escaped() -> None:
    from tui.app import RolloutApp

    draft = drafts.create()
    # Another host: it cannot be checked, so it counts as live and the dialog names it.
    lock = {"pid": 42, "host": "h\x1b]52;c;aGk=\x1b\\", "started": LATE}
    locks.lock_path(draft.path).write_text(json.dumps(lock))
    app = RolloutApp(draft)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        message = str(app.screen.query_one(".dialog-message").render())
        assert "process 42 on h\\x1b]52;c;aGk=\\x1b\\, since ?" in message
        frame = app.screen._compositor.render_update(full=True).render_segments(app.console)
        assert "\x1b]52" not in frame


async def test_a_draft_that_cannot_be_locked_opens_read_only(monkeypatch) -> None:
    from tui.app import RolloutApp
    from tui.errors import StorageError

    draft = drafts.create()

    def refuse(*args: object, **kwargs: object) -> None:
        raise StorageError("cannot save the lock: Permission denied")

    monkeypatch.setattr(locks, "acquire", refuse)
    app = RolloutApp(draft)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "WizardScreen"
        assert app.screen.session.read_only
        assert any("open read-only" in n.message for n in app._notifications)


async def test_review_screen_says_when_the_export_cannot_be_saved(monkeypatch) -> None:
    import tempfile

    from tui.app import RolloutApp

    draft = drafts.create(code_review_plan())

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    app = RolloutApp(draft)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        monkeypatch.setattr(tempfile, "mkstemp", full)
        await pilot.press("s")
        await pilot.pause()
        status = str(app.screen.query_one("#review-status").render())
    assert "cannot save" in status and "No space left on device" in status


@POSIX
def test_a_named_pipe_planted_as_a_draft_does_not_hang_list() -> None:
    os.mkfifo(drafts.drafts_dir() / "aaaaaaaa.json")
    result = run_cli("list")
    assert result.returncode == 0
    assert "not a regular file" in result.stdout


@POSIX
def test_a_linked_exports_folder_is_refused_not_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    draft = drafts.create(code_review_plan())
    (drafts.root() / "exports").symlink_to(elsewhere)
    result = run_cli("copy", draft.id, "--force")
    assert list(elsewhere.iterdir()) == []
    assert "is a link" in result.stderr
    assert "Traceback" not in result.stderr
