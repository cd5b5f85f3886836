"""Text and links from outside (listings, answers, hand-edited files) made fit to keep and
to show (pure): one line, a block of lines, a web address a page may link, and whether a text
shows anything at all. The parsers clean what they read with these, pages what they link."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from idna import uts46_remap, valid_contextj

# Characters that XML 1.0 cannot carry or that only confuse readers: C0/C1 controls (tab and
# newline are folded to spaces by the callers that need it), lone surrogates (a JSON answer can
# hold "\ud800"; UTF-8 cannot), and the noncharacters, which HTML forbids (the Nu checker
# refused every page showing "\ufdd0": a reader's review).
_UNSAFE_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
# The noncharacters past the first plane, apart: in the class above they made every text's
# scan ten times slower (2 CPU-s of a cold build at 50,000 papers: the cold-build budget).
_ASTRAL_NONCHARACTERS = re.compile(
    "["
    + "".join(chr(plane << 16 | last) for plane in range(1, 17) for last in (0xFFFE, 0xFFFF))
    + "]"
)
# Controls that separate words (vertical tab, form feed, the information separators, NEL) and
# the Unicode line and paragraph separators: inside a line, a space.
_SEPARATING_CHARS = re.compile("[\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")
_INVISIBLE = re.compile("[\u200b\ufeff]")  # zero-width space, stray byte-order mark
# Bidirectional embeddings, overrides and isolates: an override ("\u202e") in a title shows
# its text reversed in pages and feed readers, a spoof ("Trojan Source"); a right-to-left
# script needs none of them to show right.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


# A line of spaces and what shows as nothing (Unicode's Default_Ignorable_Code_Point):
# joiners, soft hyphens, variation selectors, the Hangul fillers of "invisible names", tags.
_SHOWN_AS_NOTHING = re.compile(
    "[ \u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]*"
)


def shows_nothing(text: str) -> bool:
    """Whether no character of `text` shows: it is spaces, line ends and invisible characters."""
    return _SHOWN_AS_NOTHING.fullmatch(" ".join(text.split())) is not None


def clean_line(text: str) -> str:
    """One line of text as data: no control characters, whitespace folded to single spaces;
    empty if no character of it shows (a title a reader would see as none: a review)."""
    # str.split() folds every Unicode space (NBSP, thin and figure spaces) and line break.
    text = _SEPARATING_CHARS.sub(" ", text)
    text = " ".join(_INVISIBLE.sub("", without_unsafe_chars(text)).split())
    # A match ends at the first character shown, not a copy of the line (every title and
    # author name of a listing is cleaned).
    if not text.isascii() and _SHOWN_AS_NOTHING.fullmatch(text):
        return ""
    return text


# What a URL never holds unescaped (RFC 3986): `http://x" onmouseover="...` was kept as a link.
# What no URL a page links holds as it is (the Nu checker refuses the page; a browser cannot
# follow most): spaces, quotes, markup, a "%" that is no escape; "[" outside an IPv6 host.
_NOT_IN_URLS = re.compile(r'[\s"<>\\^`{|}]|%(?![0-9A-Fa-f]{2})')
# The one place "[" and "]" may be: around an IPv6 host, a port after it (no zone id, and no
# text beside the brackets: "github.com[::1]" passes urlsplit, and no browser follows it).
_IPV6_HOST = re.compile(r"\[[0-9A-Fa-f:.]+\](?::[0-9]*)?")
# A host's name as IDNA writes it (a review: Devanagari and Tamil hosts, whose letters carry
# marks, were refused): labels of letters, digits, "-" and "_".
_HOST_LABEL = re.compile(r"[a-z0-9_-]+")
# The URL Standard reads a host whose last label is a number as an IPv4 address.
_NUMBER = re.compile(r"[0-9]+|0x[0-9a-f]*")
WEB_SCHEMES = ("http", "https")


def web_url(text: str, schemes: tuple[str, ...] = WEB_SCHEMES) -> str | None:
    """`text` as a link a page may carry: an http(s) URL (or of `schemes`) with a host, its
    scheme in lower case ("HTTPS://..." is one); None for anything else (javascript:, a
    relative path, a URL no browser can follow). No user name: "https://github.com:80@evil/"
    reads as github.com and leads elsewhere (a review)."""
    scheme, _, rest = text.partition("://")
    if scheme.lower() not in schemes or _NOT_IN_URLS.search(text) or text.count("#") > 1:
        return None
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (a port that is no number from 0 to 65535 raises)
    except ValueError:
        return None
    host = parts.hostname
    if not host or "@" in parts.netloc:
        return None
    if ("[" in text or "]" in text) and not (
        text.count("[") == text.count("]") == 1 and _IPV6_HOST.fullmatch(parts.netloc)
    ):
        return None
    return f"{scheme.lower()}://{rest}" if _is_host(host) else None


def _is_host(host: str) -> bool:
    if ":" in host:  # in brackets, which urlsplit found closed
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return False
        return True
    if not _joiners_join(host):  # Python's idna drops them: checked before (a review)
        return False
    try:
        labels = host.encode("idna").decode("ascii").rstrip(".").split(".")
    except UnicodeError:  # an empty label, one over 63 characters
        return False
    if not all(map(_HOST_LABEL.fullmatch, labels)) or not all(map(_is_punycode, labels)):
        return False
    if _NUMBER.fullmatch(labels[-1]):  # an IPv4 address, then, or none a browser follows
        # Each part in decimal as written: "09" is no octal number, which browsers refuse.
        decimal = [p for p in labels if p.isdigit() and p == str(int(p)) and int(p) < 256]
        return len(decimal) == len(labels) == 4
    return True


def _is_punycode(label: str) -> bool:
    """Whether an "xn--" label (which Python's idna passes unchecked) decodes to what the URL
    Standard takes, by UTS 46's own table: valid, none mapped to another ("xn--a" is "\\x80",
    "xn--y2g" a trade mark sign, read as "tm"; "xn--n3h", a snowman, is a host: reviews)."""
    if not label.startswith("xn--"):
        return True
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
        return (
            bool(decoded)
            and uts46_remap(decoded, std3_rules=False) == decoded
            and _joiners_join(decoded)
        )
    except ValueError:  # UnicodeError, IDNAError: no label of a host
        return False


def _joiners_join(text: str) -> bool:
    """Whether each zero-width joiner or non-joiner of `text` is where it joins (after a
    virama...), as the URL Standard's CheckJoiners asks: RFC 5892's CONTEXTJ (a review)."""
    try:
        return all(valid_contextj(text, i) for i, c in enumerate(text) if c in "\u200c\u200d")
    except ValueError:  # a character before it this Python's Unicode data does not name
        return False


def without_unsafe_chars(text: str) -> str:
    """`text` without the characters XML cannot carry (see _UNSAFE_CHARS) and the bidi
    controls, and nothing else changed: for markup made of clean text, where a reference
    could bring one back."""
    text = _UNSAFE_CHARS.sub("", text)
    if not text.isascii() and max(text) > "\uffff":
        text = _ASTRAL_NONCHARACTERS.sub("", text)
    return BIDI_CONTROLS.sub("", text)


def clean_block(text: str) -> str:
    """Multi-line text (an abstract body): control characters removed, line ends normalised."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return without_unsafe_chars(text).strip()
