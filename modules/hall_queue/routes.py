# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Public pages of the queue (no login, Chinese, no personal data):

- /<database>/hall/<hall>/display: the display board of the hall (TV
  screen); it polls /<database>/hall/<hall>/display.json every second;
- /<database>/hall/<hall>/kiosk: the ticket kiosk; GET shows the queues and
  their services, POST issues a ticket (HTML form, or JSON when the request
  is JSON or asks for it); POST /<database>/hall/<hall>/kiosk/check-in
  checks an appointment in;
- /<database>/hall/ticket/<token>: the status page of a ticket for its
  holder; it polls /<database>/hall/ticket/<token>.json.

The slip and the status page also carry the further links other modules
give the holder (hall.ticket public_links), e.g. hall_evaluation's rating
page.

The pages run as root in zh_CN.  The kiosk's POSTs are the only writes;
they are throttled per client address (hall.kiosk.request).  Whatever is
sent, they answer in Chinese and never 5xx (see hall.public): an id that
is not one of a row is unknown (404), a body too large 413, a refused
origin 403, a value too long is refused without being written back.
"""
import base64
import os
import re
import urllib.parse

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.modules.hall import clock
from trytond.modules.hall.identity_rules import (
    is_id_number, is_mobile, normalize_id_number, normalize_mobile)
from trytond.modules.hall.outage import RETRY_AFTER, public_outage
from trytond.modules.hall.public import (
    PublicPages, field_value, model_or_404, public_route, record_id,
    wants_json)
from trytond.protocols.wrappers import (
    HTTPStatus, abort, with_pool, with_transaction)
from trytond.transaction import Transaction
from trytond.wsgi import app

from .queue_rules import call_text

try:
    import qrcode
    from qrcode.image.svg import SvgPathImage
except ImportError:
    qrcode = None

STATIC = os.path.join(os.path.dirname(__file__), 'static')
# The public pages speak Chinese whatever the language of the staff
PUBLIC_CONTEXT = {'language': 'zh_CN'}
# The display board polls every second, the holder's page every 3 seconds
BOARD_POLL_MS = 1000
STATUS_POLL_MS = 3000
# The display board shows the windows that do not fit the screen in pages
# turned every PAGE_SECONDS seconds, or every ?interval=N seconds
PAGE_SECONDS = 10
PAGE_SECONDS_RANGE = range(2, 301)
# Seconds the kiosk shows a ticket before it is ready for the next person
KIOSK_RESET_SECONDS = 30
# An appointment's booking code: 8 digits (see hall.appointment.create)
BOOKING_CODE = re.compile(r'\d{8}')


pages = PublicPages(STATIC, 'queue.css', script_nonce=True)


def _unavailable(request, message):
    """The page or JSON while the database is unavailable (see
    hall.outage): the pages come back by themselves, the polling scripts
    show the message"""
    if wants_json(request) or request.path.endswith('.json'):
        return pages.json({'status': 'unavailable', 'message': message},
            HTTPStatus.SERVICE_UNAVAILABLE)
    # a GET page reloads itself; after a kiosk POST, the kiosk page
    url = request.script_root + request.path
    if request.method != 'GET':
        url = re.sub(r'/check-in$', '', url)
    return pages.render('error.html', status=HTTPStatus.SERVICE_UNAVAILABLE,
        error=message, refresh=f'{RETRY_AFTER}; url={url}')


outage = public_outage(_unavailable)


def _refused(request, message, status):
    "The JSON or the page of a refusal (see hall.public)"
    if wants_json(request) or request.path.endswith('.json'):
        return pages.json({'status': 'error', 'message': message}, status)
    return pages.render('error.html', status=status, error=message)


def _payload(request):
    """The submitted values as a dict of stripped strings, and the keys of
    the values refused as too long (left empty)"""
    if request.mimetype == 'application/json':
        data = request.parsed_data
        if not isinstance(data, dict):
            abort(HTTPStatus.BAD_REQUEST)
    else:
        data = request.form
    values, too_long = {}, set()
    for key in ['queue', 'service', 'id_number', 'mobile', 'code']:
        values[key], refused = field_value(data.get(key))
        if refused:
            too_long.add(key)
    return values, too_long


def _base_url(request):
    """The absolute URL of the database's pages as the device of the request
    reached them (the kiosk's, the display board's), through proxies too"""
    database_name = Transaction().database.name
    return (request.url_root
        + urllib.parse.quote(database_name, safe=':@') + '/hall/')


def _citizen_url(request, hall, path):
    """The address of the page at `path` for a citizen's phone (the QR codes
    and links of a ticket): the hall's public address when it has one, else
    the address of the request"""
    if hall.public_address():
        return hall.page_url(path)
    return _base_url(request) + path


def _hall(request, pool, hall):
    "The active hall of the address (any string) or 404"
    Hall = model_or_404(pool, 'hall.hall')
    model_or_404(pool, 'hall.ticket')
    hall_id = record_id(hall)
    halls = Hall.search([('id', '=', hall_id)], limit=1) if hall_id else []
    if not halls:
        abort(_refused(request, gettext('hall_queue.msg_route_hall_unknown'),
                HTTPStatus.NOT_FOUND))
    return halls[0]


def _qr_data_uri(url):
    "The QR code of `url` as an SVG data URI, None without qrcode"
    if qrcode is None:
        return None
    code = qrcode.QRCode(
        image_factory=SvgPathImage, box_size=10, border=2,
        error_correction=qrcode.ERROR_CORRECT_M)
    code.add_data(url)
    svg = code.make_image().to_string()
    return 'data:image/svg+xml;base64,' + base64.b64encode(svg).decode()


# --- display board -----------------------------------------------------------

@app.route('/<database_name>/hall/<hall>/display', methods={'GET'})
@public_route(_refused)
@outage
@with_pool
@with_transaction(context=PUBLIC_CONTEXT)
def display(request, pool, hall):
    """The board; ?voice=1 (the hall's display PC) speaks the calls
    without a click where the browser allows it, ?interval=N turns the
    pages of windows every N seconds"""
    hall = _hall(request, pool, hall)
    base = _base_url(request)
    return pages.render('display.html',
        hall=hall.name,
        board_url=f'{base}{hall.id}/display.json',
        poll=BOARD_POLL_MS,
        voice=request.args.get('voice') == '1',
        interval=_page_seconds(request.args.get('interval')),
        script=pages.script('display.js'))


def _page_seconds(value):
    "The interval asked for, else the default (whatever was sent)"
    if value and re.fullmatch(r'[0-9]{1,3}', value):
        if int(value) in PAGE_SECONDS_RANGE:
            return int(value)
    return PAGE_SECONDS


@app.route('/<database_name>/hall/<hall>/display.json', methods={'GET'})
@public_route(_refused)
@outage
@with_pool
@with_transaction(context=PUBLIC_CONTEXT)
def display_data(request, pool, hall):
    hall = _hall(request, pool, hall)
    return pages.json(hall.board())


# --- kiosk -------------------------------------------------------------------

def _kiosk_queues(pool, hall):
    "The active queues of `hall` as the kiosk shows them"
    Queue = pool.get('hall.queue')
    queues = Queue.search([('hall', '=', hall.id)], order=[('prefix', 'ASC')])
    result = []
    for queue in queues:
        try:
            queue.check_issuable(queue.local_now())
        except UserError as exception:
            closed = exception.message
        else:
            closed = None
        result.append({
                'id': queue.id,
                'prefix': queue.prefix,
                'name': queue.name,
                'waiting': queue.waiting,
                'estimated_wait': queue.estimated_wait,
                'closed': closed,
                'services': [{'id': s.id, 'name': s.name}
                    for s in queue.services],
                })
    return result


def _kiosk_page(request, pool, hall,
        status=HTTPStatus.OK, error=None, form=None, ticket=None):
    base = _base_url(request)
    return pages.render('kiosk.html', status=status,
        hall=hall.name,
        queues=_kiosk_queues(pool, hall),
        kiosk_url=f'{base}{hall.id}/kiosk',
        check_in_url=f'{base}{hall.id}/kiosk/check-in',
        error=error, form=form or {}, ticket=ticket,
        reset=KIOSK_RESET_SECONDS,
        script=pages.script('kiosk.js'))


def _choose_queue(pool, hall, values):
    """The queue (and the service) asked for: a queue of the hall by id, or
    the queue of the hall covering the service with the fewest people
    waiting.  Inactive queues are found too, so that the citizen is told
    the queue is closed.  None when nothing of the hall matches."""
    Queue = pool.get('hall.queue')
    Service = pool.get('hall.service')
    queue_id = record_id(values['queue'])
    service_id = record_id(values['service'])
    if ((queue_id is None and service_id is None)
            or (values['queue'] and queue_id is None)
            or (values['service'] and service_id is None)):
        return None, None
    service = None
    if service_id is not None:
        services = Service.search([('id', '=', service_id)], limit=1)
        if not services:
            return None, None
        service, = services
    domain = [('hall', '=', hall.id)]
    if queue_id is not None:
        domain.append(('id', '=', queue_id))
    else:
        domain.append(('services', 'in', [service.id]))
    with Transaction().set_context(active_test=False):
        queues = Queue.search(domain)
    if not queues:
        return None, None
    queues.sort(key=lambda q: (not q.active, q.waiting, q.prefix))
    return queues[0], service


def _links(request, ticket, page, qr=False):
    """The further links of `ticket` on `page` (see hall.ticket
    public_links) with their absolute URL and, with `qr`, their QR code"""
    links = []
    for key, label, path in ticket.public_links(page):
        url = _citizen_url(request, ticket.hall, path)
        link = {'key': key, 'label': label, 'url': url}
        if qr:
            link['qr'] = _qr_data_uri(url)
        links.append(link)
    return links


def _ticket_result(request, ticket):
    "What the kiosk answers for an issued ticket: no personal data"
    ahead = ticket.ahead()
    url = _citizen_url(request, ticket.hall, 'ticket/' + ticket.token)
    return {
        'status': 'ok',
        'number': ticket.number,
        'queue': ticket.queue.name,
        'prefix': ticket.queue.prefix,
        'priority': ticket.priority,
        'ahead': ahead,
        'estimated_wait_minutes': ticket.estimated_wait_minutes(ahead),
        'issued_at': clock.to_local(
            ticket.issued_at, ticket.queue.timezone).strftime('%H:%M'),
        'token': ticket.token,
        'status_url': url,
        'qr': _qr_data_uri(url),
        'links': _links(request, ticket, 'slip', qr=True),
        }


def _refuse(request, pool, hall, message, status, form=None):
    """Answer a refused kiosk request after undoing whatever the request
    wrote: the JSON error, or the kiosk page with the message"""
    Transaction().rollback()
    if wants_json(request):
        return pages.json({'status': 'error', 'message': message}, status)
    return _kiosk_page(request, pool, hall,
        status=status, error=message, form=form)


def _accept(request, pool, hall, ticket):
    result = _ticket_result(request, ticket)
    if wants_json(request):
        return pages.json(result, HTTPStatus.CREATED)
    return _kiosk_page(request, pool, hall,
        status=HTTPStatus.CREATED, ticket=result)


def _check_contact(values, too_long):
    """The message for an invalid ID number or mobile typed, else None; it
    does not write what was typed back (a public screen)"""
    if 'id_number' in too_long or (
            values['id_number'] and not is_id_number(values['id_number'])):
        return gettext('hall_queue.msg_kiosk_id_number_invalid')
    if 'mobile' in too_long or (
            values['mobile'] and not is_mobile(values['mobile'])):
        return gettext('hall_queue.msg_kiosk_mobile_invalid')


@app.route('/<database_name>/hall/<hall>/kiosk', methods={'GET', 'POST'})
@public_route(_refused)
@outage
@with_pool
@with_transaction(context=PUBLIC_CONTEXT)
def kiosk(request, pool, hall):
    hall = _hall(request, pool, hall)
    if request.method != 'POST':
        return _kiosk_page(request, pool, hall)

    KioskRequest = pool.get('hall.kiosk.request')
    Ticket = pool.get('hall.ticket')
    values, too_long = _payload(request)
    # the form keeps what was typed for a second try, not the choice
    form = {k: values[k] for k in ['id_number', 'mobile']}

    def refuse(message, status):
        return _refuse(request, pool, hall, message, status, form=form)

    address = KioskRequest.client_address()
    if KioskRequest.throttled(address):
        return refuse(gettext('hall_queue.msg_kiosk_throttled'),
            HTTPStatus.TOO_MANY_REQUESTS)
    queue, service = _choose_queue(pool, hall, values)
    if queue is None:
        return refuse(gettext('hall_queue.msg_kiosk_queue_unknown'),
            HTTPStatus.BAD_REQUEST)
    if service and service not in queue.services:
        return refuse(gettext('hall_queue.msg_issue_service_queue',
                queue=queue.name), HTTPStatus.BAD_REQUEST)
    if message := _check_contact(values, too_long):
        return refuse(message, HTTPStatus.BAD_REQUEST)
    try:
        ticket = Ticket.issue(queue, 'kiosk',
            id_number=normalize_id_number(values['id_number']) or None,
            mobile=normalize_mobile(values['mobile']) or None,
            service=service.id if service else None)
    except UserError as exception:
        # closed queue, closed day, out of hours, daily cap
        return refuse(exception.message, HTTPStatus.CONFLICT)
    KioskRequest.add(address)
    return _accept(request, pool, hall, ticket)


@app.route('/<database_name>/hall/<hall>/kiosk/check-in',
    methods={'POST'})
@public_route(_refused)
@outage
@with_pool
@with_transaction(context=PUBLIC_CONTEXT)
def kiosk_check_in(request, pool, hall):
    """Check in today's appointment of the booking code or resident ID
    number typed, which issues its ticket"""
    hall = _hall(request, pool, hall)
    KioskRequest = pool.get('hall.kiosk.request')
    Appointment = pool.get('hall.appointment')
    values, _ = _payload(request)

    address = KioskRequest.client_address()
    if KioskRequest.throttled(address):
        return _refuse(request, pool, hall,
            gettext('hall_queue.msg_kiosk_throttled'),
            HTTPStatus.TOO_MANY_REQUESTS)
    code = re.sub(r'\s', '', values['code'])
    appointment = None
    if BOOKING_CODE.fullmatch(code):
        appointment = Appointment.find_to_check_in(hall, code=code)
    elif code:
        appointment = Appointment.find_to_check_in(hall, id_number=code)
    if appointment is None:
        message = gettext('hall_queue.msg_appointment_not_found')
        # a failed look-up counts against the throttle (guessed codes)
        KioskRequest.add(address)
        if wants_json(request):
            return pages.json({'status': 'error', 'message': message},
                HTTPStatus.NOT_FOUND)
        return _kiosk_page(request, pool, hall,
            status=HTTPStatus.NOT_FOUND, error=message)
    try:
        ticket = appointment.check_in_now(channel='appointment')
    except UserError as exception:
        # too early, too late, queue closed...
        return _refuse(request, pool, hall,
            exception.message, HTTPStatus.CONFLICT)
    KioskRequest.add(address)
    return _accept(request, pool, hall, ticket)


# --- ticket status -----------------------------------------------------------

def _ticket(pool, token):
    Ticket = model_or_404(pool, 'hall.ticket')
    # a token is 32 characters (secrets.token_urlsafe(24))
    if len(token) > 64:
        return None
    return Ticket.by_token(token)


def _headline(status):
    "What the holder reads first, by state"
    state = status['state']
    if state == 'waiting':
        if status['ahead']:
            return f"前面还有 {status['ahead']} 人，请留意叫号"
        return "下一位就是您，请留意叫号"
    if state == 'called':
        return call_text(status['number'], status['window'])
    if state == 'serving':
        return f"正在 {status['window']} 号窗口办理"
    if state == 'transferred' and status.get('next_number'):
        return f"已转到其他队列，新号码 {status['next_number']}"
    return {
        'done': "已办结，感谢您的耐心等候",
        'no_show': "已过号，如需办理请重新取号或到咨询台咨询",
        'transferred': "已转到其他队列",
        'cancelled': "已取消",
        'expired': "已过期，如需办理请重新取号",
        }.get(state, status['state_string'])


def _status(request, ticket):
    "The holder's view of `ticket`: no personal data"
    status = ticket.public_status()
    status['hall'] = ticket.hall.name
    status['next_number'] = status['next_url'] = None
    if ticket.state == 'transferred' and ticket.transferred_to:
        # the holder follows the ticket to its new queue
        following = max(ticket.transferred_to, key=lambda t: t.id)
        status['next_number'] = following.number
        status['next_url'] = _citizen_url(
            request, following.hall, 'ticket/' + following.token)
    status['headline'] = _headline(status)
    minutes = status['estimated_wait_minutes']
    if status['state'] != 'waiting':
        status['wait_text'] = '—'
    elif minutes is None:
        status['wait_text'] = "暂无窗口开放"
    else:
        status['wait_text'] = f"约 {minutes} 分钟"
    status['checked_at'] = clock.local_now(
        ticket.queue.timezone).strftime('%H:%M:%S')
    status['links'] = _links(request, ticket, 'status')
    return status


@app.route('/<database_name>/hall/ticket/<token>', methods={'GET'})
@public_route(_refused)
@outage
@with_pool
@with_transaction(context=PUBLIC_CONTEXT)
def ticket_status(request, pool, token):
    ticket = _ticket(pool, token)
    if ticket is None:
        return pages.render('ticket.html', status=HTTPStatus.NOT_FOUND,
            ticket=None, error=gettext('hall_queue.msg_ticket_unknown'),
            status_url=None, poll=STATUS_POLL_MS,
            script=pages.script('ticket.js'))
    url = _base_url(request) + 'ticket/' + ticket.token
    return pages.render('ticket.html',
        ticket=_status(request, ticket), error=None,
        status_url=url + '.json', poll=STATUS_POLL_MS,
        script=pages.script('ticket.js'))


@app.route('/<database_name>/hall/ticket/<token>.json', methods={'GET'})
@public_route(_refused)
@outage
@with_pool
@with_transaction(context=PUBLIC_CONTEXT)
def ticket_status_data(request, pool, token):
    ticket = _ticket(pool, token)
    if ticket is None:
        return pages.json({'status': 'error',
                'message': gettext('hall_queue.msg_ticket_unknown')},
            HTTPStatus.NOT_FOUND)
    return pages.json(_status(request, ticket))
