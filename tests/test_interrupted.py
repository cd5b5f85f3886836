"""kill -9 at any moment (issue #15): 12 seeded random kills of ingest and build on a site of
503 papers. After each kill content/ and public/ are the old state or the new one, whole (a run
killed past its commit point is completed by the next run, as promised), no process of the
killed run is left, and the rerun finishes the job. At the end content/ is what one
uninterrupted ingest makes, and the incremental site is byte for byte a clean build."""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sitegen.cli import main
from sitegen.listings import parse_listing
from tests.conftest import LISTINGS, SEEDS, assert_group_ends

# 20 days of 28 papers, 3 of them on the day before too: a site of 503 papers. (At 1,003 the
# campaign took a quarter more CPU time, at 2,000 twice as long, for no other path exercised:
# the kills fall at fractions of each run, so they reach every phase at any size.)
DAYS, PER_DAY, REPEATED = 20, 28, 3
HELD_BACK = 4  # the days ingested (and built) under fire; the others are there before
BUILD_EVERY, BUILD_KILLS = 2, 2  # a build under fire every 2 days, killed twice
SEED = 15
# Each command's kills are spread over its run: the run is cut into as many equal slices as there
# are kills, and one kill falls at a seeded point of each slice. So 12 kills reach every phase
# (start-up, reading, rendering, the commit, the swap), where uniform moments bunch and needed
# twice as many kills, and twice the time, to reach them all.
KILLS = {"ingest": HELD_BACK, "build": 3 + HELD_BACK // BUILD_EVERY * BUILD_KILLS + 1}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _corpus(directory: Path) -> list[Path]:
    """DAYS text listings (full shape) of made-up papers with the bundled seeds' abstracts;
    each day lists REPEATED papers of the day before again, with more upvotes."""
    seeds = [
        entry
        for name in sorted(SEEDS)
        for entry in parse_listing((LISTINGS / name).read_bytes(), origin=name).entries
    ]
    directory.mkdir()
    listings, previous = [], []
    for number in range(DAYS):
        day = date(2025, 1, 6) + timedelta(days=number)
        papers = [(title, abstract, upvotes + 10) for title, abstract, upvotes in previous]
        for slot in range(PER_DAY - len(papers)):
            n = number * PER_DAY + slot
            seed = seeds[n % len(seeds)]
            papers.append((f"{seed.title} (take {n})", seed.abstract, n % 97))
        previous = papers[-REPEATED:]
        published = day - timedelta(days=2)
        lines = ["Daily Papers", f"{_MONTHS[day.month - 1]} {day.day}"]
        for title, abstract, upvotes in papers:
            when = f"{_MONTHS[published.month - 1]} {published.day}, {published.year}"
            lines += [title, abstract, "\u00b7", f"{when} {upvotes}"]
        listing = directory / f"{day.isoformat()}.txt"
        listing.write_text("\n".join(lines) + "\n")
        listings.append(listing)
    return listings


def _tree_digest(root: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(root)}\0".encode())
            digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return digest.hexdigest() if root.exists() else "missing"


@dataclass
class _Campaign:
    site: Path
    rng: random.Random
    # seconds a run of each command takes, from its start: kills fall anywhere in them
    lasts: dict[str, float]
    outcomes: dict[str, int] = field(default_factory=dict)
    # each kind's kill moments, as fractions of a run: one in each of KILLS[kind] equal slices
    moments: dict[str, list[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind, count in KILLS.items():
            slices = [(n + self.rng.random()) / count for n in range(count)]
            self.rng.shuffle(slices)
            self.moments[kind] = slices

    def under_fire(self, command: list[str], *, kills: int, tree: Path, journal: Path) -> None:
        """Start `command` `kills` times, killing each run with -9 at a random moment, then
        run it to its end here.

        After each kill no process of the run is left, and `tree` is as it was before the
        command or as it is after it, whole; or the run died past the commit point of its
        transaction, which the next run completes before anything else."""
        kind = command[0]
        old = _tree_digest(tree)
        states = []
        for _ in range(kills):
            started = time.perf_counter()
            run = subprocess.Popen(
                [sys.executable, "-m", "sitegen", "--root", str(self.site), *command],
                start_new_session=True,  # its own process group: the run and its workers
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                run.wait(timeout=self.moments[kind].pop() * self.lasts[kind])
                self.lasts[kind] = time.perf_counter() - started  # it ran to its end sooner
            except subprocess.TimeoutExpired:
                run.kill()
            finished = run.wait() == 0
            assert_group_ends(run.pid, within=3, start_up=60)
            committed = (journal / "manifest.json").is_file()
            how = "ran to its end" if finished else "past its commit point" if committed else ""
            states.append((how, _tree_digest(tree)))
        assert main(["--root", str(self.site), *command]) == 0
        new = _tree_digest(tree)
        for how, state in states:
            if how == "ran to its end":
                assert state == new, f"{command} ran to its end, yet {tree.name}/ is not new"
            if not how:
                how = {old: "killed: old state", new: "killed: new state"}.get(state, "a mix")
                assert how != "a mix", f"{command} killed: {tree.name}/ is neither old nor new"
            self.outcomes[how] = self.outcomes.get(how, 0) + 1


def test_kill_9_at_any_moment_leaves_the_old_or_the_new_state_whole(
    site: Path, tmp_path: Path
) -> None:
    started = time.perf_counter()
    listings = _corpus(tmp_path / "listings")
    # Generous first guesses; a run that ends before its kill tells how long it takes.
    campaign = _Campaign(site=site, rng=random.Random(SEED), lasts={"ingest": 2, "build": 6})
    content, public = site / "content", site / "public"
    ingests = {"tree": content, "journal": site / ".sitegen-txn"}
    builds = {"tree": public, "journal": site / ".public.journal"}

    before, under_fire = listings[: DAYS - HELD_BACK], listings[DAYS - HELD_BACK :]
    assert main(["--root", str(site), "ingest", *map(str, before)]) == 0
    # The first build: a full one, with worker processes.
    campaign.under_fire(["build", "--jobs", "2"], kills=3, **builds)
    for number, listing in enumerate(under_fire, start=1):
        campaign.under_fire(["ingest", str(listing)], kills=1, **ingests)
        if number % BUILD_EVERY == 0:  # incremental builds, with workers every other time
            jobs = ["--jobs", "2"] if number % (2 * BUILD_EVERY) else []
            campaign.under_fire(["build", *jobs], kills=BUILD_KILLS, **builds)
    # A full build over the site it replaces: the same bytes, swapped in or not at all.
    campaign.under_fire(["build", "--clean", "--jobs", "2"], kills=1, **builds)

    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "site.toml").write_bytes((site / "site.toml").read_bytes())
    assert main(["--root", str(reference), "ingest", *map(str, listings)]) == 0
    assert _tree_digest(content) == _tree_digest(reference / "content")
    cold = tmp_path / "cold"
    assert main(["--root", str(site), "build", "--clean", "--out", str(cold)]) == 0
    assert _tree_digest(public) == _tree_digest(cold)
    kills = sum(campaign.outcomes.values())
    assert kills == sum(KILLS.values())
    assert not any(campaign.moments.values()), "every planned moment was used"
    assert campaign.outcomes.get("ran to its end", 0) < kills / 2, "most runs were killed"
    print(f"{kills} kills in {time.perf_counter() - started:.1f} s: {campaign.outcomes}")
