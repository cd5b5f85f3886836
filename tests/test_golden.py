"""The exact bytes of the feeds of a tiny fixed site. Readers key on these bytes and ids: a
change here must be deliberate. Refresh with `pytest --update-golden` and read the diff."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sitegen.cli import main
from tests.conftest import REPO

GOLDEN = Path(__file__).parent / "golden"
FILES = (
    "rss.xml",
    "atom.xml",
    "feed.json",
    "feeds.opml",
    "digest/atom.xml",
    "days/2026-01-09/rss.xml",
    "topics/reinforcement-learning/atom.xml",
    "api/papers.json",
    "api/papers/2026-01.json",
    "top/week/2026-W02/rss.xml",
    "top/month/2026-01/feed.json",
    "feeds/diffusion-models/atom.xml",
)

POLICY = (
    "Policy Gradients for Everyone",
    "We study reinforcement learning with policy gradients & <b>rewards</b>.",
    "  \u2022 3 authors",
    "\u00b7",
)
LISTINGS = {
    "2026-01-08.txt": [
        "new", "Subscribe", "Daily Papers", "Jan 8",
        *POLICY, "Jan 2, 2025 12",
        "A Tiny Diffusion Model", "Diffusion models, but tiny. A diffusion model for everyone.",
        "tencent Tencent", "\u00b7", "Jan 5 4",
    ],
    "2026-01-09.txt": [
        "new", "Subscribe", "Daily Papers", "Jan 9",
        "Reward Models Revisited",
        "Reward models for reinforcement learning from human feedback, revisited.",
        "\u00b7", "Dec 30, 2025",
        *POLICY, "Jan 2, 2025 15",
    ],
}  # fmt: skip
# An API answer: author names, an organisation, an arXiv id, code and a project page.
API_ANSWER = {
    "2026-01-10.json": [
        {
            "paper": {
                "id": "2601.01234",
                "title": "Sparse Rewards & <Dense> Agents",
                "summary": "Agents that learn from sparse rewards, with tools.",
                "authors": [
                    {"_id": "a1", "name": "Ada Lovelace", "hidden": False},
                    {"_id": "a2", "name": "Raphaël <Turing>", "hidden": False},
                ],
                "publishedAt": "2026-01-08T00:00:00.000Z",
                "submittedOnDailyAt": "2026-01-10T00:00:00.000Z",
                "upvotes": 7,
                "githubRepo": "https://github.com/example/sparse-agents",
                "projectPage": "https://example.org/sparse-agents/",
                "organization": {
                    "_id": "o1",
                    "name": "umich",
                    "fullname": "University of Michigan",
                },
            },
            "title": "Sparse Rewards & <Dense> Agents",
            "publishedAt": "2026-01-08T00:00:00.000Z",
        }
    ]
}


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny site's public/, built once for this file: read it, never change it."""
    tmp_path = tmp_path_factory.mktemp("tiny")
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REPO / "site.toml", site / "site.toml")
    shutil.copytree(REPO / "templates", site / "templates")
    for name, lines in LISTINGS.items():
        (tmp_path / name).write_text("\n\n".join(lines) + "\n")
    for name, answer in API_ANSWER.items():
        (tmp_path / name).write_text(json.dumps(answer))
    names = [*LISTINGS, *API_ANSWER]
    assert main(["--root", str(site), "ingest", *(str(tmp_path / n) for n in names)]) == 0
    assert main(["--root", str(site), "build", "--base-url", "https://papers.example.org/"]) == 0
    return site / "public"


@pytest.mark.parametrize("name", FILES)
def test_feed_bytes_match_the_golden_files(tiny_site: Path, name: str, update_golden: bool) -> None:
    built = (tiny_site / name).read_bytes()
    golden = GOLDEN / name
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(built)
    assert golden.exists(), f"no golden file for {name}: run pytest --update-golden"
    assert built == golden.read_bytes(), f"{name} changed: if deliberate, pytest --update-golden"
