# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The hall's clock: the moments records are stamped with are stored naive
in UTC, as Tryton stores them; the hall lives in its company's time zone.
Tests and the demo move time by patching utcnow."""
import datetime as dt

from trytond.tools import timezone as tz


def utcnow():
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def to_local(utc, timezone):
    "The naive local datetime at `timezone` of the naive UTC `utc`"
    zone = tz.get_tzinfo(timezone) if timezone else tz.UTC
    return utc.replace(tzinfo=tz.UTC).astimezone(zone).replace(tzinfo=None)


def to_utc(local, timezone):
    zone = tz.get_tzinfo(timezone) if timezone else tz.UTC
    return local.replace(tzinfo=zone).astimezone(tz.UTC).replace(tzinfo=None)


def local_now(timezone):
    return to_local(utcnow(), timezone)
