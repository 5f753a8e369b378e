# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Public pages of the ratings (no login, Chinese, no personal data):

- /<database>/hall/rate/<token>: the page of the QR code of a receipt or a
  ticket slip; GET shows the form, POST stores the rating (JSON when the
  client accepts it, as the window device does);
- /<database>/hall/window/<window>/rate: the page of the evaluator device
  at a window; it polls
- /<database>/hall/window/<window>/rate/pending: the rating the clerk asked
  for at that window (请评价), as JSON.
"""
import json
import os
from functools import lru_cache

from genshi.core import Markup
from genshi.template import MarkupTemplate

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.modules.hall.outage import RETRY_AFTER, public_outage
from trytond.protocols.wrappers import (
    HTTPStatus, Response, abort, with_pool, with_transaction)
from trytond.wsgi import app

from .exceptions import RatingLinkError
from .rating_rules import BAD_LEVELS, REASON_MAX_LENGTH, parse_rating

STATIC = os.path.join(os.path.dirname(__file__), 'static')
# The public pages speak Chinese whatever the language of the staff
PUBLIC_CONTEXT = {'language': 'zh_CN'}
HEADERS = {
    'Cache-Control': 'no-store',
    # The token never leaves the site; 'no-referrer' would make the
    # browsers post forms with Origin: null, which trytond refuses
    'Referrer-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    }
FORM_ERRORS = {
    'level': 'hall_evaluation.msg_rate_level',
    'reason': 'hall_evaluation.msg_rate_reason',
    'reason_length': 'hall_evaluation.msg_rate_reason_length',
    'score': 'hall_evaluation.msg_rate_score',
    'phone': 'hall_evaluation.msg_rate_phone',
    }


@lru_cache(maxsize=None)
def _static(name):
    with open(os.path.join(STATIC, name), encoding='utf-8') as fp:
        return fp.read()


@lru_cache(maxsize=None)
def _template(name):
    return MarkupTemplate(_static(name), filename=name)


def _render(name, status=HTTPStatus.OK, **values):
    stream = _template(name).generate(
        css=_static('style.css'), Markup=Markup, **values)
    return Response(
        stream.render('html', doctype='html5', encoding='utf-8'),
        status=status, headers=HEADERS,
        content_type='text/html; charset=utf-8')


def _json(data, status=HTTPStatus.OK):
    return Response(
        json.dumps(data, ensure_ascii=False), status=status,
        headers=HEADERS, content_type='application/json; charset=utf-8')


def _unavailable(request, message):
    """The page or JSON while the database is unavailable (see
    hall.outage); the page comes back by itself"""
    if _wants_json(request) or request.path.endswith('/pending'):
        return _json({'status': 'unavailable', 'message': message},
            HTTPStatus.SERVICE_UNAVAILABLE)
    url = request.script_root + request.path
    return _render(
        'rate.html', status=HTTPStatus.SERVICE_UNAVAILABLE,
        summary=_Dict(), outcome=_Dict(kind='refused', text=message),
        errors=[], form={}, show_form=False, show_summary=False, action=None,
        levels=[], bad_levels=BAD_LEVELS, score_fields=[],
        reason_max=REASON_MAX_LENGTH, refresh=f'{RETRY_AFTER}; url={url}')


outage = public_outage(_unavailable)


def _model(pool, name):
    "The model or 404 when hall_evaluation is not activated"
    try:
        return pool.get(name)
    except KeyError:
        abort(HTTPStatus.NOT_FOUND)


def _wants_json(request):
    best = request.accept_mimetypes.best_match(
        ['text/html', 'application/json'])
    return best == 'application/json'


def _page_values(pool):
    Evaluation = pool.get('hall.evaluation')
    fields = Evaluation.fields_get([
            'level', 'score_efficiency', 'score_attitude',
            'score_professionalism'])
    return {
        'levels': fields['level']['selection'],
        'bad_levels': BAD_LEVELS,
        'score_fields': [
            (name, fields['score_' + name]['string'])
            for name in ['efficiency', 'attitude', 'professionalism']],
        'reason_max': REASON_MAX_LENGTH,
        }


def _rate_page(pool, link, status=HTTPStatus.OK, outcome=None, errors=(),
        form=None, show_form=True):
    summary = link.summary() if link else {}
    return _render(
        'rate.html', status=status,
        summary=_Dict(summary), outcome=_Dict(outcome) if outcome else None,
        errors=list(errors), form=form or {}, show_form=show_form,
        show_summary=bool(link), action=None, **_page_values(pool))


class _Dict(dict):
    "A dict whose keys read as attributes in the templates"
    def __getattr__(self, name):
        return self.get(name)


@app.route('/<database_name>/hall/rate/<token>', methods={'GET', 'POST'})
@outage
@with_pool
@with_transaction(context=PUBLIC_CONTEXT)
def rate(request, pool, token):
    Link = _model(pool, 'hall.evaluation.link')
    wants_json = _wants_json(request)

    def refused(message, status):
        if wants_json:
            return _json({'status': 'refused', 'message': message}, status)
        return _rate_page(pool, link, status=status,
            outcome={'kind': 'refused', 'text': message}, show_form=False)

    link = Link.get(token)
    if link is None:
        return refused(
            gettext('hall_evaluation.msg_rate_unknown'),
            HTTPStatus.NOT_FOUND)
    if request.method == 'POST':
        form = {k: request.form.get(k, '') for k in [
                'level', 'reason', 'phone', 'anonymous', 'score_efficiency',
                'score_attitude', 'score_professionalism']}
        values, codes = parse_rating(form)
        if codes:
            messages = [gettext(FORM_ERRORS[c], max=REASON_MAX_LENGTH)
                for c in codes]
            if wants_json:
                return _json({'status': 'invalid', 'errors': messages},
                    HTTPStatus.BAD_REQUEST)
            return _rate_page(pool, link, status=HTTPStatus.BAD_REQUEST,
                errors=messages, form=form)
        try:
            evaluation = Link.submit(token, values)
        except RatingLinkError as exception:
            return refused(exception.message, HTTPStatus.GONE)
        except UserError as exception:
            if wants_json:
                return _json({'status': 'invalid',
                        'errors': [exception.message]},
                    HTTPStatus.BAD_REQUEST)
            return _rate_page(pool, link, status=HTTPStatus.BAD_REQUEST,
                errors=[exception.message], form=form)
        message = link.thanks(evaluation)
        if wants_json:
            return _json({'status': 'ok', 'message': message},
                HTTPStatus.CREATED)
        return _rate_page(pool, link, status=HTTPStatus.CREATED,
            outcome={'kind': 'ok', 'text': message}, show_form=False)
    try:
        link.check_rateable()
    except RatingLinkError as exception:
        return refused(exception.message, HTTPStatus.GONE)
    return _rate_page(pool, link)


def _window(pool, window_id):
    Window = _model(pool, 'hall.window')
    _model(pool, 'hall.evaluation.link')
    windows = Window.search([('id', '=', window_id)], limit=1)
    if not windows:
        abort(HTTPStatus.NOT_FOUND)
    return windows[0]


@app.route('/<database_name>/hall/window/<int:window>/rate', methods={'GET'})
@outage
@with_pool
@with_transaction(context=PUBLIC_CONTEXT)
def window_device(request, pool, window):
    window = _window(pool, window)
    prefix = request.script_root + request.path.rsplit('/hall/window/', 1)[0]
    return _render(
        'window.html', window=window.number, hall=window.hall.name,
        pending_url=request.script_root + request.path + '/pending',
        rate_base=prefix + '/hall/rate/', **_page_values(pool))


@app.route('/<database_name>/hall/window/<int:window>/rate/pending',
    methods={'GET'})
@outage
@with_pool
@with_transaction(context=PUBLIC_CONTEXT)
def window_pending(request, pool, window):
    Link = pool.get('hall.evaluation.link')
    window = _window(pool, window)
    link = Link.pending_for_window(window.id)
    pending = None
    if link is not None:
        try:
            link.check_rateable()
        except RatingLinkError:
            link = None
    if link is not None:
        summary = link.summary()
        pending = {
            'token': link.token,
            'service': summary['service'],
            'number': summary['number'],
            'applicant': summary['applicant'],
            }
    return _json({'window': window.number, 'pending': pending})
