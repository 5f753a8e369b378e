# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The plan of a theme (一件事) and the figures of its applications, with no
ORM import.

A theme's steps run in stages: the steps of one stage run side by side
(并联), a stage starts when the one before has ended.  The theme's promised
limit is the sum over the stages of their longest step: parallel steps count
once."""
from collections import defaultdict

# The visits (跑动次数) a service asks for when it is applied for alone in
# person, by its max_visits (hall.service): one at least, to hand in the
# application (a service of no visit would be applied for online), two for
# more than one, the least it can be
VISITS = {'zero': 1, 'one': 1, 'more': 2}

# The states of a child application (hall.application) once decided
CHILD_CLOSED = {'completed', 'rejected', 'withdrawn'}


def stage_windows(steps):
    """The working days each step may take in the theme's plan: `steps`
    (key, stage, promised limit) → {key: (first day, last day)}, the days
    counted from the acceptance of the theme application (day 0); a stage
    starts the day after the longest step of the stage before ends."""
    longest = defaultdict(int)
    for _, stage, limit in steps:
        longest[stage] = max(longest[stage], limit or 0)
    start, starts = 0, {}
    for stage in sorted(longest):
        starts[stage] = start
        start += longest[stage]
    return {key: (starts[stage], starts[stage] + (limit or 0))
        for key, stage, limit in steps}


def theme_limit(steps):
    """The promised limit of a theme in working days: `steps` (stage,
    promised limit), the longest of each stage added up"""
    windows = stage_windows(
        [(i, stage, limit) for i, (stage, limit) in enumerate(steps)])
    return max((end for _, end in windows.values()), default=0)


def theme_state(child_states):
    """The state a theme application follows from its children's states
    (hall.application): rejected as soon as one is rejected, completed when
    every one not withdrawn is completed (and one is), partly completed when
    one is, accepted before"""
    states = list(child_states)
    if any(s == 'rejected' for s in states):
        return 'rejected'
    kept = [s for s in states if s != 'withdrawn']
    if kept and all(s == 'completed' for s in kept):
        return 'completed'
    if not kept and states:
        return 'withdrawn'
    if any(s == 'completed' for s in kept):
        return 'partial'
    return 'accepted'


def saving(actual, separately):
    """What a theme saves against its services applied for one by one: 1 −
    actual ÷ separately (0.3 for a 30% reduction), None without a base"""
    if not separately:
        return None
    return 1 - (actual or 0) / separately
