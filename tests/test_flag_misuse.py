"""Every flag of every command, misused (found by a driver that gave each one bad values): one
line and exit 2, never a traceback, and nothing written outside the site."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.errors import printable
from tests.conftest import sitegen_here


def _one_line(result_stderr: str) -> str:
    """The error a user sees: one `sitegen: error:` line, at most a hint below it."""
    assert "Traceback" not in result_stderr, result_stderr
    (error, *hint) = result_stderr.splitlines()
    assert error.startswith("sitegen: error: "), result_stderr
    assert len(hint) <= 1 and all(line.startswith("  hint: ") for line in hint), result_stderr
    return error


def test_a_listing_whose_name_is_too_long_is_one_line(site: Path, tmp_path: Path) -> None:
    """`ingest` asked whether the path is a folder, which raised ENAMETOOLONG (Python 3.11)."""
    listing = tmp_path / ("x" * 300)
    result = sitegen_here("--root", str(site), "ingest", str(listing))
    assert result.returncode == 2
    assert "File name too long" in _one_line(result.stderr)
    assert not (site / "content").exists()


def test_a_build_into_the_current_folder_named_by_dots_builds_there(
    tiny_built: Path, tmp_path: Path
) -> None:
    """`--out .` names a folder without its name: the search index's work folder, named after
    it, was a ValueError traceback once the site was built (and `..`'s would have been made
    in the current folder, not beside it)."""
    www = tmp_path / "elsewhere" / "www"
    www.mkdir(parents=True)
    for _ in range(2):  # built, then built again: its record found beside it
        built = sitegen_here("--root", str(tiny_built), "build", "--out", ".", cwd=www)
        assert built.returncode == 0, built.stderr
    assert (www / "index.html").is_file()
    assert sorted(p.name for p in www.parent.iterdir()) == [".www.lock", ".www.outputs", "www"]
    # `..` holds www/ and no record of a build: refused in one line, as any such folder.
    refused = sitegen_here("--root", str(tiny_built), "build", "--out", "..", cwd=www)
    assert refused.returncode == 2
    assert f"refusing to build into {www.parent}/: it holds 'www'" in _one_line(refused.stderr)
    assert sorted(p.name for p in www.parent.iterdir()) == [".www.lock", ".www.outputs", "www"]


def test_an_archive_name_at_a_folder_of_ones_own_files_is_never_offered_for_removal(
    tiny_built: Path, tmp_path: Path
) -> None:
    """`--out NAME.tar` at a folder (of the user's files, or empty): the hint said "remove it
    if it is an old site", but sitegen writes NAME.tar as one file, never as a folder."""
    for held in (["notes.txt"], []):
        folder = tmp_path / f"backup-{len(held)}.tar"
        folder.mkdir()
        for name in held:
            (folder / name).write_text("mine")
        result = sitegen_here("--root", str(tiny_built), "build", "--out", str(folder))
        assert result.returncode == 2
        error = _one_line(result.stderr)
        assert f"{folder}: a folder, and sitegen writes NAME.tar as one archive file" in error
        assert "remove" not in result.stderr and "delete" not in result.stderr
        assert sorted(p.name for p in folder.iterdir()) == held
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_an_out_whose_name_holds_terminal_controls_is_said_escaped(
    tiny_built: Path, tmp_path: Path
) -> None:
    """`build` said "built ... into OUT" with OUT as given: an escape sequence in a folder's
    name (`\\x1b]0;...` retitles a terminal, `\\x1b[2J` clears it) reached the terminal, as
    the names of files kept in it did; errors already wrote them escaped."""
    out = tmp_path / "site\x1b[2J"
    result = sitegen_here("--root", str(tiny_built), "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    assert f"into {tmp_path}/site\\x1b[2J in " in result.stdout
    (out / "CNAME\x1b[2J").write_text("papers.example.org\n")  # kept, and named
    again = sitegen_here("--root", str(tiny_built), "build", "--out", str(out))
    assert "\x1b" not in again.stdout + again.stderr
    assert "sitegen did not make: CNAME\\x1b[2J" in again.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--ou\x1b[31mt"],  # a command's flag it does not know
        ["build", "\x1b]0;retitled\x07"],  # an argument no command takes
        ["build", "--o\n::error title=from-a-flag::injected"],
        ["--ro\x1b[2J", "build"],  # before the command
    ],
    ids=ascii,
)
def test_an_unknown_argument_is_said_escaped_on_one_line(
    site: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """argparse's "unrecognized arguments: ..." named the arguments as given: an escape
    sequence in one reached the terminal (`\\x1b[2J` clears it, `\\x1b]0;` retitles it) and
    the Actions run's page, and a line break made a line of its own, which an Actions log takes
    for a command ("::error ..."); every other error writes what it quotes escaped (review h6)."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = sitegen_here("--root", str(site), *args)
    assert result.returncode == 2
    said = result.stdout + result.stderr
    assert "\x1b" not in said and "\x07" not in said, said
    assert "\n::error title=from-a-flag" not in said, said
    assert (
        "unrecognized arguments: " + printable(args[-1] if args[0] == "build" else args[0]) in said
    )
