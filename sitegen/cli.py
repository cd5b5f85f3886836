"""The shell: parse arguments, read the clock and the disk, wire the stages, map errors to exits."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sitegen import __version__
from sitegen.build import build_site
from sitegen.config import SiteConfig, parse_config
from sitegen.content import (
    ContentSnapshot,
    kept_listing_name,
    load_content,
    snapshot_changes,
    write_files,
)
from sitegen.errors import ConfigError, ListingError, Location, SitegenError
from sitegen.ingest import ingest_listings
from sitegen.listings import Listing, parse_listing
from sitegen.progress import progress_display

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
CONFIG_FILE = "site.toml"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except SitegenError as error:
        print(f"sitegen: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("sitegen: interrupted; nothing was half-written", file=sys.stderr)
        return EXIT_INTERRUPTED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen", description="Hugging Face Daily Papers as a static site with feeds."
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    parser.add_argument(
        "--root", type=Path, default=Path(), help="the site directory (default: the current one)"
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    ingest = commands.add_parser(
        "ingest", help="parse listings into content/", description="Merge listings into content/."
    )
    ingest.add_argument("listings", nargs="+", type=Path, metavar="LISTING")
    ingest.add_argument("--date", type=_iso_date, help="the listing day, YYYY-MM-DD")
    ingest.add_argument(
        "--topic", action="append", default=[], metavar="NAME", help="add a topic (repeatable)"
    )
    ingest.set_defaults(run=_run_ingest)

    build = commands.add_parser(
        "build", help="render content/ into public/", description="Build the site into public/."
    )
    build.add_argument("--out", type=Path, help="output directory (default: ROOT/public)")
    build.add_argument("--base-url", help="override base_url from site.toml (e.g. the Pages URL)")
    build.set_defaults(run=_run_build)
    return parser


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-10-31") from None


def load_config(root: Path) -> SiteConfig:
    path = root / CONFIG_FILE
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(
            "no site.toml here",
            location=Location(str(path)),
            hint="run sitegen from a site directory, or pass --root DIR",
        ) from None
    return parse_config(text, source=str(path))


def _run_ingest(args: argparse.Namespace) -> int:
    root: Path = args.root
    config = load_config(root)
    topics = tuple(_topic_slug(config, name) for name in args.topic)
    snapshot = load_content(root)
    parsed: list[tuple[Listing, str]] = []
    kept: dict[str, bytes] = {}
    for path in args.listings:
        raw = _read_listing(path)
        listing = parse_listing(raw, origin=str(path), day=args.date)
        name = kept_listing_name(root, listing.day, raw, _suffix(listing))
        if kept.get(name, raw) != raw:  # two different listings of one day in one run
            name = kept_listing_name(root, listing.day, b"", _suffix(listing)).replace(
                _suffix(listing), f"-{len(kept)}{_suffix(listing)}"
            )
        kept[name] = raw
        parsed.append((listing, name.removeprefix("content/")))
    updated = ingest_listings(snapshot, parsed, topics=topics)
    written = write_files(root, {**kept, **snapshot_changes(snapshot, updated)})
    print(_ingest_summary(snapshot, updated, parsed, written))
    return EXIT_OK


def _run_build(args: argparse.Namespace) -> int:
    root: Path = args.root
    config = load_config(root)
    if args.base_url:
        config = dataclasses.replace(config, base_url=_checked_base_url(args.base_url))
    out = args.out or root / "public"
    started = time.perf_counter()
    with progress_display("Building", enabled=sys.stderr.isatty()) as advance:
        report = build_site(root, config, out=out, on_artifact=lambda artifact: advance())
    elapsed = time.perf_counter() - started
    print(
        f"built {report.pages} pages and {report.feeds} feeds "
        f"({report.published.files} files, {report.published.bytes / 1e6:.1f} MB) "
        f"into {out} in {elapsed:.2f} s"
    )
    return EXIT_OK


def _checked_base_url(url: str) -> str:
    if not url.startswith(("https://", "http://")):
        raise ConfigError(
            f"--base-url {url!r} is not an absolute http(s) URL",
            hint="e.g. https://you.github.io/repo/",
        )
    return url if url.endswith("/") else url + "/"


def _topic_slug(config: SiteConfig, name: str) -> str:
    slug = config.topic_slug(name)
    if slug is None:
        raise ConfigError(
            f"unknown topic {name!r}",
            hint="topics are defined in site.toml: " + ", ".join(t.slug for t in config.topics),
        )
    return slug


def _read_listing(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ListingError(
            f"cannot read the listing: {error.strerror}",
            location=Location(str(path)),
            hint="check the path",
        ) from None


def _suffix(listing: Listing) -> str:
    return {"hf-json": ".json", "hf-html": ".html"}.get(listing.shape, ".txt")


def _ingest_summary(
    before: ContentSnapshot,
    after: ContentSnapshot,
    parsed: list[tuple[Listing, str]],
    written: list[str],
) -> str:
    new_papers = len(after.papers) - len(before.papers)
    entries = sum(len(listing.entries) for listing, _ in parsed)
    return (
        f"ingested {len(parsed)} listing(s), {entries} entries: {new_papers} new paper(s), "
        f"{len(after.papers)} in all; {len(written)} file(s) written"
    )
