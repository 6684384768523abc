"""The templates in scope carry no user-visible text outside Django's translation tags, so
`makemessages` extracts all of it.

A heuristic, not a parser: after dropping comments, `{% blocktranslate %}` blocks, every other
Django tag and variable, HTML tags and markup, e-mail addresses and URLs, no run of two or more
letters may remain. The attributes people read (title, alt, aria-label, placeholder, the value
of a button-like input) are checked the same way, and so are string literals passed to filters
in `{{ }}` (`default:"…"` must be `default:_("…")`).

To bring another app's templates under the guard, add its folder to TEMPLATES_IN_SCOPE.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template

TEMPLATE_ROOT = Path(settings.BASE_DIR) / "templates"

# Folders (searched recursively) or single files, relative to templates/.
TEMPLATES_IN_SCOPE = [
    "base.html",
    "errors",
    "registration",
    "subscriptions",
    "soest_office",
    "projects",
    "stakeholders",
    "news",
    "participation",
    "meetings",
]
# Templates in scope that are not marked yet (e.g. while being reworked elsewhere), each to be
# removed from here once it is. Empty: every template is marked.
NOT_YET_MARKED: list[str] = []
# Text that stays as it is in every language: parts of postal addresses.
ALLOWED_PHRASES = [
    "Am Vreithof 8",
    "59494 Soest",
    "Fürstenwall 25, 40219 Düsseldorf",
]
# Filter arguments in {{ }} that are tokens, not text (e.g. a CSS class name).
TECHNICAL_LITERALS = {"info"}

TEMPLATE_SUFFIXES = (".html", ".txt")
# Attributes whose values a user reads or hears.
VISIBLE_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label", "aria-description", "label")
BUTTON_INPUT_TYPES = ("submit", "button", "reset")

COMMENT_RE = re.compile(r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
BLOCKTRANSLATE_RE = re.compile(
    r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}", re.S
)
BLOCKTRANSLATE_OPEN_RE = re.compile(r"{%\s*blocktrans(?:late)?\b.*?%}", re.S)
VARIABLE_RE = re.compile(r"{{.*?}}", re.S)
TAG_RE = re.compile(r"{%.*?%}", re.S)
STRING_LITERAL_RE = re.compile(r"""(_\(\s*)?("[^"]*"|'[^']*')""")
HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
SCRIPT_STYLE_RE = re.compile(r"<(script|style)\b[^>]*>.*?</\1>", re.S | re.I)
HTML_TAG_RE = re.compile(r"<[^>]*>", re.S)
ATTRIBUTE_RE = re.compile(r"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-f]+|\w+);", re.I)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL_RE = re.compile(r"(?:https?://|mailto:|www\.)\S+|(?<!\w)/[\w./-]*")
WORD_RE = re.compile(r"[^\W\d_]{2,}")


def templates_in_scope() -> list[str]:
    names = []
    for entry in TEMPLATES_IN_SCOPE:
        path = TEMPLATE_ROOT / entry
        files = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in files:
            name = file.relative_to(TEMPLATE_ROOT).as_posix()
            if file.suffix in TEMPLATE_SUFFIXES and name not in NOT_YET_MARKED:
                names.append(name)
    return names


def _blank(match: re.Match) -> str:
    """Replace a match by its newlines only, so line numbers stay right."""
    return "\n" * match.group(0).count("\n")


def _words(text: str) -> list[str]:
    text = ENTITY_RE.sub(" ", text)
    text = EMAIL_RE.sub(" ", text)
    text = URL_RE.sub(" ", text)
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    return WORD_RE.findall(text)


def untranslated_text(source: str, *, html: bool = True) -> list[tuple[int, str]]:
    """(line, text) for each piece of visible text left outside the translation tags."""
    found = []
    source = COMMENT_RE.sub(_blank, source)
    # Literals passed to filters must be marked too, also in a blocktranslate's `with`.
    for match in [*VARIABLE_RE.finditer(source), *BLOCKTRANSLATE_OPEN_RE.finditer(source)]:
        line = source.count("\n", 0, match.start()) + 1
        for marked, literal in STRING_LITERAL_RE.findall(match.group(0)):
            value = literal[1:-1]
            if not marked and value not in TECHNICAL_LITERALS and _words(value):
                found.append((line, literal))
    source = BLOCKTRANSLATE_RE.sub(_blank, source)
    source = VARIABLE_RE.sub(_blank, source)
    source = TAG_RE.sub(_blank, source)

    if html:
        source = HTML_COMMENT_RE.sub(_blank, source)
        source = SCRIPT_STYLE_RE.sub(_blank, source)
        for match in HTML_TAG_RE.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            tag = match.group(0)
            attributes = {
                name.lower(): value.strip("\"'") for name, value in ATTRIBUTE_RE.findall(tag)
            }
            visible = [attributes.get(name, "") for name in VISIBLE_ATTRIBUTES]
            if tag[1:6].lower() == "input" and attributes.get("type") in BUTTON_INPUT_TYPES:
                visible.append(attributes.get("value", ""))
            found += [(line, value) for value in visible if _words(value)]
        source = HTML_TAG_RE.sub(lambda m: " " + _blank(m), source)

    for number, text in enumerate(source.splitlines(), start=1):
        if _words(text):
            found.append((number, text.strip()))
    return sorted(found)


# --- the heuristic itself -------------------------------------------------------------------


def test_the_heuristic_finds_plain_text_attributes_and_filter_literals():
    source = (
        '{% load i18n %}<p title="Hinweis">Hallo {{ name }}</p>\n'
        '<nav aria-label="{% translate \'Seiten\' %}">{{ x|default:"ohne Namen" }}</nav>\n'
        '<input type="submit" value="Senden"><input type="hidden" value="token">\n'
        '{% blocktranslate with n=x|default:"keiner" %}{{ n }} da{% endblocktranslate %}'
    )
    assert untranslated_text(source) == [
        (1, "Hallo"),
        (1, "Hinweis"),
        (2, '"ohne Namen"'),
        (3, "Senden"),
        (4, '"keiner"'),
    ]


def test_the_heuristic_accepts_marked_text_markup_addresses_and_links():
    source = (
        '{% load i18n %}{# Kommentar #}<h1>{% translate "Titel" %}</h1>\n'
        "{% blocktranslate trimmed with n=x.n|default:_('keine') %}\n"
        '  Noch <a href="{{ url }}">{{ n }} Seiten</a>\n'
        "{% endblocktranslate %}\n"
        '<a href="mailto:projektbuero@soest.de">projektbuero@soest.de</a> &nbsp;·\n'
        '<a href="/presse/">/presse/</a> <a href="https://www.ldi.nrw.de">www.ldi.nrw.de</a>\n'
        "Am Vreithof 8<br>59494 Soest {{ d|date:'d.m.Y H:i' }}"
    )
    assert untranslated_text(source) == []


def test_the_heuristic_reads_plain_text_mails_without_html_rules():
    source = "{% load i18n %}{% translate 'Guten Tag,' %}\n\nAbmelden: {{ url }}\n<Name>"
    assert untranslated_text(source, html=False) == [(3, "Abmelden:"), (4, "<Name>")]


# --- the templates --------------------------------------------------------------------------


def test_the_scope_lists_existing_templates():
    for entry in TEMPLATES_IN_SCOPE + NOT_YET_MARKED:
        assert (TEMPLATE_ROOT / entry).exists(), entry
    assert "base.html" in templates_in_scope()
    assert "subscriptions/mail/confirm.txt" in templates_in_scope()


@pytest.mark.parametrize("name", templates_in_scope())
def test_template_has_no_text_outside_translation_tags(name):
    source = (TEMPLATE_ROOT / name).read_text(encoding="utf-8")
    left = untranslated_text(source, html=name.endswith(".html"))
    assert not left, f"templates/{name}: nicht zur Übersetzung markiert: {left}"


@pytest.mark.parametrize("name", templates_in_scope())
def test_template_compiles(name):
    # A missing {% load i18n %} shows up here as a TemplateSyntaxError.
    get_template(name)
