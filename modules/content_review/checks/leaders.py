# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The leader checks: a wrong or outdated title beside a leader's name, a
near-miss of a leader's name"""
import datetime
from dataclasses import dataclass

from .findings import NORMAL, SERIOUS, Finding
from .pinyin import _is_cjk

__all__ = ['Leader', 'DEFAULT_TITLES']


@dataclass(frozen=True)
class Leader:
    name: str
    title: str
    start: datetime.date | None = None
    end: datetime.date | None = None

    def in_office(self, date):
        "Whether the title is held on date (start and end inclusive)"
        return ((self.start is None or self.start <= date)
            and (self.end is None or date <= self.end))


# Titles that are looked for beside a leader's name in addition to the
# titles of the leader register.
DEFAULT_TITLES = (
    '书记', '副书记', '党组书记', '党委书记', '省委书记', '市委书记',
    '区委书记', '县委书记', '省委副书记', '市委副书记', '区委副书记',
    '县委副书记', '常委', '省委常委', '市委常委', '区委常委', '县委常委',
    '省长', '副省长', '常务副省长', '市长', '副市长', '常务副市长', '代市长',
    '区长', '副区长', '常务副区长', '代区长', '县长', '副县长', '常务副县长',
    '代县长', '镇长', '副镇长', '乡长', '副乡长', '主任', '副主任', '常务副主任',
    '局长', '副局长', '厅长', '副厅长', '处长', '副处长', '部长', '副部长',
    '主席', '副主席', '秘书长', '副秘书长', '巡视员', '副巡视员',
    '一级巡视员', '二级巡视员', '调研员', '总理', '副总理', '院长', '副院长',
    '检察长', '副检察长', '市长助理', '政委', '组长', '副组长')

# A title whose remainder before an accepted shorter title ends with one of
# these is another rank: 副市长 is not 市长.
_RANK_PREFIXES = ('副', '代', '常务', '原', '前', '助理')
# Before a title: a past office (any title ever held is right) or a
# former one (only a title no longer held is right).
_HISTORIC_PREFIXES = ('时任', '曾任')
_FORMER_PREFIXES = ('原', '前')


class LeaderChecks:
    """The leader checks of Rules, on the names, same-pinyin variants and
    titles its automaton found"""

    def _title_status(self, name, title, prefix=''):
        """Whether title, written before or after name, is right on on_date

        'ok', 'outdated' (held before, not now) or 'wrong'.  prefix is the
        text just before the title: after 时任 or 曾任 any title the leader
        ever held is right, after 原 or 前 only a former one."""
        date = self.on_date
        current = past = False
        for leader in self._by_name.get(name, ()):
            if _title_matches(title, leader.title):
                if leader.in_office(date):
                    current = True
                elif leader.end is not None and leader.end < date:
                    past = True
        if prefix.endswith(_HISTORIC_PREFIXES):
            return 'ok' if current or past else 'wrong'
        if prefix.endswith(_FORMER_PREFIXES):
            return 'ok' if past and not current else 'wrong'
        if current:
            return 'ok'
        return 'outdated' if past else 'wrong'

    def _title_suggestion(self, name):
        date = self.on_date
        records = self._by_name.get(name, ())
        current = [l.title for l in records if l.in_office(date)]
        if current:
            return '、'.join(dict.fromkeys(current))
        past = [l for l in records if l.end is not None and l.end < date]
        if past:
            last = max(past, key=lambda l: l.end)
            return '原' + last.title
        return None

    def _held_ever(self, name, title):
        return any(_title_matches(title, l.title)
            for l in self._by_name[name])

    def _leader_findings(self, text, findings, names, variants,
            titles_by_end, titles_by_start):
        append = findings.append
        # a name inside a longer leader's name is that leader
        names.sort(key=lambda se: (se[0], -se[1]))
        kept = []
        for start, end in names:
            if kept and end <= kept[-1][1]:
                continue
            kept.append((start, end))
        name_starts = {s for s, _ in kept}
        name_ends = {e for _, e in kept}
        for start, end in kept:
            name = text[start:end]
            before = titles_by_end.get(start)
            # a title just after another leader's name is that leader's
            if before and min(before) not in name_ends:
                tstart = min(before)
                prefix = text[max(0, tstart - 2):tstart]
                if self._title_status(
                        name, text[tstart:start], prefix) != 'ok':
                    for word in _HISTORIC_PREFIXES + _FORMER_PREFIXES:
                        if prefix.endswith(word):
                            tstart -= len(word)
                            break
                    append(Finding('leader_title', tstart, end,
                            text[tstart:end], SERIOUS,
                            self._title_suggestion(name)))
            after = titles_by_start.get(end)
            if after:
                tend = max(after)
                if self._title_status(name, text[end:tend]) != 'ok':
                    append(Finding('leader_title', start, tend,
                            text[start:tend], SERIOUS,
                            self._title_suggestion(name)))
        seen = set()
        for start, end, real, anywhere in variants:
            if start in name_starts or end in name_ends:
                continue
            titles = []
            if start in titles_by_end:
                titles.append(text[min(titles_by_end[start]):start])
            if end in titles_by_start:
                titles.append(text[end:max(titles_by_start[end])])
            beside = any(self._held_ever(real, t) for t in titles)
            if not (beside or anywhere):
                continue
            seen.add((start, end))
            # beside a title the leader holds: almost surely a typo
            append(Finding('leader_name', start, end, text[start:end],
                    SERIOUS if beside else NORMAL, real))
        # one character off, beside a title the leader holds or held
        n = len(text)
        lengths = self._name_lengths
        for tend, tstarts in titles_by_end.items():
            for tstart in tstarts:
                title = text[tstart:tend]
                if not self._leaders_title(title):
                    continue
                for length in lengths:
                    for s, e in ((tend, tend + length),
                            (tstart - length, tstart)):
                        if (s < 0 or e > n or (s, e) in seen
                                or s in name_starts or e in name_ends):
                            continue
                        self._near_miss(text, s, e, title, seen, append)

    def _leaders_title(self, title):
        "Whether title is (or was) held by a leader of the register"
        held = self._held_titles.get(title)
        if held is None:
            held = self._held_titles[title] = any(
                _title_matches(title, l.title) for l in self.leaders)
        return held

    def _near_miss(self, text, start, end, title, seen, append):
        cand = text[start:end]
        # at most one character differs from a name of that length
        hits = 0
        for c, chars in zip(cand, self._position_chars[len(cand)]):
            if c in chars:
                hits += 1
        if hits < len(cand) - 1:
            return
        if cand in self._by_name or not _is_cjk(cand):
            return
        for i in range(len(cand)):
            key = cand[:i] + '\0' + cand[i + 1:]
            for real in sorted(self._wildcards.get(key, ())):
                if self._held_ever(real, title):
                    seen.add((start, end))
                    append(Finding('leader_name', start, end, cand,
                            SERIOUS, real))
                    return


def _title_matches(title, held):
    "Whether title written in the text names the held title"
    if title == held:
        return True
    if held.endswith(title):
        return not held[:-len(title)].endswith(_RANK_PREFIXES)
    return False
