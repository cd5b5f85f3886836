"""The JSON files for scripts: /api/papers.json, the index of the months, and a file a month
of every field of its papers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sitegen.model import Artifact
from sitegen.site import Site
from sitegen.urls import Route, Routes


def papers_api(route: Route, paper_ids: tuple[str, ...], records: Mapping[str, str]) -> Artifact:
    """A month of /api/papers/: the `records` (see api_record) of `paper_ids`, as one JSON
    array."""
    text = "[" + ",".join(map(records.__getitem__, paper_ids)) + "]\n"
    return Artifact(route.path, text.encode())


def papers_api_index(routes: Routes, months: tuple[tuple[str, int], ...]) -> Artifact:
    """/api/papers.json: each month's file of papers, newest first, with its number of papers."""
    index = {
        "months": [
            {
                "month": month or None,
                "papers": papers,
                "url": routes.absolute(routes.papers_api_month(month)),
            }
            for month, papers in months
        ]
    }
    return Artifact(routes.papers_api().path, (json.dumps(index, **_API_JSON) + "\n").encode())


_API_JSON: dict[str, Any] = {"ensure_ascii": False, "sort_keys": True, "separators": (",", ":")}


def api_record(site: Site, routes: Routes, paper_id: str) -> str:
    """A paper as /api/papers.json lists it: a JSON object."""
    p = site.papers[paper_id]
    record = {
        "id": p.id,
        "title": p.title,
        "url": routes.absolute(routes.paper(p.id)),
        "arxiv_id": p.arxiv_id,
        "published": p.published.isoformat() if p.published else None,
        "days": [a.day.isoformat() for a in site.appearances.get(p.id, ())],
        "topics": list(site.paper_topics[p.id]),
        "upvotes": p.upvotes,
        "authors": list(p.authors),
        "authors_count": p.authors_count,
        "organization": p.organization.name if p.organization else None,
        # Only those the paper has: two nulls a paper were 1.6 MB at 50,000 papers, most of
        # them from text captures, which name no links (the output-size budget, issue #17).
        "links": {
            kind: url
            for kind, url in (("github", p.github_url), ("project_page", p.project_url))
            if url
        },
    }
    return json.dumps(record, **_API_JSON)
