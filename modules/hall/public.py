# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What the public pages (no login) of the hall modules share: the queue's
display board, kiosk and ticket page (hall_queue), the rating pages and the
window device (hall_evaluation).

Whatever a visitor sends, a public address answers in Chinese and never
with a 5xx:

- ``record_id(value)``: the id in an address, or None for anything that
  cannot be the id of a row (not digits, 0, negative, beyond an SQL
  integer, 20 digits...), which the route answers as an id that does not
  exist: its own 404 page or JSON;
- ``public_route(answer)``, right under ``@app.route``: the refusals
  werkzeug and trytond raise inside the route without a page of their own
  (400 for a body that cannot be read, 413 for a body over
  ``MAX_BODY``, a UserError left uncaught...) are answered by
  ``answer(request, message, status)``, the module's page or JSON;
- a foreign ``Origin`` (and ``Origin: null``): trytond refuses it in
  ``TrytondWSGI.wsgi_app`` before dispatching, by raising the 403 out of the
  application, which the WSGI server answers 500.  Installed once on the
  class of ``trytond.wsgi.app`` (as outage.py does), ``TrytondWSGI.__call__``
  answers these refusals: with the route's ``answer`` and 403 on a public
  route, with werkzeug's own page elsewhere;
- ``json_response`` and ``error_json``: the JSON answers of the pages;
- ``PublicPages``: a module's static files and Genshi templates, its pages
  and JSON answers with the security headers; ``wants_json`` and
  ``model_or_404``, the same for every module.

The texts here are constants, as outage.py's: these refusals come before
the database is opened (the origin) or after the route's transaction ended.
The messages of the routes themselves (an unknown hall, a used rating
link...) are ``ir.message`` of their module.
"""
import json
import os
import secrets
from functools import lru_cache, wraps

from genshi.core import Markup
from genshi.template import MarkupTemplate

from werkzeug.exceptions import HTTPException

from trytond.exceptions import UserError, UserWarning
from trytond.protocols.wrappers import HTTPStatus, Request, Response, abort
from trytond.wsgi import TrytondWSGI

from .outage import _cause

__all__ = ['record_id', 'public_route', 'json_response', 'error_json',
    'field_value', 'MAX_BODY', 'MAX_FIELD', 'MESSAGES', 'PublicPages',
    'wants_json', 'model_or_404']

# The largest id of a row: ids are SQL integers
MAX_ID = 2 ** 31 - 1
# The forms of the public pages weigh a few hundred bytes (a rating's
# reason of 500 Chinese characters 1.5 kB): over this, 413; below it, an
# absurd value (a 100,000-digit mobile) is refused as such (400)
MAX_BODY = 256 * 1024
# The longest value of a field of a public form (a resident ID number is 18
# characters, a mobile 11, a booking code 8)
MAX_FIELD = 64
NO_STORE = {
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    }
MESSAGES = {
    # "The request cannot be processed: please go back and try again."
    HTTPStatus.BAD_REQUEST: '请求无法处理，请返回后重试。',
    # "Refused: please use the pages of this site."
    HTTPStatus.FORBIDDEN: '拒绝访问：请通过本网站的页面提交。',
    # "This page does not exist: please check the address."
    HTTPStatus.NOT_FOUND: '页面不存在，请检查网址。',
    # "This operation is not supported."
    HTTPStatus.METHOD_NOT_ALLOWED: '不支持此操作。',
    # "What was submitted is too large."
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE: '提交的内容过大，请精简后重试。',
    # "Too many requests: please try again in a minute."
    HTTPStatus.TOO_MANY_REQUESTS: '请求过于频繁，请稍后再试。',
    }


def record_id(value):
    """The id of a row written in an address (a string), else None: not
    only digits, 0, or over an SQL integer"""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if (not isinstance(value, str) or not value.isascii()
            or not value.isdigit() or len(value) > len(str(MAX_ID))):
        return None
    id_ = int(value)
    if 0 < id_ <= MAX_ID:
        return id_
    return None


def field_value(value, max_length=MAX_FIELD):
    """A value of a submitted form as a stripped string, and whether it was
    refused: longer than `max_length` (the value is then dropped, never
    written back in a page)"""
    if value is None:
        return '', False
    if not isinstance(value, str):
        value = str(value)
    value = value.strip()
    if len(value) > max_length:
        return '', True
    return value, False


def json_response(data, status=HTTPStatus.OK, headers=None):
    return Response(
        json.dumps(data, ensure_ascii=False), status=status,
        headers={**NO_STORE, **(headers or {})},
        content_type='application/json; charset=utf-8')


def error_json(message, status, headers=None):
    "The JSON of a refusal"
    return json_response(
        {'status': 'error', 'message': message}, status, headers)


def _message(exception):
    "The Chinese text of a refusal raised as an HTTPException"
    description = exception.description
    if isinstance(description, (UserError, UserWarning)):
        # a UserError left uncaught in a public route (with_pool's 400)
        return description.message
    return MESSAGES.get(exception.code, MESSAGES[HTTPStatus.BAD_REQUEST])


def public_route(answer, max_size=MAX_BODY):
    """Decorator of a public route, right under ``@app.route``: the 4xx
    refusals raised in the route without an answer of their own are
    answered by ``answer(request, message, status)``, a Response; the body
    is limited to `max_size` bytes (413).  The 5xx go through (an outage
    is answered by hall.outage)."""
    def decorator(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            try:
                return func(request, *args, **kwargs)
            except HTTPException as exception:
                if (exception.response is not None
                        or not 400 <= (exception.code or 500) < 500
                        # an outage, answered by hall.outage (with_pool
                        # makes it a 400 for a JSON body)
                        or _cause(exception, chain=True) is not None):
                    raise
                return answer(request, _message(exception), exception.code)
        wrapper.public_answer = answer
        wrapper.max_request_size = max_size
        return wrapper
    return decorator


def _refusal(app, environ, exception):
    """The answer to `exception` raised out of trytond's application
    before dispatching (its checks of the Origin)"""
    try:
        endpoint, _ = app.url_map.bind_to_environ(environ).match()
    except HTTPException:
        endpoint = None
    answer = getattr(endpoint, 'public_answer', None)
    code = exception.code or HTTPStatus.BAD_REQUEST
    if answer is None or not 400 <= code < 500:
        return exception
    return answer(Request(environ), MESSAGES.get(
            code, MESSAGES[HTTPStatus.BAD_REQUEST]), code)


def __call__(self, environ, start_response):
    """trytond.wsgi.TrytondWSGI.__call__, but for the refusals raised out of
    wsgi_app: see the docstring of the module"""
    try:
        return _call(self, environ, start_response)
    except HTTPException as exception:
        return _refusal(self, environ, exception)(environ, start_response)


__call__.public = True
if not getattr(TrytondWSGI.__call__, 'public', False):
    _call = TrytondWSGI.__call__
    TrytondWSGI.__call__ = __call__


class PublicPages:
    """The pages of a module: its files in `static` (templates, style sheet
    `css`, scripts), rendered with `Markup` and the style sheet, and
    answered with the security headers.  With `script_nonce`, a page may
    run only the scripts carrying the nonce it is given (`nonce`), under a
    Content-Security-Policy."""

    def __init__(self, static, css, script_nonce=False):
        self.static_dir = static
        self.css = css
        self.script_nonce = script_nonce
        self.static = lru_cache(maxsize=None)(self._read)
        self.template = lru_cache(maxsize=None)(self._template)

    def _read(self, name):
        with open(os.path.join(self.static_dir, name), encoding='utf-8') as fp:
            return fp.read()

    def _template(self, name):
        return MarkupTemplate(self.static(name), filename=name)

    def script(self, name):
        return Markup(self.static(name))

    @staticmethod
    def headers(nonce=None):
        headers = {
            'Cache-Control': 'no-store',
            # the addresses hold secret tokens (a ticket's, a rating
            # link's): they never leave the site ('no-referrer' would make
            # the browsers post the forms with Origin: null, which trytond
            # refuses)
            'Referrer-Policy': 'same-origin',
            'X-Content-Type-Options': 'nosniff',
            }
        if nonce:
            headers['Content-Security-Policy'] = '; '.join([
                    "default-src 'none'",
                    "connect-src 'self'",
                    "img-src 'self' data:",
                    "style-src 'unsafe-inline'",
                    f"script-src 'nonce-{nonce}'",
                    "form-action 'self'",
                    "base-uri 'none'",
                    ])
        return headers

    def render(self, name, status=HTTPStatus.OK, **values):
        nonce = secrets.token_urlsafe(16) if self.script_nonce else None
        stream = self.template(name).generate(
            css=Markup(self.static(self.css)), nonce=nonce, Markup=Markup,
            **values)
        return Response(
            stream.render('html', doctype='html5', encoding='utf-8'),
            status=status, headers=self.headers(nonce),
            content_type='text/html; charset=utf-8')

    def json(self, data, status=HTTPStatus.OK):
        return Response(
            json.dumps(data, ensure_ascii=False), status=status,
            headers=self.headers(),
            content_type='application/json; charset=utf-8')


def wants_json(request):
    "Whether to answer in JSON: a JSON body, or JSON preferred to HTML"
    if request.mimetype == 'application/json':
        return True
    best = request.accept_mimetypes.best_match(
        ['text/html', 'application/json'])
    return best == 'application/json'


def model_or_404(pool, name):
    "The model, or 404 when its module is not activated on the database"
    try:
        return pool.get(name)
    except KeyError:
        abort(HTTPStatus.NOT_FOUND)
