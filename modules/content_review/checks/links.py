# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Links: malformed links, and links to a blacklisted or external domain"
import re

from .findings import NORMAL, SERIOUS, Finding

_URL_CHARS = r"A-Za-z0-9\-._~:/?#\[\]@!$&()*+;=%\\"
_URL_RE = re.compile(rf'''
    (?<![A-Za-z])(?P<scheme>h{{0,2}}t{{1,3}}p{{1,2}}s{{0,2}}|ftp)
        (?P<sep>[ ]?[:\uff1a;\uff1b]{{0,3}}[ ]?[/\\\uff0f]{{1,4}}
            |[:\uff1a]{{1,3}}(?=www\.))
        (?P<rest>[A-Za-z0-9\[][{_URL_CHARS}]*)
  | (?<![A-Za-z0-9.@/\-])(?P<www>www\.[{_URL_CHARS}]+)
    ''', re.X | re.I)
_HOST_LABEL_RE = re.compile(r'(?!-)[a-z0-9-]{1,63}(?<!-)\Z')
_TLD_RE = re.compile(r'(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})\Z')
_IPV4_RE = re.compile(r'\d{1,3}(?:\.\d{1,3}){3}\Z')
_BAD_PERCENT_RE = re.compile(r'%(?![0-9A-Fa-f]{2})')
_TRAILING = '.,;:!?\'"'


def _strip_trailing(url):
    "Strip the sentence punctuation that follows a link"
    while url:
        c = url[-1]
        if c in _TRAILING:
            url = url[:-1]
        elif c == ')' and url.count('(') < url.count(')'):
            url = url[:-1]
        elif c == ']' and url.count('[') < url.count(']'):
            url = url[:-1]
        else:
            break
    return url


def _valid_host(host):
    if not host or len(host) > 253:
        return False
    if _IPV4_RE.match(host):
        return all(int(p) <= 255 for p in host.split('.'))
    labels = host.split('.')
    if len(labels) < 2:
        return False
    if not all(_HOST_LABEL_RE.match(label) for label in labels):
        return False
    return _TLD_RE.match(labels[-1]) is not None


def _split_url(rest):
    "Split host and port from the part after scheme://"
    cut = len(rest)
    for c in '/?#\\':
        i = rest.find(c)
        if i != -1 and i < cut:
            cut = i
    authority, path = rest[:cut], rest[cut:]
    if '@' in authority:
        authority = authority.rsplit('@', 1)[1]
    host, port = authority, None
    if ':' in authority:
        host, port = authority.rsplit(':', 1)
    return host.lower(), port, path


def _url_problem(scheme, sep, rest):
    "None if the link is well formed, else True"
    if scheme is not None:
        if scheme.lower() not in ('http', 'https', 'ftp') or sep != '://':
            return True
    host, port, path = _split_url(rest)
    if not _valid_host(host):
        return True
    if port is not None and (not port.isdigit() or not 0 < int(port) < 65536):
        return True
    if '\\' in path or _BAD_PERCENT_RE.search(path):
        return True
    return False


def _fix_url(scheme, rest):
    "Suggest a corrected link or None"
    if scheme is not None:
        low = scheme.lower()
        if low.startswith('f'):
            scheme = 'ftp'
        else:
            scheme = 'https' if low.endswith('s') else 'http'
    rest = rest.replace('\\', '/')
    host, port, path = _split_url(rest)
    host = re.sub(r'\.{2,}', '.', host).strip('.')
    if port is not None and not port:
        port = None
    rest = host + (':' + port if port is not None else '') + path
    if _url_problem(scheme, '://', rest):
        return None
    return (scheme + '://' if scheme else '') + rest


def _host_in(host, domains):
    "Whether host is one of domains (a frozenset) or a subdomain of one"
    while True:
        if host in domains:
            return True
        dot = host.find('.')
        if dot == -1:
            return False
        host = host[dot + 1:]


def _link_findings(text, match, rules, findings):
    if match.group('www') is not None:
        scheme, sep = None, None
        rest_start = match.start('www')
        rest = match.group('www')
        start = rest_start
    else:
        scheme, sep = match.group('scheme'), match.group('sep')
        rest = match.group('rest')
        rest_start = match.start('rest')
        start = match.start()
        if sep == '/' and rest[:1].isdigit():   # HTTP/1.1
            return
    rest = _strip_trailing(rest)
    if not rest:
        return
    end = rest_start + len(rest)
    url = text[start:end]
    if _url_problem(scheme, sep, rest):
        findings.append(Finding('link_malformed', start, end, url, NORMAL,
                _fix_url(scheme, rest)))
        return
    if rules is None:
        return
    host = _split_url(rest)[0]
    if rules.link_blacklist and _host_in(host, rules.link_blacklist):
        findings.append(Finding('link_blacklisted', start, end, url, SERIOUS,
                None))
    elif rules.link_whitelist and not _host_in(host, rules.link_whitelist):
        findings.append(Finding('link_external', start, end, url, NORMAL,
                None))


def _norm_domain(domain):
    d = domain.strip().lower()
    for prefix in ('http://', 'https://'):
        if d.startswith(prefix):
            d = d[len(prefix):]
    d = d.split('/', 1)[0].strip('.')
    if d.startswith('*.'):
        d = d[2:]
    return d
