"""Safe rich text: only an allow-listed set of tags and attributes survives, on save and again on render."""

import re
from html import unescape

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}
_HAS_TAG = re.compile(r"<[a-zA-Z/!]")
_BLANK_LINES = re.compile(r"\n\s*\n")


def sanitize(html: str) -> str:
    """Keep only the allowed tags and attributes; script/style/iframe/svg content and event handlers go."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def plain_to_html(text: str) -> str:
    """Text typed without tags becomes paragraphs (a blank line between them); HTML is left as it is."""
    if _HAS_TAG.search(text or ""):
        return text
    paragraphs = [p.strip() for p in _BLANK_LINES.split(text or "") if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def render(html: str) -> SafeString:
    """The stored body, sanitised once more on the way out (defence against rows written around the model)."""
    return mark_safe(sanitize(html))  # noqa: S308 - nh3 allow-list above


def to_text(html: str) -> str:
    """Plain text of a body, for search and excerpts."""
    text = nh3.clean((html or "").replace("<", " <"), tags=set(), attributes={}, strip_comments=True)

    return re.sub(r"\s+", " ", unescape(text)).strip()
