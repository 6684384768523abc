"""Markdown for press-release bodies: rendered without raw HTML, then sanitised by nh3.

Two layers: Markdown's raw-HTML handling is switched off (typed tags come out as text), and
nh3 (ammonia) keeps only an allow-list of tags, attributes and URL schemes, so nothing a
writer types can run script on the public page, in the feed or in the mail.
"""

import re
from html import unescape

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "ul", "ol", "li", "a",
    "blockquote", "code", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
# The page has its own <h1>: a "# Heading" in the body becomes a second-level heading.
_H1 = re.compile(r"<(/?)h1>")


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render_markdown(text: str) -> str:
    """Markdown to safe HTML; the result may be marked safe in templates."""
    html = _markdown().convert(text or "")
    return sanitise_html(_H1.sub(r"<\1h2>", html))


def markdown_to_text(text: str) -> str:
    """Plain text for the text/plain part of mails: the sanitised HTML without tags."""
    html = render_markdown(text)
    html = re.sub(r"</(p|h2|h3|h4|li|blockquote|pre)>", "\n\n", html)
    html = re.sub(r"<br ?/?>", "\n", html)
    plain = nh3.clean(html, tags=set())
    return re.sub(r"\n{3,}", "\n\n", unescape(plain)).strip()
