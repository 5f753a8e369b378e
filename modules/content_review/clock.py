# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The content review's clock: the moments an article, a finding, an
adjustment or a channel's monitoring is stamped with, naive in UTC as Tryton
stores them.  Tests and the demo move time by patching utcnow."""
import datetime as dt


def utcnow():
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
