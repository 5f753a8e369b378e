# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The Aho-Corasick automaton that walks a text once for all the lexicons"
import re
from bisect import bisect_left

try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - exercised via _engine_for
    ahocorasick_rs = None
try:
    import ahocorasick as pyahocorasick
except ImportError:  # pragma: no cover
    pyahocorasick = None

_ASTRAL_RE = re.compile('[\U00010000-\U0010ffff]')


class _Engine:
    """One Aho-Corasick automaton over a list of keys, overlapping matches.

    With ahocorasick-rs (backend 'rs') the automaton runs over the UTF-16
    form of the text: two bytes a character for Chinese instead of three in
    UTF-8, which makes it about twice as fast; the matches at odd byte
    offsets (across two characters) are dropped and the offsets are turned
    back into str indexes (characters outside the BMP take two units).
    pyahocorasick (backend 'py') is the fallback."""

    def __init__(self, keys, backend=None):
        self.keys = keys
        if backend is None:
            backend = 'rs' if ahocorasick_rs is not None else 'py'
        self.backend = backend
        if not keys:
            self._find = lambda text: []
        elif backend == 'rs':
            ac = ahocorasick_rs.BytesAhoCorasick(
                [k.encode('utf-16-le', 'surrogatepass') for k in keys],
                implementation=ahocorasick_rs.Implementation.ContiguousNFA)
            self.automaton = ac
            self._find = self._find_rs
        else:
            a = pyahocorasick.Automaton()
            for i, k in enumerate(keys):
                a.add_word(k, (i, len(k)))
            a.make_automaton()
            self.automaton = a

            def find(text):
                return [(i, end - n + 1, end + 1)
                    for end, (i, n) in a.iter(text)]
            self._find = find

    def _find_rs(self, text):
        data = text.encode('utf-16-le', 'surrogatepass')
        matches = self.automaton.find_matches_as_indexes(data, True)
        if len(data) == 2 * len(text):
            return [(i, s >> 1, e >> 1) for i, s, e in matches if not s & 1]
        # the UTF-16 unit of each character outside the BMP
        units = [m.start() + k for k, m in enumerate(
                _ASTRAL_RE.finditer(text))]
        result = []
        for i, s, e in matches:
            if s & 1:
                continue
            s >>= 1
            e >>= 1
            result.append((i, s - bisect_left(units, s),
                    e - bisect_left(units, e)))
        return result

    def find(self, text):
        "(key index, start, end) of every occurrence"
        return self._find(text)
