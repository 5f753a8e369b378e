# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Fuzzing of the public pages (see hall.public) for the RouteTestCase of
the modules that have some: every route under /<database>/hall/ answers
absurd ids, absurd bodies and foreign origins in Chinese, never with a
5xx."""
import json
import re
from http import HTTPStatus

from trytond.modules.hall.public import MAX_BODY
from trytond.wsgi import app

__all__ = ['fuzz_public_routes', 'CHINESE', 'ABSURD_IDS']

CHINESE = re.compile(r'[\u4e00-\u9fff]')
# Values no row has as id or token: 20 digits, negative, not a number, more
# than an SQL integer, zero, a decimal, a non-ASCII digit, too long
ABSURD_IDS = ['1' * 20, '-1', 'abc', str(10 ** 30), '0', '1.5', '１２',
    'x' * 3000]
FOREIGN_ORIGINS = ['http://evil.example', 'null']
# A 100,000-digit value for every field of a form
HUGE_VALUE = '1' * 100_000
FORM_FIELDS = ['queue', 'service', 'id_number', 'mobile', 'code', 'level',
    'reason', 'phone', 'anonymous', 'score_efficiency', 'pending']


def public_rules(modules, prefix='/hall/'):
    """The rules of the public routes of `modules`: those under
    /<database>/hall/"""
    return sorted(
        (r for r in app.url_map.iter_rules()
            if prefix in r.rule
            and r.endpoint.__module__.split('.')[2:3] in (
                [m] for m in modules)),
        key=lambda r: r.rule)


def _path(rule, database, values):
    path = rule.rule.replace('<database_name>', database)
    for argument in rule.arguments - {'database_name'}:
        path = re.sub(r'<(\w+:)?%s>' % argument, str(values[argument]), path)
    return path


def fuzz_public_routes(test, database, valid, headers=None,
        address='192.0.2.250'):
    """Send absurd requests to every public route of the modules of `valid`
    with `test`'s client; `valid` gives for each module a value of each
    argument of its routes for which they answer normally (an existing
    hall, window, token...), `headers` the headers of a valid request (a
    device's key).  Return the number of requests sent."""
    sent = 0

    def check(method, path, **kwargs):
        nonlocal sent
        kwargs.setdefault('environ_base', {'REMOTE_ADDR': address})
        kwargs['headers'] = {**(headers or {}), **kwargs.get('headers', {})}
        response = test.client().open(path, method=method, **kwargs)
        sent += 1
        label = f'{method} {path[:80]} {kwargs.get("headers", "")}'
        test.assertLess(response.status_code, 500, label)
        text = response.get_data(as_text=True)
        if response.status_code >= 400:
            if response.mimetype == 'application/json':
                message = json.loads(text).get('message') or ' '.join(
                    json.loads(text).get('errors', []))
            else:
                message = text
            test.assertRegex(message, CHINESE, label)
        return response, text

    rules = public_rules(list(valid))
    test.assertEqual(
        {r.endpoint.__module__.split('.')[2] for r in rules}, set(valid))
    for rule in rules:
        values = valid[rule.endpoint.__module__.split('.')[2]]
        # every public route answers the refusals in Chinese
        test.assertTrue(hasattr(rule.endpoint, 'public_answer'), rule.rule)
        methods = sorted(rule.methods - {'HEAD', 'OPTIONS'})
        arguments = sorted(rule.arguments - {'database_name'})
        for method in methods:
            # an id or a token that cannot exist: 404
            for argument in arguments:
                for absurd in ABSURD_IDS:
                    path = _path(rule, database, {**values, argument: absurd})
                    for accept in [{}, {'Accept': 'application/json'}]:
                        response, _ = check(method, path, headers=accept)
                        test.assertEqual(
                            response.status_code, HTTPStatus.NOT_FOUND,
                            f'{method} {path[:80]}')
            path = _path(rule, database, values)
            # what the site's own pages would not send
            for origin in FOREIGN_ORIGINS:
                response, _ = check(method, path, headers={'Origin': origin})
                test.assertEqual(
                    response.status_code, HTTPStatus.FORBIDDEN, path)
            if method != 'POST':
                response, _ = check(method, path)
                test.assertLess(response.status_code, 400, path)
                continue
            response, _ = check(method, path,
                data={'level': 'x' * (MAX_BODY + 1)})
            test.assertEqual(response.status_code,
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, path)
            response, _ = check(method, path, data='{"queue": ',
                content_type='application/json')
            test.assertGreaterEqual(response.status_code, 400, path)
            for as_json in [False, True]:
                form = {name: HUGE_VALUE for name in FORM_FIELDS}
                if as_json:
                    response, text = check(method, path, json=form)
                else:
                    response, text = check(method, path, data=form)
                test.assertGreaterEqual(response.status_code, 400, path)
                # refused without being written back
                test.assertNotIn('1' * 100, text, path)
    return sent
