# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The scan of a text or an HTML body by all the checks"
import re

from ..markup_rules import text_offsets
from .findings import SERIOUS, Finding
from .links import _URL_RE, _link_findings
from .privacy import _D, _MASKS, _NUMBER_RE, _S, _number_findings

__all__ = ['scan', 'scan_html']

# A fast filter: every number or link candidate starts with one of a few
# characters (so that the regular expression engine skips the rest of the
# text in its charset loop); the candidate is then parsed precisely by
# _NUMBER_RE or _URL_RE at that position.
_FILTER_RE = re.compile(rf'''
    [{_D}+\uff0b(\uff08hHtTfFwW]
    (?:
        (?<=[{_D}])(?:[{_D}]{{10}}|[{_D}]{{2,5}}[{_S}][{_D}]{{4}}
            |[0\uff10][8\uff18][6\uff16])
      | (?<=[+\uff0b(\uff08])[+\uff0b]?[ ]?[8\uff18][6\uff16]
      | (?<=[hH])[tThH]
      | (?<=[tT])[tTpP]
      | (?<=[fF])[tT][pP]
      | (?<=[wW])[wW][wW][.]
    )''', re.X)
_LETTERS = frozenset('hHtTfFwW')


def _dedupe(findings):
    """Drop findings contained in a longer finding of the same kind (of
    two on the same span, the serious one is kept)"""
    findings.sort(key=lambda f: (f.start, -f.end, f.severity != SERIOUS))
    result = []
    last_end = {}
    for f in findings:
        if last_end.get(f.kind, -1) >= f.end:
            continue
        last_end[f.kind] = f.end
        result.append(f)
    return result


def scan(text, rules=None):
    "Findings in text, sorted by start"
    if not text:
        return []
    findings = []
    search = _FILTER_RE.search
    number_match = _NUMBER_RE.match
    url_match = _URL_RE.match
    pos = 0
    while True:
        candidate = search(text, pos)
        if candidate is None:
            break
        start = candidate.start()
        if text[start] in _LETTERS:
            match = url_match(text, start)
            if match is not None:
                _link_findings(text, match, rules, findings)
        else:
            match = number_match(text, start)
            if match is not None:
                _number_findings(text, match, findings)
        pos = match.end() if match is not None else start + 1
    if rules is not None:
        rules._scan_lexicon(text, findings)
    return _dedupe(findings)


def scan_html(html, rules=None):
    """Findings in an HTML body, with start and end offsets into html

    (a finding across markup covers it: html[start:end] is its text)."""
    if not html:
        return []
    text, starts, ends = text_offsets(html)
    findings = []
    for f in scan(text, rules):
        start, end = starts[f.start], ends[f.end - 1]
        suggestion = f.suggestion
        if f.kind in _MASKS:   # masked in place: 138&nbsp;****&nbsp;8000
            suggestion = _MASKS[f.kind](html[start:end])
        findings.append(Finding(f.kind, start, end, html[start:end],
                f.severity, suggestion))
    findings.sort(key=lambda f: (f.start, -f.end))
    return findings
