"""Split sentences that carry several claims into atomic claims.

Policy prose packs commitments into one sentence: "It includes increasing defence spending to
2% of GDP in 2027, establishing a joint command by 2025, and loosening export rules." Each
item is a position of its own that can change on its own, so each becomes a claim with its own
span (the parent sentence is kept beside it for context).

Only lists whose items are clauses are split: every item opens with a gerund ("increasing",
"establishing") or a bare verb of a known policy-verb lexicon ("build", "ensure", "provide").
Noun lists ("biotechnology, artificial intelligence, space and quantum") describe one position
and stay whole. Independent clauses joined by a semicolon or "whereas" are split too.
"""

from __future__ import annotations

import itertools
import re

from tracker.claims.clause_heads import NOT_GERUNDS, POLICY_VERBS

_CONNECTOR = re.compile(r"\s*(?:and|or|as well as|and also|plus)\s+", re.IGNORECASE)
_FIRST_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
# Independent clauses: "...; Japan, in turn, was...", "... imports, whereas Japan lowered ...",
# and "..., and Japan ranks as ..." (a coordinated clause with its own named subject and
# finite verb; "X, and Y" of nouns or of verbs sharing one subject does not match).
_CLAUSE_BREAK = re.compile(
    r";\s+|,?\s+whereas\s+"
    r"|,\s+(?:and|but|while)\s+(?=(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s+"
    r"(?:is|are|was|were|has|have|had|will|would|can|could|should|must|may|remains?|ranks?|"
    r"\w+ed)\b)"
)


# The characters ``_top_level_commas`` acts on; every other character leaves its state alone.
_COMMA_STATE = re.compile(r'[,()\[\]{}“”"]')


def _top_level_commas(text: str) -> list[int]:
    """Offsets of commas outside brackets and quotes."""
    depth = 0
    quoted = False
    out = []
    # Visit only the characters that matter (a regex scan in C), not every character.
    for match in _COMMA_STATE.finditer(text):
        i = match.start()
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch in '“”"':
            quoted = not quoted if ch == '"' else ch == "“"
        elif ch == "," and depth == 0 and not quoted:
            out.append(i)
    return out


def _head_kind(word: str) -> str | None:
    low = word.lower()
    if low.endswith("ing") and len(low) > 5 and low not in NOT_GERUNDS:
        return "gerund"
    if low in POLICY_VERBS:
        return "verb"
    return None


def _item_start(segment: str) -> tuple[int, str | None]:
    """Where a list item starts inside a comma segment and what kind of head it has."""
    offset = len(segment) - len(segment.lstrip())
    lead = _CONNECTOR.match(segment, offset)
    if lead:
        offset = lead.end()
    word = _FIRST_WORD.match(segment, offset)
    if not word:
        return offset, None
    return offset, _head_kind(word.group())


def _list_items(sentence: str, start: int, end: int) -> list[tuple[int, int]] | None:
    text = sentence[start:end]
    commas = _top_level_commas(text)
    if len(commas) < 2:
        return None
    bounds = [0, *[c + 1 for c in commas], len(text)]
    segments = [
        (bounds[i], bounds[i + 1] - (1 if i + 1 < len(bounds) - 1 else 0))
        for i in range(len(bounds) - 1)
    ]
    kinds = [_item_start(text[s:e]) for s, e in segments]
    # Find the longest run of consecutive segments (after the first) with the same head kind.
    best: tuple[int, int, str] | None = None
    i = 1
    while i < len(segments):
        kind = kinds[i][1]
        if kind is None:
            i += 1
            continue
        j = i
        while j + 1 < len(segments) and kinds[j + 1][1] == kind:
            j += 1
        if best is None or j - i > best[1] - best[0]:
            best = (i, j, kind)
        i = j + 1
    if best is None:
        return None
    first, last, kind = best
    # The first item usually shares its comma segment with the lead-in: "... policy to build X".
    lead_seg_start, lead_seg_end = segments[first - 1]
    lead = text[lead_seg_start:lead_seg_end]
    words = list(_FIRST_WORD.finditer(lead))
    lead_item: int | None = None
    for w in reversed(words):
        if _head_kind(w.group()) == kind and (kind == "gerund" or _ends_with_to(lead, w.start())):
            lead_item = lead_seg_start + w.start()
            break
    items: list[tuple[int, int]] = []
    if lead_item is not None:
        items.append((lead_item, lead_seg_end))
    for k in range(first, last + 1):
        s, e = segments[k]
        offset, _ = kinds[k]
        items.append((s + offset, e))
    if len(items) < 3:
        return None
    # An item of one word is a name or an aside, not a claim: keep the sentence whole.
    if any(len(text[s:e].split()) < 2 for s, e in items):
        return None
    return [(start + s, start + _rstrip_end(text, s, e)) for s, e in items]


def _ends_with_to(text: str, end: int) -> bool:
    """Whether ``text[:end]`` ends with the word "to" (plus white space).

    Looks back only over the white space before ``end``, so checking every word of a long
    segment stays linear.
    """
    j = end
    while j > 0 and text[j - 1].isspace():
        j -= 1
    if j < 2 or text[j - 2 : j].lower() != "to":
        return False
    return j == 2 or not (text[j - 3].isalnum() or text[j - 3] == "_")


def _rstrip_end(text: str, s: int, e: int) -> int:
    chunk = text[s:e].rstrip(" ;:!?,")
    # Drop a final stop, but not the one that ends an acronym ("the U.S.").
    if chunk.endswith(".") and not re.search(r"\b(?:[A-Za-z]\.){2,}$", chunk):
        chunk = chunk[:-1]
    return s + len(chunk)


def _in_name_list(sentence: str, comma: int, open_brackets: int) -> bool:
    """Whether the ", and" at ``comma`` closes a list ("the U.S., Japan, and South Korea must")
    or sits inside brackets (``open_brackets`` more "(" than ")" before it), rather than
    joining two clauses."""
    if open_brackets > 0:
        return True
    previous = sentence.rfind(",", 0, comma)
    if previous < 0:
        return False
    last_item = sentence[previous + 1 : comma].split()
    return len(last_item) <= 3 and all(w[:1].isupper() for w in last_item)


_WORD = re.compile(r"\S+")


def _has_words(text: str, start: int, end: int, n: int) -> bool:
    """Whether ``text[start:end]`` holds at least ``n`` words (stops counting at ``n``)."""
    return sum(1 for _ in itertools.islice(_WORD.finditer(text, start, end), n)) >= n


# Words a list of names may hold besides the names: "Jerome H. Powell, Chair; John C.
# Williams, Vice Chair; and Lisa D. Cook".
_NAME_LIST_WORDS = frozenset(["and", "of", "the", "de", "da", "del", "van", "von", "der", "bin"])


def _is_name_list_part(text: str) -> bool:
    """Whether ``text`` (a part between semicolons) holds only names, titles and initials.

    Such parts are items of a list of people, not clauses: a clause has a lower-case word
    (its verb, at least) beyond the few that names carry.
    """
    words = [w.strip(",.;:()“”\"'’") for w in text.split()]
    words = [w for w in words if w]
    return bool(words) and all(w[:1].isupper() or w.lower() in _NAME_LIST_WORDS for w in words)


def _semicolon_joins_names(sentence: str, previous: int, match: re.Match[str]) -> bool:
    """Whether the ";" of ``match`` separates names in a list rather than two clauses.

    ``previous`` is where the part before it starts (after the last ";" seen).
    """
    if not match.group().startswith(";"):
        return False
    following = sentence.find(";", match.end())
    after = sentence[match.end() : following if following >= 0 else len(sentence)]
    return _is_name_list_part(after) or _is_name_list_part(sentence[previous : match.start()])


def atomic_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of the atomic claims in ``sentence`` (the whole sentence when it is one claim)."""
    return [(start, end) for start, end, _ in atomic_parts(sentence)]


def atomic_parts(sentence: str) -> list[tuple[int, int, str | None]]:
    """The atomic claims of ``sentence``: their spans, and for list items the lead-in.

    The lead-in is the part of the clause before its list ("Japan's plan includes"), which
    says whose commitment each item is; it is ``None`` for a whole sentence or clause.
    """
    clauses: list[tuple[int, int]] = []
    semicolon = 0  # where the part after the last ";" starts
    pos = 0
    # Brackets are counted incrementally (not re-counted before each break): a sentence with
    # thousands of breaks stays linear.
    depth = counted = 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        depth += sentence.count("(", counted, match.start())
        depth -= sentence.count(")", counted, match.start())
        counted = match.start()
        if match.group().startswith(",") and _in_name_list(sentence, match.start(), depth):
            continue
        if _semicolon_joins_names(sentence, semicolon, match):
            semicolon = match.end()
            continue
        if match.group().startswith(";"):
            semicolon = match.end()
        # Both sides must be real clauses, not a short aside or a list of nouns.
        if _has_words(sentence, pos, match.start(), 5) and _has_words(
            sentence, match.end(), len(sentence), 5
        ):
            clauses.append((pos, match.start()))
            pos = match.end()
    clauses.append((pos, len(sentence)))

    parts: list[tuple[int, int, str | None]] = []
    for start, end in clauses:
        lead = _CONNECTOR.match(sentence, start)
        if lead and len(clauses) > 1:
            start = lead.end()
        items = _list_items(sentence, start, end)
        if items:
            lead_in = sentence[start : items[0][0]].strip(" ,;:—–-") or None
            parts.extend((s, e, lead_in) for s, e in items)
        else:
            parts.append((start, end, None))
    if len(parts) > 1:
        # A part of a sentence does not own the sentence's final stop.
        parts = [(s, _rstrip_end(sentence, s, e), lead) for s, e, lead in parts]
    return parts
