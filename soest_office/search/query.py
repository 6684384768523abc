"""Web-search syntax: words, "phrases" and -exclusions, parsed so that nothing can fail.

The parser never raises and never passes user text to a query language: every clause is a
tuple of folded words made only of letters and digits (see normalize.py), and the backends
build tsquery/FTS5 expressions from those alone. Whatever could not be used is reported as a
German hint for the results page.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .normalize import is_stop_word, words

MAX_QUERY_CHARS = 200
MAX_CLAUSES = 10
MIN_WORD_CHARS = 2

# A quoted phrase (the closing quote may be missing) or a bare token; both may start with "-".
_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
# Control characters (NUL included) are never part of a search.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

Clause = tuple[str, ...]


@dataclass
class ParsedQuery:
    raw: str = ""
    required: list[Clause] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)

    @property
    def is_searchable(self) -> bool:
        return bool(self.required)

    @property
    def highlight_words(self) -> list[str]:
        return [word for clause in self.required for word in clause]

    def fuzzy_terms(self) -> list[str]:
        """Single words long enough for typo tolerance (trigram / phonetic)."""
        return [c[0] for c in self.required if len(c) == 1 and len(c[0]) >= 4]


def _clause(text: str) -> tuple[Clause, bool]:
    """Folded words of one token; the flag tells that something was dropped as too short."""
    found = words(text)
    kept = tuple(w for w in found if len(w) >= MIN_WORD_CHARS or w.isdigit())
    return kept, len(kept) < len(found)


def parse_query(raw) -> ParsedQuery:
    """Parse what the user typed; never raises, whatever the input."""
    text = raw if isinstance(raw, str) else ""
    text = _CONTROL_RE.sub(" ", text).strip()
    parsed = ParsedQuery(raw=text)
    if not text:
        parsed.hints.append(_("Bitte geben Sie einen Suchbegriff ein."))
        return parsed
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        parsed.raw = text
        parsed.hints.append(
            _("Die Suchanfrage war zu lang und wurde auf %(n)d Zeichen gekürzt.")
            % {"n": MAX_QUERY_CHARS}
        )

    dropped_short = dropped_stop = False
    for match in _TOKEN_RE.finditer(text):
        is_phrase = match.group(2) is not None
        negative = bool(match.group(1) if is_phrase else match.group(3))
        clause, short = _clause(match.group(2) if is_phrase else match.group(4))
        dropped_short |= short
        if len(clause) == 1 and is_stop_word(clause[0]):
            dropped_stop = True
            continue
        if not clause:
            continue
        target = parsed.excluded if negative else parsed.required
        if clause not in target:
            target.append(clause)

    if len(parsed.required) + len(parsed.excluded) > MAX_CLAUSES:
        parsed.required = parsed.required[:MAX_CLAUSES]
        parsed.excluded = parsed.excluded[: max(0, MAX_CLAUSES - len(parsed.required))]
        parsed.hints.append(
            _("Nur die ersten %(n)d Suchbegriffe werden berücksichtigt.") % {"n": MAX_CLAUSES}
        )
    if dropped_short:
        parsed.hints.append(_("Einzelne Buchstaben werden bei der Suche nicht berücksichtigt."))
    if not parsed.required:
        if parsed.excluded:
            parsed.hints.append(
                _(
                    "Bitte geben Sie mindestens einen Begriff an, der vorkommen soll "
                    "(ohne Minuszeichen davor)."
                )
            )
        elif dropped_stop:
            parsed.hints.append(
                _("Ihre Suche enthält nur sehr häufige Wörter. Bitte genauer suchen.")
            )
        elif not dropped_short:
            parsed.hints.append(
                _(
                    "Ihre Eingabe enthält keine Buchstaben oder Ziffern, nach denen "
                    "gesucht werden kann."
                )
            )
        else:
            parsed.hints.append(_("Bitte geben Sie mindestens zwei Zeichen ein."))
    return parsed
