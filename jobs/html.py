"""Rich text of job descriptions: sanitised with nh3 on every write."""

import nh3

# What the editor may produce; the LinkedIn feed narrows it further to LinkedIn's own list.
DESCRIPTION_TAGS = {
    "p",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "a",
    "blockquote",
}
DESCRIPTION_ATTRIBUTES = {"a": {"href", "title"}}


def sanitise_description(html: str) -> str:
    """Keep only the allowed tags; scripts, styles and event handlers disappear with their text."""
    return nh3.clean(
        html,
        tags=DESCRIPTION_TAGS,
        attributes=DESCRIPTION_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def text_length(html: str) -> int:
    """Length of the visible text of an HTML fragment."""
    return len(nh3.clean(html, tags=set()).strip())
