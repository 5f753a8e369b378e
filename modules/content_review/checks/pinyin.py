# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Same-pinyin variants of names (pypinyin)"
import threading
import unicodedata

__all__ = ['homophone_variants']

_PINYIN_LOCK = threading.Lock()
_HOMOPHONES = None   # (char -> readings, reading -> common chars)


def _toneless(reading):
    s = unicodedata.normalize('NFD', reading)
    s = ''.join(c for c in s
        if not unicodedata.combining(c) or c == '\u0308')
    return s.replace('u\u0308', 'v').replace('\u0308', '')


def _common_chars():
    "The 3,755 level-1 characters of GB 2312 (the common characters)"
    chars = []
    for b1 in range(0xB0, 0xD8):
        for b2 in range(0xA1, 0xFF):
            try:
                chars.append(bytes((b1, b2)).decode('gb2312'))
            except UnicodeDecodeError:
                pass
    return chars


def _homophone_tables():
    global _HOMOPHONES
    with _PINYIN_LOCK:
        if _HOMOPHONES is None:
            from pypinyin.pinyin_dict import pinyin_dict
            readings = {}
            by_reading = {}
            for code, value in pinyin_dict.items():
                readings[chr(code)] = frozenset(
                    _toneless(r) for r in value.split(','))
            for c in _common_chars():
                for r in readings.get(c, ()):
                    by_reading.setdefault(r, []).append(c)
            _HOMOPHONES = (readings, by_reading)
    return _HOMOPHONES


def _known_phrases():
    try:
        from pypinyin.phrases_dict import phrases_dict
    except ImportError:  # pragma: no cover
        return frozenset()
    return phrases_dict


def homophone_variants(name):
    "Names that differ from name by one character of the same pinyin"
    readings, by_reading = _homophone_tables()
    variants = set()
    for i, c in enumerate(name):
        for r in readings.get(c, ()):
            for h in by_reading.get(r, ()):
                if h != c:
                    variants.add(name[:i] + h + name[i + 1:])
    return variants


def _is_cjk(s):
    return all('\u4e00' <= c <= '\u9fff' or '\u3400' <= c <= '\u4dbf'
        for c in s)
