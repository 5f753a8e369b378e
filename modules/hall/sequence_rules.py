# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The periods in which a sequence restarts its numbering"

RESETS = [
    (None, ""),
    ('year', "Every Year"),
    ('month', "Every Month"),
    ]


def numbering_period(reset, date):
    """The period of `date` whose numbers a sequence restarting `reset`
    counts together: '2027' each year, '2027-01' each month"""
    if reset == 'year':
        return f'{date.year:04d}'
    if reset == 'month':
        return f'{date.year:04d}-{date.month:02d}'
    raise ValueError(f"unknown reset {reset!r}")
