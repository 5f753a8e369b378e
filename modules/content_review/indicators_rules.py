# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Update indicators of website columns and new-media accounts.

Plain functions, no ORM import.  The limits are those of the State Council
inspection indicators for government websites and new media (2019): a
column of news or dynamics (动态/要闻) is stale after two weeks without an
update, a column of notices or policy documents (通知公告/政策文件) after six
months, a column of personnel or planning (人事/规划计划) after a year; a
static column needs no update.  A site fails the column check outright
(单项否决) with 5 columns past their limit, 10 stale columns or 5 blank
columns; its homepage fails after two weeks without an update.  A new-media
account fails after two weeks without a post (some cities use 10 days); it
is an empty shell (空壳) when it never posted and a zombie (僵尸) after three
months without a post.
"""
import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

__all__ = ['UPDATE_CLASSES', 'INDICATOR_CLASSES', 'Thresholds',
    'ChannelStatus', 'due_date', 'column_status', 'account_status',
    'notify_due', 'SiteStatus', 'site_status']

# Update classes of columns and the period within which they must be
# updated; 'other' uses the configured period, 'static' needs no update.
UPDATE_CLASSES = {
    'dynamic': relativedelta(weeks=2),
    'notice': relativedelta(months=6),
    'planning': relativedelta(years=1),
    'other': None,
    'static': None,
    }
# The classes named by the indicator "columns past their limit"
INDICATOR_CLASSES = {'dynamic', 'notice', 'planning'}


@dataclass(frozen=True)
class Thresholds:
    silent_days: int = 14
    zombie_days: int = 90
    other_days: int = 365
    homepage_days: int = 14
    veto_past_limit: int = 5
    veto_stale: int = 10
    veto_blank: int = 5


@dataclass
class ChannelStatus:
    days: int = None  # days since the last update (or the opening)
    due: dt.date = None  # last day before the channel is stale
    stale: bool = False
    blank: bool = False
    silent: bool = False
    empty: bool = False
    zombie: bool = False


def due_date(update_class, reference, thresholds=Thresholds()):
    "Return the last day a column updated on reference is still current"
    if reference is None or update_class == 'static':
        return None
    period = UPDATE_CLASSES.get(update_class)
    if period is None:
        period = relativedelta(days=thresholds.other_days)
    return reference + period


def column_status(update_class, last_update, today, opened=None,
        thresholds=Thresholds()):
    """Return the status of a website column.

    A column that never had any content is blank (空白栏目); it is not
    counted as stale on top of that."""
    status = ChannelStatus()
    if last_update is None:
        status.blank = True
        if opened is not None:
            status.days = (today - opened).days
        return status
    status.days = (today - last_update).days
    status.due = due_date(update_class, last_update, thresholds)
    status.stale = status.due is not None and today > status.due
    return status


def account_status(last_update, today, opened=None,
        thresholds=Thresholds()):
    """Return the status of a new-media account.

    Days are counted from the last post or, for an account that never
    posted (空壳), from its opening."""
    status = ChannelStatus()
    status.empty = last_update is None
    reference = last_update or opened
    if reference is None:
        return status
    status.days = (today - reference).days
    status.due = reference + dt.timedelta(days=thresholds.silent_days)
    status.silent = today > status.due
    status.zombie = status.days > thresholds.zombie_days
    return status


def notify_due(due, today, days_ahead):
    "Tell whether the owners must now be warned of the coming limit"
    return due is not None and today <= due <= today + dt.timedelta(
        days=days_ahead)


@dataclass
class SiteStatus:
    past_limit: int = 0
    stale: int = 0
    blank: int = 0
    homepage_stale: bool = False
    reasons: tuple = ()

    @property
    def veto(self):
        return bool(self.reasons)


def site_status(columns, today, homepage_update=None,
        thresholds=Thresholds()):
    """Return the column check of a site.

    `columns` are (update_class, last_update) pairs of its active columns;
    `homepage_update` is the last update of the homepage (the latest of its
    columns when None).  Give a future `today` to forecast the check."""
    status = SiteStatus()
    latest = None
    for update_class, last_update in columns:
        column = column_status(
            update_class, last_update, today, thresholds=thresholds)
        if column.blank:
            status.blank += 1
        elif column.stale:
            status.stale += 1
            if update_class in INDICATOR_CLASSES:
                status.past_limit += 1
        if last_update and (latest is None or last_update > latest):
            latest = last_update
    if homepage_update is None:
        homepage_update = latest
    status.homepage_stale = bool(columns) and (
        homepage_update is None
        or (today - homepage_update).days > thresholds.homepage_days)
    reasons = []
    if status.homepage_stale:
        reasons.append('homepage')
    if status.past_limit >= thresholds.veto_past_limit:
        reasons.append('past_limit')
    if status.stale >= thresholds.veto_stale:
        reasons.append('stale')
    if status.blank >= thresholds.veto_blank:
        reasons.append('blank')
    status.reasons = tuple(reasons)
    return status
