# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Read when a column or an account last published, from its feed.

Plain functions, no ORM import.  A feed is an RSS 2.0, RSS 1.0 (RDF) or
Atom feed, or a sitemap (urlset or sitemap index) whose entries carry
<lastmod>.  It is fetched over HTTP(S) with the standard library and parsed
with defusedxml (a dependency of trytond), which refuses entity expansion
attacks.
"""
import datetime as dt
import email.utils
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

__all__ = ['FeedError', 'Feed', 'check_url', 'fetch', 'parse', 'read']

MAX_BYTES = 5 * 1024 * 1024
USER_AGENT = 'Tryton content_review feed monitor'


class FeedError(Exception):
    """The feed cannot be read.

    `reason` is one of 'url' (malformed URL), 'unreachable' (no answer),
    'http' (an HTTP error status), 'format' (not a feed or a sitemap)."""

    def __init__(self, reason, detail=''):
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = str(detail)


@dataclass
class Feed:
    kind: str  # 'rss', 'atom', 'rdf', 'sitemap'
    items: int = 0
    dates: list = field(default_factory=list)  # aware datetimes

    def last_update(self, tzinfo=None, now=None):
        """Return the date of the latest entry in `tzinfo` (or None).

        Entries dated more than a day after `now` are ignored as clock
        errors of the publisher."""
        if now is None:
            now = dt.datetime.now(dt.timezone.utc)
        limit = now + dt.timedelta(days=1)
        dates = [d for d in self.dates if d <= limit]
        if not dates:
            return None
        latest = max(dates)
        if tzinfo is not None:
            latest = latest.astimezone(tzinfo)
        return latest.date()


def check_url(url):
    "Raise FeedError('url') unless url is an absolute http(s) URL"
    url = (url or '').strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exception:
        raise FeedError('url', exception)
    if (parts.scheme not in {'http', 'https'} or not parts.hostname
            or any(c.isspace() for c in url)):
        raise FeedError('url', url)
    if port is not None and not 0 < port < 65536:
        raise FeedError('url', url)
    return url


def fetch(url, timeout=10):
    "Return the body of url, raising FeedError when it cannot be had"
    url = check_url(url)
    request = urllib.request.Request(url, headers={
            'User-Agent': USER_AGENT,
            'Accept': ('application/rss+xml, application/atom+xml, '
                'application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1'),
            })
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exception:
        raise FeedError('http', f'{exception.code} {exception.reason}')
    except urllib.error.URLError as exception:
        raise FeedError('unreachable', exception.reason)
    except (socket.timeout, TimeoutError) as exception:
        raise FeedError('unreachable', exception or 'timeout')
    except (OSError, ValueError) as exception:
        raise FeedError('unreachable', exception)
    if len(data) > MAX_BYTES:
        raise FeedError('format', f'more than {MAX_BYTES} bytes')
    return data


def _local(tag):
    return tag.rsplit('}', 1)[-1] if isinstance(tag, str) else ''


def _children(element, name):
    return [c for c in element if _local(c.tag) == name]


def _text(element, *names):
    for child in element:
        if _local(child.tag) in names and (child.text or '').strip():
            yield child.text.strip()


def parse_date(value):
    "Return the aware datetime of an RFC 822 or ISO 8601 date, or None"
    value = (value or '').strip()
    if not value:
        return None
    try:
        date = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        date = None
    if date is None:
        iso = value.replace('Z', '+00:00').replace('z', '+00:00')
        try:
            date = dt.datetime.fromisoformat(iso)
        except ValueError:
            try:
                date = dt.datetime.combine(
                    dt.date.fromisoformat(iso[:10]), dt.time())
            except ValueError:
                return None
    if date.tzinfo is None:
        # Undated zones are the publisher's local time: China Standard Time
        date = date.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return date


def parse(data):
    "Return the Feed of an RSS, Atom or sitemap document"
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as e:
        raise FeedError('format', e)
    kind = _local(root.tag)
    if kind == 'rss':
        entries = []
        for channel in _children(root, 'channel'):
            entries.extend(_children(channel, 'item'))
        names = ('pubDate', 'date', 'updated')
    elif kind == 'RDF':
        entries = _children(root, 'item')
        names = ('date', 'pubDate')
    elif kind == 'feed':
        entries = _children(root, 'entry')
        names = ('updated', 'published')
    elif kind == 'urlset':
        entries = _children(root, 'url')
        names = ('lastmod',)
    elif kind == 'sitemapindex':
        entries = _children(root, 'sitemap')
        names = ('lastmod',)
    else:
        raise FeedError('format', kind)
    feed = Feed(kind={
            'rss': 'rss', 'RDF': 'rdf', 'feed': 'atom',
            'urlset': 'sitemap', 'sitemapindex': 'sitemap'}[kind])
    feed.items = len(entries)
    for entry in entries:
        dates = [d for d in map(parse_date, _text(entry, *names)) if d]
        if dates:
            feed.dates.append(max(dates))
    return feed


def read(url, timeout=10):
    "Fetch and parse the feed at url"
    return parse(fetch(url, timeout=timeout))
