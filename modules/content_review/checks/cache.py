# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The Rules of the lexicons, built once and reused until they change"
import threading
from collections import OrderedDict

from .rules import Rules

__all__ = ['get_rules', 'clear_rules_cache']

_CACHE_LOCK = threading.Lock()
_CACHE = OrderedDict()
_CACHE_SIZE = 8


def get_rules(sensitive_words=(), expressions=(), leaders=(),
        link_blacklist=(), link_whitelist=(), on_date=None):
    """A Rules for these lexicons, built once and reused until they change.

    The key is the content itself, so a changed lexicon (added, removed or
    edited entry) builds a new automaton and an unchanged one reuses it."""
    key = (tuple(map(tuple, sensitive_words)),
        tuple(map(tuple, expressions)), tuple(leaders),
        tuple(link_blacklist), tuple(link_whitelist), on_date)
    with _CACHE_LOCK:
        rules = _CACHE.get(key)
        if rules is not None:
            _CACHE.move_to_end(key)
            return rules
    rules = Rules(*key)
    with _CACHE_LOCK:
        _CACHE[key] = rules
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return rules


def clear_rules_cache():
    with _CACHE_LOCK:
        _CACHE.clear()
