"""Checking and rendering what citizens type.

Checks (forms): Unicode NFKC (full-width and compatibility look-alikes become plain letters),
no control, bidi-override or invisible characters, no line breaks in one-line fields, and no
word that mixes Latin with Greek or Cyrillic letters (homoglyph tricks like "Ѕoest").

Rendering (templates): the text is escaped, never interpreted as HTML or Markdown; line breaks
are kept. Links are shown as text; only accepted contributions get clickable links, and then
only http(s) ones with rel="nofollow ugc noopener", sanitised once more by nh3.
"""

from __future__ import annotations

import re
import unicodedata

import nh3
from django.utils.html import escape, linebreaks, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)}
_WORD = re.compile(r"\w+")


class TextProblem(ValueError):
    pass


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    for script in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(script):
            return script
    return "OTHER"


def clean_text(value: str, *, multiline: bool, check_scripts: bool) -> str:
    """The normalised text, or TextProblem with a German message."""
    value = unicodedata.normalize("NFKC", value or "")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if any(c in _BIDI for c in value):
        raise TextProblem(_("Der Text enthält Steuerzeichen für die Schreibrichtung."))
    if any(c in _INVISIBLE for c in value):
        raise TextProblem(_("Der Text enthält unsichtbare Zeichen."))
    for char in value:
        if char == "\n" and not multiline:
            raise TextProblem(_("Bitte ohne Zeilenumbrüche."))
        if unicodedata.category(char) in ("Cc", "Cs", "Co") and char not in "\n\t":
            raise TextProblem(_("Der Text enthält unzulässige Steuerzeichen."))
    if check_scripts:
        for word in _WORD.findall(value):
            scripts = {_script(c) for c in word} - {None}
            if len(scripts) > 1:
                raise TextProblem(
                    _(
                        "Das Wort »%(word)s« mischt Buchstaben verschiedener Schriften "
                        "(z. B. lateinisch und kyrillisch). Bitte tippen Sie es neu."
                    )
                    % {"word": word[:40]}
                )
    if multiline:
        value = "\n".join(line.rstrip() for line in value.split("\n")).strip()
        return re.sub(r"\n{3,}", "\n\n", value)
    return " ".join(value.split())


def render(text: str, *, links: bool) -> str:
    """Safe HTML of a contribution's text (or an answer)."""
    if links:
        html = urlize(text or "", trim_url_limit=60, nofollow=True, autoescape=True)
        html = linebreaks(html, autoescape=False)
    else:
        html = linebreaks(escape(text or ""), autoescape=False)
    cleaned = nh3.clean(
        html,
        tags={"p", "br", "a"} if links else {"p", "br"},
        attributes={"a": {"href"}} if links else {},
        url_schemes={"http", "https"},
        link_rel="nofollow ugc noopener noreferrer",
    )
    return mark_safe(cleaned)  # nh3 keeps only the allow-list above
