"""Legacy (single-byte) encodings: which one a file that is not UTF-8 is in, or none.

charset-normalizer ranks code pages by how their characters fit many languages at once, and
on a short French file in Latin-1 it prefers cp1250 (Central European): "défense à 2%"
comes out as "défense ŕ 2%". Language evidence settles it better: a Western European text
read as cp1252 (a superset of Latin-1 in practice) uses the accented letters of one
Western language, inside words, and typographic punctuation between them. When that
reading fits, it wins; otherwise charset-normalizer's guess is taken, unless it is itself
mojibake (letters of another script inside Latin words, symbols inside words), which is
refused rather than stored.
"""

from __future__ import annotations

import unicodedata

# The accented letters of Western European languages, one alphabet each (lower case).
_ALPHABETS = {
    "French": set("àâæçéèêëîïôœùûüÿ"),
    "Spanish": set("áéíóúñü"),
    "Portuguese": set("áàâãçéêíóôõúü"),
    "Italian": set("àèéìíîòóùú"),
    "German": set("äöüßéè"),
    "Dutch": set("áéíóúàèëïöüäç"),
    "Catalan": set("àèéíïòóúüç"),
    "Nordic": set("åäöøæéüáðþíóúý"),
}
# Names and loanwords bring a few letters from another alphabet ("Müller" in French prose).
_FOREIGN_SHARE = 0.05
# Typographic punctuation and symbols of Western text in cp1252 / Latin-1.
_PUNCTUATION = set("’‘“”„‚–—…€•«»°§£¥©®™·¿¡ªº½¼¾×÷¢¶µ†‡‰‹›\xa0\xad")
# Marks that may sit between two letters (an apostrophe, a Catalan middle dot).
_INSIDE_WORD = set("’·\xad")
# Bytes cp1252 leaves undefined: text in it never holds them.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")


def cp1252_reading(data: bytes) -> str | None:
    """``data`` read as cp1252 when that is a plausible Western European text, else None."""
    if any(b in _CP1252_HOLES for b in data):
        return None
    text = data.decode("cp1252")
    letters: dict[str, int] = {}
    for i, ch in enumerate(text):
        if ch.isascii():
            continue
        if ch.isalpha():
            low = ch.lower()
            letters[low] = letters.get(low, 0) + 1
            continue
        if ch not in _PUNCTUATION:
            return None
        between_letters = 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
        if between_letters and ch not in _INSIDE_WORD:
            return None  # "mo¿e": a Polish letter read in the wrong code page
    total = sum(letters.values())
    if total == 0:
        return text
    best = max(sum(n for ch, n in letters.items() if ch in a) for a in _ALPHABETS.values())
    return text if total - best <= _FOREIGN_SHARE * total else None


# One-letter words with an accent (French "à", Spanish "é", Italian "è", Portuguese "à").
_ACCENTED_WORDS = set("àáéèóúý")


def mojibake(text: str) -> tuple[int, str] | None:
    """Where and why ``text`` looks like bytes decoded with the wrong encoding, or None.

    Words do not mix scripts, and legacy-encoded prose in another script (Cyrillic, Greek)
    does not have Latin letters around each of its letters. So a letter of another script
    next to a Latin letter ("dщfense") or among a Latin text's letters at all ("boats яю"),
    a symbol other than typographic punctuation ("d¤fense", "the ±± navy"), an accented
    letter standing alone that is no word ("buy ÿ boats"), or a capital inside a lower-case
    word ("patÅØrol") is a byte read in the wrong code page.
    """
    n = len(text)
    for i, ch in enumerate(text):
        if ch.isascii() or ch in _PUNCTUATION:
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        if not ch.isalpha():
            if unicodedata.category(ch)[0] in "SC" or before.isalpha() or after.isalpha():
                return i, f"a stray symbol ({ch!r})"
            continue
        latin = _is_latin_letter(ch)
        if not latin and (_is_latin_letter(before) or _is_latin_letter(after)):
            return i, f"a letter of another script ({ch!r}) inside a Latin word"
        alone = not before.isalpha() and not after.isalpha()
        if latin and alone and ch.lower() not in _ACCENTED_WORDS:
            return i, f"a stray letter ({ch!r}) outside any word"
        if latin and ch.isupper() and before.islower():
            return i, f"a capital ({ch!r}) inside a lower-case word"
    return _stray_script(text)


# Below this share of a mostly Latin text, letters of another script are stray bytes, not
# quoted words.
_STRAY_SCRIPT_SHARE = 0.1


def _stray_script(text: str) -> tuple[int, str] | None:
    """The first letter of another script in a text that is Latin but for a few of them."""
    latin = other = 0
    first = -1
    for i, ch in enumerate(text):
        if not ch.isalpha():
            continue
        if _is_latin_letter(ch):
            latin += 1
        else:
            other += 1
            first = i if first < 0 else first
    if other and other <= _STRAY_SCRIPT_SHARE * (latin + other):
        return first, f"a letter of another script ({text[first]!r}) in Latin text"
    return None


def _is_latin_letter(ch: str) -> bool:
    if ch.isascii():
        return ch.isalpha()
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")
