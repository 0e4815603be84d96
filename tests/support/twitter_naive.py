"""parseTweet's weighting loop written plainly, to check the fast counter against.

Per code point weights from the v3 ranges, URL entities from the regex transcription and
emoji entities from a ``regex`` pattern over the whole text, walked index by index.
"""

from __future__ import annotations

import unicodedata

import regex

from fujisns_guard.twitter_text import RANGES

from . import twitter_oracle

_E = r"(?:[\p{Extended_Pictographic}\p{Emoji_Presentation}](?:\p{Emoji_Modifier}|\uFE0F(?!\uFE0E))?)"
EMOJI = regex.compile(
    r"\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3|\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F"
    rf"|{_E}(?:\u200D{_E})*"
)


PRESENTATION = regex.compile(r"\p{Emoji_Presentation}")


def weight(ch: str) -> int:
    return next((w for lo, hi, w in RANGES if lo <= ord(ch) <= hi), 200)


def weighted_length(text: str) -> int:
    t = unicodedata.normalize("NFC", text)
    urls = {s: len(u) for u, s, _ in twitter_oracle.extract_urls(t)}
    # twemoji: an emoji that defaults to text (©, ®, ☺ …) counts only with VS16 or in a sequence
    emojis = {m.start(): m.end() - m.start() for m in EMOJI.finditer(t) if len(m.group()) > 1 or PRESENTATION.match(m.group())}
    total, i = 0, 0
    while i < len(t):
        if i in urls:
            total += 2300
            i += urls[i]
        elif i in emojis:
            total += 200
            i += emojis[i]
        else:
            total += weight(t[i])
            i += 1
    return total // 100
