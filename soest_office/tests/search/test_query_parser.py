"""The query parser and German normalisation: nothing can fail, nothing raw gets through."""

import pytest

from soest_office.search.normalize import fold, phonetic, stem, words
from soest_office.search.query import MAX_QUERY_CHARS, parse_query

BAD_INPUTS = [
    "",
    "   ",
    "a",
    "x" * 500,
    "wort " * 100,
    "&|!:*()",
    "'&|!:*()\\",
    '"offenes Zitat',
    '"',
    '""',
    "-",
    "--",
    "- - -",
    "-Iserlohn",
    "Bürger\x00büro",
    "\x00",
    "Straße Привет 東京 مرحبا",
    "a:* & !b | (c",
    "<script>alert(1)</script>",
    "%_'; DROP TABLE x; --",
    "\ud83d\ude00 ☃",
    None,
    12,
]


@pytest.mark.parametrize("raw", BAD_INPUTS)
def test_parser_never_raises_and_keeps_only_letters_and_digits(raw):
    parsed = parse_query(raw)
    for clause in parsed.required + parsed.excluded:
        for word in clause:
            assert word
            assert all(ch.isalnum() for ch in word), word
    if not parsed.is_searchable:
        assert parsed.hints, "an unusable query must explain itself in German"


def test_words_phrases_and_exclusions():
    parsed = parse_query('Bürgerbüro "3D-Stadtmodell Soest" -Iserlohn -"Kreis Soest"')
    assert parsed.required == [("buergerbuero",), ("3d", "stadtmodell", "soest")]
    assert parsed.excluded == [("iserlohn",), ("kreis", "soest")]
    assert parsed.hints == []


def test_hyphenated_word_is_a_phrase_and_unbalanced_quote_is_closed():
    assert parse_query("3D-Stadtmodell").required == [("3d", "stadtmodell")]
    assert parse_query('"Smart City Lippstadt').required == [("smart", "city", "lippstadt")]


def test_only_exclusions_gives_a_hint():
    parsed = parse_query("-Iserlohn")
    assert not parsed.is_searchable
    assert "mindestens einen Begriff" in parsed.hints[0]


def test_stop_words_and_single_letters_are_dropped_with_a_hint():
    assert parse_query("die").hints == [
        "Ihre Suche enthält nur sehr häufige Wörter. Bitte genauer suchen."
    ]
    parsed = parse_query("a Schule")
    assert parsed.required == [("schule",)]
    assert "Einzelne Buchstaben" in parsed.hints[0]


def test_long_query_is_cut_with_a_hint():
    parsed = parse_query("Digitalisierung " * 40)
    assert len(parsed.raw) <= MAX_QUERY_CHARS
    assert any("gekürzt" in hint for hint in parsed.hints)


def test_fold_writes_out_umlauts_and_sharp_s_and_drops_accents():
    assert fold("Bürgerbüro Straße Café ÄÖÜ") == "buergerbuero strasse cafe aeoeue"
    assert words("Buergerbuero") == words("Bürgerbüro")


def test_stemming_joins_plural_and_singular():
    assert stem(fold("förderbescheide")) == stem(fold("förderbescheid"))
    assert stem("schulen") == stem("schule")


@pytest.mark.parametrize(
    ("a", "b"), [("meier", "meyer"), ("lipstadt", "lippstadt"), ("mueller", "muller")]
)
def test_koelner_phonetik_matches_spelling_variants(a, b):
    assert phonetic(a) == phonetic(b)


def test_koelner_phonetik_known_values():
    assert phonetic("wikipedia") == "3412"
    assert phonetic("breschnew") == "17863"
