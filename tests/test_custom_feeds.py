"""Custom feeds: `[[custom_feeds]]` of site.toml, checked like every other key, and the papers
each admits."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import parse_config
from sitegen.custom_feeds import CustomFeed, FeedMatcher
from sitegen.errors import ConfigError
from sitegen.model import Organization, Paper
from tests.conftest import REPO, rewrite

SITE_TOML = (REPO / "site.toml").read_text()
HEAD = 'title = "T"\ndescription = "D"\nbase_url = "https://example.org/"\n'
TOPICS = '[[topics]]\nslug = "rl"\nname = "RL"\nkeywords = ["reinforcement learning"]\n'


def _parse(feeds: str) -> tuple[CustomFeed, ...]:
    return parse_config(HEAD + feeds + TOPICS, source="site.toml").custom_feeds


def _error_line(feeds: str) -> tuple[str, int | None]:
    text = HEAD + feeds + TOPICS
    with pytest.raises(ConfigError) as error:
        parse_config(text, source="site.toml")
    return str(error.value), error.value.location.line if error.value.location else None


def test_the_bundled_site_toml_has_working_examples() -> None:
    feeds = parse_config(SITE_TOML, source="site.toml").custom_feeds
    assert [f.slug for f in feeds] == ["diffusion-models", "upvoted-llm"]
    assert feeds[1].topics == ("llm", "reasoning", "agents") and feeds[1].min_upvotes == 3


def test_a_feed_reads_every_rule_and_derives_its_slug_from_its_name() -> None:
    (feed,) = _parse(
        "[[custom_feeds]]\n"
        'name = "Small Models, Big Labs!"\n'
        'match = ["small language model", "SLM"]\n'
        'topics = ["rl"]\n'
        'organizations = ["google"]\n'
        'authors = ["Ada Lovelace"]\n'
        "min_upvotes = 10\n"
        'exclude = ["survey"]\n'
    )
    assert feed == CustomFeed(
        slug="small-models-big-labs",
        name="Small Models, Big Labs!",
        description="",
        match=("small language model", "SLM"),
        topics=("rl",),
        organizations=("google",),
        authors=("Ada Lovelace",),
        min_upvotes=10,
        exclude=("survey",),
    )
    # Found by a trial: "Réseaux" made "r-seaux" (its é taken for a word's end).
    (accented,) = _parse(
        '[[custom_feeds]]\nname = "Réseaux de neurones, Ångström, Søren, Straße"\nmatch = ["x"]\n'
    )
    assert accented.slug == "reseaux-de-neurones-angstrom-soren-strasse"
    assert feed.summary({"rl": "Reinforcement Learning"}) == (
        "Papers mentioning “small language model” or “SLM”; in the topic “Reinforcement "
        "Learning”; from “google”; by “Ada Lovelace”; with at least 10 upvotes; not mentioning "
        "“survey”."
    )


@pytest.mark.parametrize(
    ("feeds", "message", "line"),
    [
        (
            '[[custom_feeds]]\nname = "A"\nmatch = ["x"]\nkeyword = ["y"]\n',
            "unknown key `keyword`",
            7,
        ),
        ('[[custom_feeds]]\nname = "A"\nmatch = "x"\n', "`match` must be an array of strings", 6),
        ('[[custom_feeds]]\nname = "A"\nmatch = ["x", 3]\n', "must be an array of strings", 6),
        ('[[custom_feeds]]\nname = "A"\ntopics = ["robots"]\n', "'robots', which is no topic", 6),
        # A fork owner's trial: a topic's name, said as "no topic" (and it is one's name).
        (
            '[[custom_feeds]]\nname = "A"\ntopics = ["rl", "RL"]\n',
            "which is no topic's slug\n  hint: that is the name of the topic",
            6,
        ),
        ('[[custom_feeds]]\nname = "A"\nmin_upvotes = -1\n', "`min_upvotes` must be a whole", 6),
        ('[[custom_feeds]]\nname = "A"\nexclude = ["x"]\n', "has no rule to choose papers", 5),
        ('[[custom_feeds]]\nname = "A"\nmatch = ["--"]\n', "has no word to match", 6),
        ('[[custom_feeds]]\nname = "A"\nslug = "No Way"\nmatch = ["x"]\n', "'No Way' is not", 6),
        # Found by a trial: a missing name had no line, among 26 topic tables.
        ('[[custom_feeds]]\nmatch = ["x"]\n', "required key `name` is missing in [[custom", 4),
        # The second feed's mistakes name the second feed's lines.
        (
            '[[custom_feeds]]\nname = "A"\nmatch = ["x"]\n\n'
            '[[custom_feeds]]\nname = "A!"\nmatch = ["y"]\n',
            "custom feed slug 'a' (made from its name 'A!') is another feed's, on line 5",
            9,
        ),
        (
            '[[custom_feeds]]\nname = "A"\nslug = "a"\nmatch = ["x"]\n\n'
            '[[custom_feeds]]\nname = "B"\nslug = "a"\nmatch = ["y"]\n',
            "custom feed slug 'a' is another feed's, on line 6",
            11,
        ),
        # Found by a trial: an emptied list was dropped, so the feed took every paper its
        # other rules admit.
        ('[[custom_feeds]]\nname = "A"\nmatch = []\nmin_upvotes = 5\n', "`match` is empty", 6),
        ('[[custom_feeds]]\nname = "A"\nmatch = ["x"]\nauthors = [" "]\n', "`authors` is empty", 7),
        (
            '[[custom_feeds]]\nname = "A"\nmin_upvotes = 1\n\n'
            '[[custom_feeds]]\nname = "B"\nmin_upvotes = "many"\n',
            "`min_upvotes` must be a whole",
            10,
        ),
    ],
)
def test_a_bad_rule_is_refused_with_its_line(feeds: str, message: str, line: int | None) -> None:
    said, where = _error_line(feeds)
    assert message in said
    assert where == line


def _refusal(feeds: str) -> str:
    """The error of site.toml with `feeds` (its first line is line 4), as the command line
    shows it: file:line, the message, and the hint on a line of its own."""
    with pytest.raises(ConfigError) as error:
        parse_config(HEAD + feeds + TOPICS, source="site.toml")
    return str(error.value)


def test_a_slug_of_at_most_a_hundred_characters_is_taken() -> None:
    # A slug is a folder of the site: a file name has at most 255 bytes.
    longest = "a" * 100
    (feed,) = _parse(f'[[custom_feeds]]\nname = "A"\nslug = "{longest}"\nmatch = ["x"]\n')
    assert feed.slug == longest
    message, line = _error_line(
        f'[[custom_feeds]]\nname = "A"\nslug = "{longest}b"\nmatch = ["x"]\n'
    )
    assert "is not a lowercase-hyphenated slug of at most 100 characters" in message
    assert line == 6
    # A slug made from a long name is cut to 100 characters, not refused (h14: a mutant
    # that cut it at 101 survived), and not left ending in the hyphen the cut fell after.
    (made,) = _parse(f'[[custom_feeds]]\nname = "{"Word " * 30}"\nmatch = ["x"]\n')
    assert made.slug == "-".join(["word"] * 20)
    (made,) = _parse(f'[[custom_feeds]]\nname = "{"a" * 150}"\nmatch = ["x"]\n')
    assert made.slug == longest


def test_an_empty_slug_is_refused_at_its_line_not_made_from_the_name() -> None:
    """Found by a review (h6): `slug = ""` was taken for no slug, the feed's URL made from its
    name in silence: an owner who blanked it to fill in later got a URL they never chose."""
    message, line = _error_line('[[custom_feeds]]\nname = "A"\nslug = ""\nmatch = ["x"]\n')
    assert "custom feed slug '' is not a lowercase-hyphenated slug" in message
    assert line == 6


@pytest.mark.parametrize("name", ["扩散模型", "Μεγάλα γλωσσικά μοντέλα", "Большие модели"])
def test_a_feed_named_without_a_latin_letter_is_refused_unless_given_a_slug(name: str) -> None:
    """Found by a trial: such a name silently made the slug "feed" (and a second one, the
    same slug: an error blaming a slug no one gave)."""
    assert _refusal(f'[[custom_feeds]]\nname = "{name}"\nmatch = ["diffusion"]\n') == (
        f"site.toml:5: custom feed name '{name}' has no Latin letter or digit to make its URL "
        'from\n  hint: add slug = "my-feed" (letters a-z, digits and hyphens: its address,'
        ' feeds/my-feed/; slug = "feed" keeps feeds/feed/, where such a feed was before)'
    )
    (feed,) = _parse(f'[[custom_feeds]]\nname = "{name}"\nslug = "mine"\nmatch = ["diffusion"]\n')
    assert (feed.name, feed.slug) == (name, "mine")


def test_a_feed_named_as_another_in_any_case_is_refused_at_its_name() -> None:
    """Found by a trial: two feeds of one name, with slugs of their own, were two same entries
    of /feeds/."""
    assert _refusal(
        '[[custom_feeds]]\nname = "Agents"\nslug = "agents"\nmatch = ["agent"]\n\n'
        '[[custom_feeds]]\nname = "AGENTS"\nslug = "agents-2"\nmatch = ["tool use"]\n'
    ) == (
        "site.toml:10: custom feed name 'AGENTS' is another feed's, on line 5\n"
        "  hint: give each [[custom_feeds]] its own name"
    )


def test_a_feed_named_as_a_topic_in_any_case_is_refused_at_its_name() -> None:
    """Found by a reader's trial: a feed named "Reasoning" beside the topic Reasoning made two
    entries alike in /feeds/ and feeds.opml."""
    assert _refusal('[[custom_feeds]]\nname = "rl"\nslug = "upvoted-rl"\nmin_upvotes = 5\n') == (
        "site.toml:5: custom feed name 'rl' is a topic's: /feeds/ and feeds.opml would list two"
        " feeds of that name\n  hint: give the feed a name of its own"
    )


def test_an_exclude_phrase_its_match_holds_too_is_refused_at_its_line() -> None:
    """A paper that a `match` phrase finds holds every phrase inside it: excluding one (the
    same words in another case, say) means the phrase never chooses a paper."""
    feed = '[[custom_feeds]]\nname = "D"\nmatch = ["diffusion model", "flow matching"]\n'
    assert _refusal(feed + 'exclude = [\n  "survey",\n  "Flow-Matching",\n]\n') == (
        "site.toml:9: `exclude` holds 'Flow-Matching', which the `match` phrase 'flow matching' "
        "holds too: a paper found by that phrase is always left out\n"
        "  hint: take 'Flow-Matching' out of `exclude`, or 'flow matching' out of `match`"
    )
    assert "the `match` phrase 'diffusion model' holds too" in _refusal(
        feed + 'exclude = ["models"]\n'
    )
    (kept,) = _parse(feed + 'exclude = ["diffusion models for robots", "survey"]\n')
    assert kept.exclude == ("diffusion models for robots", "survey")


def _paper(**fields: object) -> Paper:
    paper = Paper(
        id="p",
        title="Diffusion Models for Robots",
        abstract="We train a diffusion policy. It is not a survey of flow matching.",
        keywords=("denoising",),
        authors=("Ada Lovelace", "Alan Turing"),
        organization=Organization(handle="google", name="Google"),
        upvotes=12,
    )
    return Paper(**{**{f: getattr(paper, f) for f in paper.__slots__}, **fields})  # type: ignore[arg-type]


def _admits(paper: Paper, **rules: object) -> bool:
    """Whether a feed of `rules` admits `paper`, whose topics are ("rl",)."""
    feed = CustomFeed(slug="f", name="F", description="", **rules)  # type: ignore[arg-type]
    return FeedMatcher.of(feed).admits(paper, ("rl",))


def test_phrases_match_whole_words_in_any_case_and_plural() -> None:
    paper = _paper()
    assert _admits(paper, match=("DIFFUSION MODEL",))  # "Models" in the title
    assert _admits(paper, match=("denoising",))  # a source keyword
    assert _admits(paper, match=("nothing", "diffusion policy"))  # any one, abstract
    assert not _admits(paper, match=("models for robotics", "robot learning"))
    assert not _admits(paper, match=("fusion",))  # not inside a word


def test_every_rule_given_must_pass_and_exclusions_win() -> None:
    paper = _paper()
    assert _admits(paper, match=("diffusion",), topics=("rl",), min_upvotes=12)
    assert not _admits(paper, match=("diffusion",), exclude=("survey",))
    assert not _admits(paper, topics=("rl",), exclude=("Surveys",))  # exclusions alone
    assert _admits(paper, topics=("rl",), exclude=("review",))
    assert not _admits(paper, match=("diffusion",), topics=("vision",))
    assert not _admits(paper, min_upvotes=13)
    assert _admits(_paper(upvotes=0), min_upvotes=0)
    assert not _admits(_paper(upvotes=None), min_upvotes=0)  # no count is no evidence


def test_organizations_by_handle_or_name_and_authors_by_full_name() -> None:
    paper = _paper()
    assert _admits(paper, organizations=("GOOGLE",))
    assert _admits(paper, organizations=("Meta", "google"))
    assert not _admits(_paper(organization=None), organizations=("google",))
    assert _admits(paper, authors=("alan  turing",))
    assert not _admits(paper, authors=("Turing",))


def test_a_feed_that_admits_no_paper_is_noted_with_the_names_nearest_its_own(
    bundled_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fork owner's trial: a misspelt organization handle or an author's name spelt otherwise
    than the listings spell it gave a feed whose page said "No paper matches this feed yet",
    and the build said nothing."""
    from sitegen.cli import main

    feeds = (
        '[[custom_feeds]]\nname = "IBM papers"\norganizations = ["ibm-reserch"]\n\n'
        '[[custom_feeds]]\nname = "NVIDIA papers"\norganizations = ["nvidai"]\n\n'
        '[[custom_feeds]]\nname = "Casanova papers"\nauthors = ["Etienne Casanva"]\n\n'
        '[[custom_feeds]]\nname = "Caltech papers"\norganizations = ["Caltech"]\n\n'
    )
    err = _built_with_feeds_first(bundled_built, feeds, capsys)
    looked_at = "admits none of the 480 papers of the site's newest 6 days"
    assert (
        f"sitegen: note: custom feed ibm-papers {looked_at}: none is from “ibm-reserch”"
        " (the nearest handle: ibm-research)"
    ) in err
    assert (
        f"sitegen: note: custom feed nvidia-papers {looked_at}: none is from “nvidai”"
        " (no handle near it)"
    ) in err
    assert (
        f"sitegen: note: custom feed casanova-papers {looked_at}: none is by “Etienne Casanva”"
        " (the nearest name: Etienne Casanova)"
    ) in err
    assert "caltech-papers" not in err  # it has its paper
    # Said when the rules are new or changed (and by a full build), not by every build: the
    # check reads the newest days' papers (the rebuild budget, under 2 s at 50k papers).
    assert main(["--root", str(bundled_built), "build"]) == 0
    assert "custom feed" not in capsys.readouterr().err
    rewrite(bundled_built / "site.toml", lambda text: text.replace("ibm-reserch", "ibm-research"))
    assert main(["--root", str(bundled_built), "build"]) == 0
    assert "custom feed" not in capsys.readouterr().err
    rewrite(bundled_built / "site.toml", lambda text: text.replace("Casanva", "Casanovaa"))
    assert main(["--root", str(bundled_built), "build"]) == 0
    assert "custom feed casanova-papers" in capsys.readouterr().err


def _built_with_feeds_first(site: Path, feeds: str, capsys: pytest.CaptureFixture[str]) -> str:
    """What a build of `site` says with the custom feeds `feeds` put before its own."""
    from sitegen.cli import main

    rewrite(
        site / "site.toml",
        lambda text: text.replace("[[custom_feeds]]", feeds + "[[custom_feeds]]", 1),
    )
    capsys.readouterr()
    assert main(["--root", str(site), "build"]) == 0
    return capsys.readouterr().err


def test_a_feed_whose_phrase_no_paper_mentions_is_noted_with_the_nearest_phrase_they_do(
    bundled_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A forker's trial: `match = ["difusion"]` was noted with "its rules together admit none
    of them", where a misspelt handle or name was given the nearest ones the papers have."""

    feeds = (
        '[[custom_feeds]]\nname = "Difusion"\nmatch = ["difusion"]\n\n'
        '[[custom_feeds]]\nname = "Two typos"\nmatch = ["Difusion Modles", "qzxvw"]\n\n'
        '[[custom_feeds]]\nname = "One word mistyped"\nmatch = ["difusion Models"]\n\n'
        '[[custom_feeds]]\nname = "Diffusion at NVIDIA"\nmatch = ["diffusion"]\n'
        'organizations = ["nvidai"]\n\n'
    )
    err = _built_with_feeds_first(bundled_built, feeds, capsys)
    looked_at = "admits none of the 480 papers of the site's newest 6 days"
    assert (
        f"sitegen: note: custom feed difusion {looked_at}: none mentions “difusion”"
        " (the nearest phrase they do: “diffusion”); its page says"
    ) in err
    assert (
        f"sitegen: note: custom feed two-typos {looked_at}: none mentions “Difusion Modles”"
        " (the nearest phrase they do: “diffusion models”); none mentions “qzxvw” (no phrase"
        " near it); its page says"
    ) in err
    # A word the papers have is kept, beside the one respelled.
    assert (
        f"sitegen: note: custom feed one-word-mistyped {looked_at}: none mentions “difusion"
        " Models” (the nearest phrase they do: “diffusion models”); its page says"
    ) in err
    # A phrase some paper mentions is no typo: only the handle is said.
    assert (
        f"sitegen: note: custom feed diffusion-at-nvidia {looked_at}: none is from “nvidai”"
        " (no handle near it); its page says"
    ) in err


def test_a_feed_checked_while_the_site_had_no_paper_is_checked_again_once_it_has(
    bundled_built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a review: a fork started empty (the README's "start empty") whose owner wrote
    a feed with a misspelt handle was built with no paper to check it against, the feed was
    recorded checked all the same, and the builds after the first fetch never said it."""
    from sitegen.cli import main

    feed = '[[custom_feeds]]\nname = "IBM papers"\norganizations = ["ibm-reserch"]\n\n'
    rewrite(
        bundled_built / "site.toml",
        lambda text: text.replace("[[custom_feeds]]", feed + "[[custom_feeds]]", 1),
    )
    days = bundled_built / "content" / "days"
    days.rename(bundled_built / "days-aside")
    days.mkdir()
    capsys.readouterr()
    assert main(["--root", str(bundled_built), "build"]) == 0
    assert "custom feed" not in capsys.readouterr().err  # no paper to say it of
    days.rmdir()
    (bundled_built / "days-aside").rename(days)  # the first fetch's days
    assert main(["--root", str(bundled_built), "build"]) == 0
    assert "custom feed ibm-papers admits none of" in capsys.readouterr().err
