# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Checks of the ticket ratings, run when hall_queue is activated too"
from trytond.model.exceptions import AccessError
from trytond.modules.hall.tests.tools import as_user, on
from trytond.modules.hall_evaluation.exceptions import (
    EvaluationError, RatingLinkError)
from trytond.pool import Pool


def hall_queue_ready():
    "hall_queue defines hall.ticket with the interface used here"
    from trytond.modules import get_module_info
    try:
        info = get_module_info('hall_queue')
    except Exception:
        return False
    try:
        from trytond.modules.hall_queue import ticket  # noqa: F401
    except ImportError:
        return False
    return bool(info) and hasattr(ticket, 'Ticket')


def check_ticket_rating(test):
    "A ticket slip's QR code and the window device after 请评价"
    from trytond.modules.hall_queue.tests.tools import (
        MONDAY_10, QueueData, at)
    pool = Pool()
    Ticket = pool.get('hall.ticket')
    Window = pool.get('hall.window')
    Application = pool.get('hall.application')
    Link = pool.get('hall.evaluation.link')
    Evaluation = pool.get('hall.evaluation')
    Device = pool.get('hall.evaluation.device')

    with at(MONDAY_10), on(MONDAY_10.date()):
        data = QueueData()
        data.open_windows()
        ticket = data.issue()
        qr = ticket.rating_link()
        test.assertEqual(qr.channel, 'qr_code')
        test.assertEqual(qr.ticket, ticket)
        # Not served yet: nothing to rate
        with test.assertRaises(RatingLinkError):
            Link.submit(qr.token, {'level': 'satisfied'})
        with test.assertRaises(EvaluationError):
            Window.request_rating([data.a01])

        Window.call_next([data.a01])
        ticket = Ticket(ticket.id)
        test.assertEqual(ticket.window, data.a01)
        Ticket.start([ticket])
        application = data.application(window=data.a01, ticket=ticket.id)
        Application.receive([application])
        Application.accept([application])
        Ticket.finish([ticket])

        # The clerk reads no token of the ticket to rate it: neither its
        # status page's (which offers the rating page once done) nor its
        # rating links'
        for clerk in [data.li_user, data.manager]:
            set_user, set_context = as_user(clerk)
            with set_user, set_context:
                for names in [['token'], ['rating_links.token']]:
                    with test.assertRaises(AccessError):
                        Ticket.read([ticket.id], names)
                Ticket.read([ticket.id], ['number', 'state'])

        # The clerk presses 请评价 at the window: the device shows it
        Window.request_rating([data.a01])
        device = Link.pending_for_window(data.a01.id)
        test.assertEqual(device.ticket, ticket)
        test.assertEqual(device.summary()['number'], ticket.number)
        pad, _ = Device.register(data.a01, "A01 评价器")
        evaluation = Link.submit_device(pad, device.id, {
                'level': 'very_dissatisfied', 'reason': "办理时间太长"})
        test.assertEqual(evaluation.ticket, ticket)
        test.assertEqual(evaluation.application, application)
        test.assertEqual(evaluation.window, data.a01)
        test.assertEqual(evaluation.channel, 'window_device')
        test.assertEqual(len(evaluation.rectifications), 1)
        test.assertEqual(Ticket(ticket.id).evaluations, (evaluation,))
        # One visit, one rating: the slip's QR code is spent
        with test.assertRaises(RatingLinkError):
            Link.submit(qr.token, {'level': 'very_satisfied'})
        with test.assertRaises(EvaluationError):
            Ticket.request_rating([Ticket(ticket.id)])

        # The application of the visit is the same service: its receipt's
        # QR code is spent too
        with test.assertRaises(RatingLinkError):
            Link.submit(application.rating_link().token, {
                    'level': 'very_satisfied'})

        # Rated on its receipt first, the application's ticket is spent
        other = data.issue()
        Window.call_next([data.a01])
        other = Ticket(other.id)
        Ticket.start([other])
        received = data.application(window=data.a01, ticket=other.id)
        Application.receive([received])
        Application.accept([received])
        Link.submit(received.rating_link().token, {'level': 'satisfied'})
        Ticket.finish([other])
        with test.assertRaises(RatingLinkError):
            Link.submit(other.rating_link().token, {'level': 'satisfied'})
        test.assertEqual(Ticket(other.id).evaluations, ())

        # A ticket that never came has nothing to rate
        absent = data.issue()
        Ticket.cancel([absent])
        with test.assertRaises(RatingLinkError):
            Link.submit(absent.rating_link().token, {'level': 'satisfied'})
        test.assertEqual(
            Evaluation.search([('ticket', '=', absent.id)]), [])
