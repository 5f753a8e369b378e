# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Automated content checks for website and new-media articles.

Pure Python, no ORM: ``scan(text, rules=None)`` returns the findings of the
privacy checks (resident ID numbers, mobile numbers, bank card numbers) and
the link checks, plus, when ``rules`` is given, the lexicon checks
(sensitive words, wrong expressions), the leader checks (wrong or outdated
title, near-miss of a leader's name) and the link blacklist / whitelist.

All lexicons, leader names, titles and name variants (same-pinyin
variants precomputed with pypinyin) are compiled into one Aho-Corasick
automaton per ``Rules`` instance (ahocorasick-rs, pyahocorasick as a
fallback) and the text is walked once by it; the number and link
candidates are found by one compiled regular expression whose first
character class lets the regex engine skip the prose, and only those few
candidates are validated in Python (stdnum for the ID check digit and the
Luhn check; a mobile of a segment missing from the table of allocated ones
only behind a phone label such as 手机 or 联系电话).  ``get_rules`` caches
the Rules until the lexicons change.

Offsets are str indexes: ``text[f.start:f.end] == f.text``.  For an HTML
body, ``scan_html`` scans its text (``markup.text_offsets``: markup
removed, entities decoded, link targets of href/src kept) and gives offsets
into the HTML.

One file per concern: ``findings`` (kinds and severities), ``privacy``
(numbers and their masks), ``links``, ``pinyin`` (same-pinyin variants),
``leaders``, ``engine`` (the automaton), ``rules`` (the lexicons),
``cache`` (get_rules) and ``scanner`` (scan, scan_html).
"""
from .cache import clear_rules_cache, get_rules
from .findings import (
    KINDS, LINK_KINDS, NORMAL, PRIVACY_KINDS, SERIOUS, Finding)
from .leaders import DEFAULT_TITLES, Leader
from .pinyin import homophone_variants
from .privacy import mask_bank_card, mask_found_mobile, mask_id_number
from .rules import DEFAULT_EXPRESSIONS, Rules
from .scanner import scan, scan_html

__all__ = [
    'SERIOUS', 'NORMAL', 'KINDS', 'PRIVACY_KINDS', 'LINK_KINDS',
    'Finding', 'Leader', 'Rules', 'scan', 'scan_html',
    'get_rules', 'clear_rules_cache', 'homophone_variants',
    'mask_id_number', 'mask_found_mobile', 'mask_bank_card',
    'DEFAULT_EXPRESSIONS', 'DEFAULT_TITLES']
