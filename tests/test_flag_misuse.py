"""Every flag of every command, misused (found by a driver that gave each one bad values): one
line and exit 2, never a traceback, and nothing written outside the site."""

from __future__ import annotations

from pathlib import Path

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
