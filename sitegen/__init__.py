"""sitegen: Hugging Face Daily Papers as a static site with RSS, Atom and JSON feeds."""

from __future__ import annotations

__version__ = "0.1.0"
