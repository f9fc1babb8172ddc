"""Vietnamese text for search: one normalisation and one folding, used everywhere.

- `normalise()` makes equal text equal: NFC, one tone-mark placement ("hoà" and
  "hòa" both become "hòa"), lower case, single spaces. Exact (diacritic) matching
  compares normalised text.
- `fold()` removes tone and vowel marks and maps đ to d ("Nước mắm" → "nuoc mam"),
  for people who type without diacritics. A folded match is weaker evidence than an
  exact one: many words fold alike (ma, má, mà, mả, mã, mạ → ma).
"""

import functools
import re
import unicodedata

from django.utils.text import slugify

# The five tone marks, as combining characters after NFD.
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# Letters whose vowel mark decides where the tone goes (ă â ê ô ơ ư).
MARKED_VOWELS = set("ăâêôơư")
VOWELS = set("aăâeêioôơuưy")
WORD = re.compile(r"\w+", re.UNICODE)
SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=100_000)  # a language has few syllables: most calls hit
def _place_tone(word: str) -> str:
    """Put the tone mark of one lower-case NFC syllable where the traditional style puts it.

    Rules: on the vowel with a vowel mark (ơ in ươ); in a closed syllable on the last
    vowel; in an open one on the first of two vowels and the middle of three
    ("hòa", "thủy", "ngoài"). "qu" and "gi" before a vowel are consonants.
    """
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in TONE_MARKS]
    if not tones:
        return word
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS))
    start = 0
    if bare.startswith(("qu", "gi")) and len(bare) > 2 and bare[2] in VOWELS:
        start = 2
    positions = [i for i, ch in enumerate(bare) if i >= start and ch in VOWELS]
    if not positions:
        return word
    # The nucleus is the first run of vowels.
    nucleus = [positions[0]]
    for i in positions[1:]:
        if i != nucleus[-1] + 1:
            break
        nucleus.append(i)
    marked = [i for i in nucleus if bare[i] in MARKED_VOWELS]
    closed = nucleus[-1] + 1 < len(bare)
    if marked:
        target = marked[-1]
    elif closed or len(nucleus) == 1:
        target = nucleus[-1]
    elif len(nucleus) == 2:
        target = nucleus[0]
    else:
        target = nucleus[1]
    letter = unicodedata.normalize("NFD", bare[target]) + tones[0]
    return bare[:target] + unicodedata.normalize("NFC", letter) + bare[target + 1 :]


def normalise(text: str) -> str:
    """NFC, lower case, one tone placement, single spaces."""
    text = unicodedata.normalize("NFC", text or "").lower()
    text = WORD.sub(lambda match: _place_tone(match.group()), text)
    return SPACES.sub(" ", text).strip()


def strip_diacritics(text: str) -> str:
    """Remove every mark and map đ to d, keeping case ("Điện Bàn" → "Dien Ban").

    NFD alone does not decompose đ, so it is mapped by hand.
    """
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def fold(text: str) -> str:
    """The form people type without diacritics: "Nước Mắm" → "nuoc mam"."""
    return strip_diacritics(normalise(text))


def slug_from(text: str, max_length: int = 50) -> str:
    """A URL slug from Vietnamese text: "Quà Tết Điện Bàn" → "qua-tet-dien-ban"."""
    return slugify(fold(text))[:max_length].strip("-")
