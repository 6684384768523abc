"""German text normalisation shared by both search backends and the snippet highlighter.

Documents and queries pass through the same steps, so that what people type meets what
was written: lower case; umlauts and ß written out (ä -> ae, ß -> ss, so "Bürgerbüro" and
"Buergerbuero" become one word); other accents dropped (é -> e); only letters and digits
kept (every operator character of tsquery or FTS5 syntax is gone before a query is built);
Snowball German stemming for the SQLite backend and the highlighter (PostgreSQL stems
with its own `german` configuration); Kölner Phonetik codes for names ("Meier" = "Meyer").
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# Unicode letters and digits of any script; underscores and punctuation split words.
_WORD_RE = re.compile(r"[^\W_]+")
_stemmer = snowballstemmer.stemmer("german")

# PostgreSQL's german.stop (from Snowball); a query term that is a stop word is dropped on
# both backends, so SQLite does not match what PostgreSQL's stemmer would ignore.
_STOP_WORDS_RAW = """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
    anderes anderm andern anderr anders auch auf aus bei bin bis bist da damit dann der den
    des dem die das daß derselbe derselben denselben desselben demselben dieselbe dieselben
    dasselbe dazu dein deine deinem deinen deiner deines denn derer dessen dich dir du dies
    diese diesem diesen dieser dieses doch dort durch ein eine einem einen einer eines einig
    einige einigem einigen einiger einiges einmal er ihn ihm es etwas euer eure eurem euren
    eurer eures für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich mich
    mir ihr ihre ihrem ihren ihrer ihres euch im in indem ins ist jede jedem jeden jeder
    jedes jene jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines
    können könnte machen man manche manchem manchen mancher manches mein meine meinem meinen
    meiner meines mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein
    seine seinem seinen seiner seines selbst sich sie ihnen sind so solche solchem solchen
    solcher solches soll sollte sondern sonst über um und uns unse unsem unsen unser unses
    unter viel vom von vor während war waren warst was weg weil weiter welche welchem
    welchen welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen
    wollte würde würden zu zum zur zwar zwischen
"""


def fold(text: str) -> str:
    """Lower-case, write out umlauts and ß, strip other diacritics."""
    text = unicodedata.normalize("NFC", text or "").lower().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed
    # Look up each distinct character once, not every character of a long body.
    marks = {ord(c): None for c in set(decomposed) if unicodedata.combining(c)}
    return decomposed.translate(marks) if marks else decomposed


def words(text: str) -> list[str]:
    """The folded words of a text (letters and digits only)."""
    return _WORD_RE.findall(fold(text))


def normalized_text(text: str) -> str:
    return " ".join(words(text))


_U_BETWEEN_VOWELS = re.compile(r"(?<=[aeiouy])u(?=[aeiouy])")
_UE = re.compile(r"(?<!q)ue")


@lru_cache(maxsize=20_000)
def contract(word: str) -> str:
    """Written-out umlauts back to plain vowels (ae -> a, oe -> o, ue -> u, not after q nor
    for a u between vowels), as Snowball's german2 rule does before stemming.

    PostgreSQL's `german` stemmer predates that rule, so "anschluesse" would not meet
    "anschluss"; the PostgreSQL backend feeds it contracted words (documents and queries
    alike). Lossy, but applied on both sides, so it only merges spellings.
    """
    protected = _U_BETWEEN_VOWELS.sub("U", word)
    protected = protected.replace("ae", "a").replace("oe", "o")
    return _UE.sub("u", protected).replace("U", "u")


def contracted_text(text: str) -> str:
    return " ".join(contract(w) for w in words(text))


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """Snowball German stem of one folded word."""
    return _stemmer.stemWord(word)


def stemmed_text(text: str) -> str:
    return " ".join(stem(w) for w in words(text))


STOP_WORDS = frozenset(fold(w) for w in _STOP_WORDS_RAW.split())


def is_stop_word(word: str) -> bool:
    return word in STOP_WORDS


# --- Kölner Phonetik ----------------------------------------------------------------------
_VOWELS = set("aeijouy")


def _code(prev: str, char: str, nxt: str, first: bool) -> str:
    if char in _VOWELS:
        return "0"
    if char == "h":
        return ""
    if char == "b":
        return "1"
    if char == "p":
        return "3" if nxt == "h" else "1"
    if char in "dt":
        return "8" if nxt in set("csz") else "2"
    if char in "fvw":
        return "3"
    if char in "gkq":
        return "4"
    if char == "c":
        if first:
            return "4" if nxt in set("ahkloqrux") else "8"
        if prev in set("sz"):
            return "8"
        return "4" if nxt in set("ahkoqux") else "8"
    if char == "x":
        return "8" if prev in set("ckq") else "48"
    if char == "l":
        return "5"
    if char in "mn":
        return "6"
    if char == "r":
        return "7"
    if char in "sz":
        return "8"
    return ""


@lru_cache(maxsize=20_000)
def phonetic(word: str) -> str:
    """Kölner Phonetik code of one folded word ("" for words without Latin letters)."""
    # Umlauts were written out by fold(); the algorithm treats ä like a, so undo that here.
    letters = [
        c for c in word.replace("ae", "a").replace("oe", "o").replace("ue", "u") if "a" <= c <= "z"
    ]
    raw = []
    for i, char in enumerate(letters):
        prev = letters[i - 1] if i else ""
        nxt = letters[i + 1] if i + 1 < len(letters) else ""
        raw.append(_code(prev, char, nxt, i == 0))
    digits = "".join(raw)
    collapsed = []
    for digit in digits:
        if not collapsed or collapsed[-1] != digit:
            collapsed.append(digit)
    if not collapsed:
        return ""
    return collapsed[0] + "".join(d for d in collapsed[1:] if d != "0")


def phonetic_text(text: str) -> str:
    """Space-separated phonetic codes of the words of a name text (words of 3+ letters)."""
    codes = {phonetic(w) for w in words(text) if len(w) >= 3 and not w.isdigit()}
    return " ".join(sorted(c for c in codes if len(c) >= 2))
