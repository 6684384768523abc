"""Highlighted snippets: the matched words in <mark>, everything else escaped.

Done in Python on the original text for both backends, comparing words the way the index
does (folded and stemmed), so "Förderbescheide" highlights "Förderbescheid".
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .normalize import fold, stem

_TOKEN_RE = re.compile(r"[^\W_]+")
WINDOW_WORDS = 36
LEAD_WORDS = 10


class Highlighter:
    def __init__(self, query_words):
        self.words = set(query_words)
        self.stems = {stem(w) for w in query_words}

    def _matches(self, token: str) -> bool:
        folded = fold(token)
        return folded in self.words or stem(folded) in self.stems

    def _render(self, text: str, start: int, end: int, tokens, hits: set[int]) -> str:
        out = []
        position = start
        for index, match in enumerate(tokens):
            if match.start() < start or match.end() > end:
                continue
            out.append(escape(text[position : match.start()]))
            word = escape(match.group())
            out.append(f"<mark>{word}</mark>" if index in hits else word)
            position = match.end()
        out.append(escape(text[position:end]))
        return "".join(out)

    def highlight(self, text: str) -> SafeString:
        """The whole (short) text with matches marked, e.g. a title."""
        tokens = list(_TOKEN_RE.finditer(text or ""))
        hits = {i for i, m in enumerate(tokens) if self._matches(m.group())}
        return mark_safe(self._render(text or "", 0, len(text or ""), tokens, hits))

    def snippet(self, *texts: str, max_chars: int = 320) -> SafeString:
        """A window of the first text that contains a match (else the start of the first)."""
        candidates = [t for t in texts if t and t.strip()]
        if not candidates:
            return mark_safe("")
        for text in candidates:
            tokens = list(_TOKEN_RE.finditer(text))
            hits = {i for i, m in enumerate(tokens) if self._matches(m.group())}
            if hits:
                break
        else:
            text = candidates[0]
            tokens = list(_TOKEN_RE.finditer(text))
            hits = set()
        if not tokens:
            return mark_safe(escape(text[:max_chars]))
        first = min(hits) if hits else 0
        first_token = max(0, first - LEAD_WORDS)
        last_token = min(len(tokens) - 1, first_token + WINDOW_WORDS)
        start = 0 if first_token == 0 else tokens[first_token].start()
        end = len(text) if last_token == len(tokens) - 1 else tokens[last_token].end()
        if end - start > max_chars:
            end = max(tokens[first].end(), start + max_chars)
            end = next((m.end() for m in tokens if m.start() < end <= m.end()), end)
        html = self._render(text, start, end, tokens, hits)
        html = " ".join(html.split())
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(text.rstrip()) else ""
        return mark_safe(f"{prefix}{html}{suffix}")
