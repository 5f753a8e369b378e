# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Public pages of the ratings (no login, Chinese, no personal data):

- /<database>/hall/rate/<token>: the page of the QR code of a receipt or a
  ticket slip; GET shows the form, POST stores the rating (JSON when the
  client accepts it);
- /<database>/hall/window/<window>/rate: the page of the evaluator device
  at a window (GET); the device posts the rating there (POST, JSON); the
  page polls
- /<database>/hall/window/<window>/rate/pending: the rating the clerk asked
  for at that window (请评价), as JSON, without any token.

The device's requests carry the key of a device registered for the window
(header X-Device-Key, see hall.evaluation.device): without one, 401, with
a revoked key or another window's, 403.  Whatever is sent, the pages
answer in Chinese and never 5xx (see hall.public).
"""
import os

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.modules.hall.outage import RETRY_AFTER, public_outage
from trytond.modules.hall.public import (
    PublicPages, field_value, model_or_404, public_route, record_id,
    wants_json)
from trytond.protocols.wrappers import (
    HTTPStatus, abort, with_pool, with_transaction)
from trytond.transaction import Transaction
from trytond.wsgi import app

from .exceptions import (
    DeviceAccessError, DeviceAuthenticationError, RatingLinkError)
from .rating_rules import BAD_LEVELS, REASON_MAX_LENGTH, parse_rating

STATIC = os.path.join(os.path.dirname(__file__), 'static')
# The public pages speak Chinese whatever the language of the staff
PUBLIC_CONTEXT = {'language': 'zh_CN'}
# The header of the window device's key
DEVICE_KEY_HEADER = 'X-Device-Key'
FORM_ERRORS = {
    'level': 'hall_evaluation.msg_rate_level',
    'reason': 'hall_evaluation.msg_rate_reason',
    'reason_length': 'hall_evaluation.msg_rate_reason_length',
    'score': 'hall_evaluation.msg_rate_score',
    'phone': 'hall_evaluation.msg_rate_phone',
    }
# The fields of the rating form: their longest value and the error of a
# longer one (dropped, never written back in the page)
FORM_FIELDS = {
    'level': (32, 'level'),
    'reason': (REASON_MAX_LENGTH, 'reason_length'),
    'phone': (20, 'phone'),
    'anonymous': (8, None),
    'score_efficiency': (8, 'score'),
    'score_attitude': (8, 'score'),
    'score_professionalism': (8, 'score'),
    }


pages = PublicPages(STATIC, 'style.css')


def _device_request(request):
    "Whether the request is one of the device's scripts (JSON answers)"
    return request.path.endswith('/pending') or (
        '/hall/window/' in request.path and request.method == 'POST')


def _refused(request, message, status, refresh=None):
    """The page or JSON of a refusal (see hall.public), without the
    database: the rating page with the message"""
    if wants_json(request) or _device_request(request):
        kind = ('unavailable' if status == HTTPStatus.SERVICE_UNAVAILABLE
            else 'error')
        return pages.json({'status': kind, 'message': message}, status)
    return pages.render(
        'rate.html', status=status,
        summary=_Dict(), outcome=_Dict(kind='refused', text=message),
        errors=[], form={}, show_form=False, show_summary=False, action=None,
        levels=[], bad_levels=BAD_LEVELS, score_fields=[],
        reason_max=REASON_MAX_LENGTH, refresh=refresh)


def _unavailable(request, message):
    """The page or JSON while the database is unavailable (see
    hall.outage); the page comes back by itself"""
    url = request.script_root + request.path
    return _refused(request, message, HTTPStatus.SERVICE_UNAVAILABLE,
        refresh=f'{RETRY_AFTER}; url={url}')


outage = public_outage(_unavailable)


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
    return pages.render(
        'rate.html', status=status,
        summary=_Dict(summary), outcome=_Dict(outcome) if outcome else None,
        errors=list(errors), form=form or {}, show_form=show_form,
        show_summary=bool(link), action=None, **_page_values(pool))


class _Dict(dict):
    "A dict whose keys read as attributes in the templates"
    def __getattr__(self, name):
        return self.get(name)


def _rating_form(request):
    """The rating posted: the form (what the page writes back), the values
    of the rating and the messages of its errors"""
    data = request.form
    form, codes = {}, []
    for name, (max_length, code) in FORM_FIELDS.items():
        form[name], too_long = field_value(data.get(name), max_length)
        if too_long and code and code not in codes:
            codes.append(code)
    values, errors = parse_rating(form)
    for code in errors:
        if code not in codes:
            codes.append(code)
    if 'reason_length' in codes and 'reason' in codes:
        # the reason was given, too long
        codes.remove('reason')
    messages = [gettext(FORM_ERRORS[c], max=REASON_MAX_LENGTH)
        for c in codes]
    return form, values, messages


@app.route('/<database_name>/hall/rate/<token>', methods={'GET', 'POST'})
@public_route(_refused)
@outage
@with_pool
@with_transaction(context=PUBLIC_CONTEXT)
def rate(request, pool, token):
    Link = model_or_404(pool, 'hall.evaluation.link')
    answer_json = wants_json(request)

    def refused(message, status):
        if answer_json:
            return pages.json({'status': 'refused', 'message': message}, status)
        return _rate_page(pool, link, status=status,
            outcome={'kind': 'refused', 'text': message}, show_form=False)

    link = Link.get(token)
    if link is None:
        return refused(
            gettext('hall_evaluation.msg_rate_unknown'),
            HTTPStatus.NOT_FOUND)
    if request.method == 'POST':
        form, values, messages = _rating_form(request)
        if messages:
            if answer_json:
                return pages.json({'status': 'invalid', 'errors': messages},
                    HTTPStatus.BAD_REQUEST)
            return _rate_page(pool, link, status=HTTPStatus.BAD_REQUEST,
                errors=messages, form=form)
        try:
            evaluation = Link.submit(token, values)
        except RatingLinkError as exception:
            # nothing of the request is kept (a failed insert aborts the
            # transaction on PostgreSQL)
            Transaction().rollback()
            return refused(exception.message, HTTPStatus.GONE)
        except UserError as exception:
            Transaction().rollback()
            if answer_json:
                return pages.json({'status': 'invalid',
                        'errors': [exception.message]},
                    HTTPStatus.BAD_REQUEST)
            return _rate_page(pool, link, status=HTTPStatus.BAD_REQUEST,
                errors=[exception.message], form=form)
        message = link.thanks(evaluation)
        if answer_json:
            return pages.json({'status': 'ok', 'message': message},
                HTTPStatus.CREATED)
        return _rate_page(pool, link, status=HTTPStatus.CREATED,
            outcome={'kind': 'ok', 'text': message}, show_form=False)
    try:
        link.check_rateable()
    except RatingLinkError as exception:
        return refused(exception.message, HTTPStatus.GONE)
    return _rate_page(pool, link)


def _window(request, pool, window):
    "The window of the address (any string) or 404"
    Window = model_or_404(pool, 'hall.window')
    model_or_404(pool, 'hall.evaluation.link')
    window_id = record_id(window)
    windows = (Window.search([('id', '=', window_id)], limit=1)
        if window_id else [])
    if not windows:
        abort(_refused(request,
                gettext('hall_evaluation.msg_device_window_unknown'),
                HTTPStatus.NOT_FOUND))
    return windows[0]


def _device(request, pool, window):
    """The device of `window` authenticated by the key of the request, or
    401 (no key, unknown key) or 403 (revoked, another window's)"""
    Device = pool.get('hall.evaluation.device')
    key = request.headers.get(DEVICE_KEY_HEADER, '').strip()
    try:
        device = Device.authenticate(key, window.id)
    except DeviceAuthenticationError as exception:
        abort(pages.json({'status': 'unauthorized', 'message': exception.message},
                HTTPStatus.UNAUTHORIZED))
    except DeviceAccessError as exception:
        abort(pages.json({'status': 'forbidden', 'message': exception.message},
                HTTPStatus.FORBIDDEN))
    device.touch()
    return device


@app.route('/<database_name>/hall/window/<window>/rate',
    methods={'GET', 'POST'})
@public_route(_refused)
@outage
@with_pool
@with_transaction(context=PUBLIC_CONTEXT)
def window_device(request, pool, window):
    "The page of the device (GET) and the rating it posts (POST)"
    window = _window(request, pool, window)
    if request.method == 'POST':
        return _device_rate(request, pool, window)
    path = request.script_root + request.path
    return pages.render(
        'window.html', window=window.number, hall=window.hall.name,
        pending_url=path + '/pending', submit_url=path,
        key_header=DEVICE_KEY_HEADER, **_page_values(pool))


def _device_rate(request, pool, window):
    "Store the rating the device posts for the request it shows"
    Link = pool.get('hall.evaluation.link')
    device = _device(request, pool, window)
    form, values, messages = _rating_form(request)
    if messages:
        return pages.json({'status': 'invalid', 'errors': messages},
            HTTPStatus.BAD_REQUEST)
    link_id = record_id(field_value(request.form.get('pending'))[0])
    try:
        evaluation = Link.submit_device(device, link_id, values)
    except RatingLinkError as exception:
        Transaction().rollback()
        return pages.json({'status': 'refused', 'message': exception.message},
            HTTPStatus.GONE)
    except UserError as exception:
        Transaction().rollback()
        return pages.json({'status': 'invalid', 'errors': [exception.message]},
            HTTPStatus.BAD_REQUEST)
    return pages.json({'status': 'ok', 'message': evaluation.link.thanks(
                evaluation)}, HTTPStatus.CREATED)


@app.route('/<database_name>/hall/window/<window>/rate/pending',
    methods={'GET'})
@public_route(_refused)
@outage
@with_pool
# read-write: the device's last use is recorded (once a minute)
@with_transaction(readonly=False, context=PUBLIC_CONTEXT)
def window_pending(request, pool, window):
    Link = pool.get('hall.evaluation.link')
    window = _window(request, pool, window)
    _device(request, pool, window)
    link = Link.pending_for_window(window.id)
    pending = None
    if link is not None:
        try:
            link.check_rateable()
        except RatingLinkError:
            link = None
    if link is not None:
        summary = link.summary()
        # what the device shows, and the id of the request it rates: no
        # token (the device's key rates it)
        pending = {
            'id': link.id,
            'service': summary['service'],
            'number': summary['number'],
            'applicant': summary['applicant'],
            }
    return pages.json({'window': window.number, 'pending': pending})
