# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Addresses of the hall's pages as the public reaches them (no ORM)"
import ipaddress
import urllib.parse


def is_web_address(url):
    "Whether `url` is an absolute http(s) address with a host"
    parts = urllib.parse.urlsplit((url or '').strip())
    try:
        parts.port
    except ValueError:
        return False
    return parts.scheme in {'http', 'https'} and bool(parts.hostname)


def is_public_address(url):
    """Whether a citizen's phone can reach `url`: an http(s) address whose
    host is neither empty nor this machine (localhost, 127.0.0.0/8, ::1,
    0.0.0.0)"""
    if not is_web_address(url):
        return False
    host = urllib.parse.urlsplit(url.strip()).hostname.lower()
    if host == 'localhost' or host.endswith('.localhost'):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    return not (address.is_loopback or address.is_unspecified)


def page_url(base, database, path):
    "The address of the page at `path` relative to /<database>/hall/"
    return '%s/%s/hall/%s' % (
        base.strip().rstrip('/'), urllib.parse.quote(database),
        path)
