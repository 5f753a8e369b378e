# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Ratings of queue tickets (with hall_queue): the QR code of the ticket
slip and the window device after the clerk finishes a ticket."""
from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import without_check_access

from .exceptions import EvaluationError, RatingLinkError
from .rating_rules import mask_name

# A ticket was served in these states; the others have nothing to rate.
UNSERVED_STATES = {'no_show', 'cancelled', 'expired', 'transferred'}


class Ticket(metaclass=PoolMeta):
    __name__ = 'hall.ticket'

    evaluations = fields.One2Many(
        'hall.evaluation', 'ticket', "Ratings", readonly=True)
    rating_links = fields.One2Many(
        'hall.evaluation.link', 'ticket', "Rating Links", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'request_rating': {
                    'invisible': Eval('state') != 'done',
                    'icon': 'tryton-star',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def create(cls, vlist):
        pool = Pool()
        Link = pool.get('hall.evaluation.link')
        tickets = super().create(vlist)
        # The QR code printed on the ticket slip
        with without_check_access():
            Link.create_links(tickets, 'qr_code')
        return tickets

    @classmethod
    def copy(cls, tickets, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('evaluations', None)
        default.setdefault('rating_links', None)
        return super().copy(tickets, default=default)

    @classmethod
    def finish(cls, tickets, *args, **kwargs):
        pool = Pool()
        Link = pool.get('hall.evaluation.link')
        result = super().finish(tickets, *args, **kwargs)
        # The citizen can rate for the full validity after the service
        with without_check_access():
            Link.extend(list(Link.pending_qr_links(tickets).values()))
        return result

    @classmethod
    @ModelView.button
    def request_rating(cls, tickets):
        "请评价: the window device shows the rating of the ticket"
        pool = Pool()
        Link = pool.get('hall.evaluation.link')
        if hasattr(cls, 'check_operators'):
            cls.check_operators(tickets)
        Link.request_device_rating(tickets)

    def rating_link(self):
        "The QR-code link to rate the ticket, if any is pending"
        pool = Pool()
        Link = pool.get('hall.evaluation.link')
        return Link.pending_qr_links([self]).get(self)

    def public_links(self, page):
        """The rating page while the ticket can still be rated: on the slip
        from the start (the citizen scans it once served), on the status
        page once the ticket is done"""
        links = super().public_links(page)
        if self.state in UNSERVED_STATES or (
                page != 'slip' and self.state != 'done'):
            return links
        link = self.rating_link()
        if link is not None and not link.expired:
            label = gettext('hall_evaluation.msg_rate_link_slip'
                if page == 'slip' else 'hall_evaluation.msg_rate_link_status')
            links.append(('rating', label, link.path))
        return links

    @property
    def rated_application(self):
        "The application rated with the ticket: its only application"
        applications = [a for a in getattr(self, 'applications', None) or []
            if a.state != 'draft']
        if len(applications) == 1:
            return applications[0]


class Evaluation(metaclass=PoolMeta):
    __name__ = 'hall.evaluation'

    ticket = fields.Many2One(
        'hall.ticket', "Ticket", ondelete='RESTRICT',
        states={'readonly': Eval('id', -1) >= 0},
        help="The queue ticket rated.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        # One visit, one rating (see application_unique)
        cls._sql_constraints += [
            ('ticket_unique', Unique(t, t.ticket),
                'hall_evaluation.msg_evaluation_ticket_unique'),
            ]

    @classmethod
    def __register__(cls, module):
        if backend.TableHandler.table_exist(cls._table):
            cls._detach_duplicates('ticket', '排队号')
        super().__register__(module)

    @classmethod
    def _source_fields(cls):
        return super()._source_fields() | {'ticket'}

    def service_date(self):
        start = super().service_date()
        ticket = getattr(self, 'ticket', None)
        if ticket and (start is None or ticket.date < start):
            start = ticket.date
        return start

    @fields.depends('ticket')
    def on_change_ticket(self):
        if self.ticket:
            for field, value in self._source_values().items():
                setattr(self, field, value)

    def _source_values(self):
        ticket = getattr(self, 'ticket', None)
        if ticket and not getattr(self, 'application', None):
            self.application = ticket.rated_application
        values = super()._source_values()
        if ticket:
            values.update({
                    'company': ticket.hall.company,
                    'hall': ticket.hall,
                    'window': ticket.window,
                    'clerk': ticket.clerk,
                    })
            if self.application:
                values['application'] = self.application
            if ticket.party and not getattr(self, 'rater_name', None):
                values['rater_name'] = ticket.party.name
        return values


class Link(metaclass=PoolMeta):
    __name__ = 'hall.evaluation.link'

    ticket = fields.Many2One(
        'hall.ticket', "Ticket", readonly=True, ondelete='CASCADE')

    @classmethod
    def _subject_fields(cls):
        return super()._subject_fields() + ['ticket']

    @classmethod
    def subject_field(cls, model_name):
        if model_name == 'hall.ticket':
            return 'ticket'
        return super().subject_field(model_name)

    @classmethod
    def link_values(cls, subject):
        if subject.__name__ == 'hall.ticket':
            return {
                'company': subject.hall.company.id,
                'ticket': subject.id,
                'window': subject.window.id if subject.window else None,
                }
        return super().link_values(subject)

    def check_subject(self):
        super().check_subject()
        ticket = self.ticket
        if ticket:
            # its application rated on its own (receipt's QR code): the
            # same service
            application = ticket.rated_application
            if application and application.evaluations:
                raise RatingLinkError(gettext(
                        'hall_evaluation.msg_rate_used'))
            if ticket.state in UNSERVED_STATES:
                raise RatingLinkError(gettext(
                        'hall_evaluation.msg_rate_not_rateable'))
            if ticket.state != 'done':
                raise RatingLinkError(gettext(
                        'hall_evaluation.msg_rate_not_served'))

    def summary(self):
        summary = super().summary()
        ticket = self.ticket
        if ticket:
            application = ticket.rated_application
            summary.update({
                    'hall': ticket.hall.name,
                    'number': ticket.number,
                    'window': (
                        ticket.window.number if ticket.window else None),
                    'applicant': (
                        mask_name(ticket.party.name) if ticket.party
                        else None),
                    })
            if application:
                summary.update({
                        'service': application.service.name,
                        'department': application.service.department.name,
                        })
        return summary

    def evaluation_values(self):
        values = super().evaluation_values()
        if self.ticket:
            values['ticket'] = self.ticket.id
        return values


class Window(metaclass=PoolMeta):
    __name__ = 'hall.window'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'request_rating': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-star',
                    'depends': ['state'],
                    },
                })

    def last_finished_ticket(self):
        "The ticket the window finished last today"
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        Date = pool.get('ir.date')
        tickets = Ticket.search([
                ('window', '=', self.id),
                ('state', '=', 'done'),
                ('date', '=', Date.today()),
                ], order=[('finished_at', 'DESC'), ('id', 'DESC')], limit=1)
        return tickets[0] if tickets else None

    @classmethod
    @ModelView.button
    def request_rating(cls, windows):
        "请评价: the device shows the rating of the ticket just finished"
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        tickets = []
        for window in windows:
            if hasattr(window, 'check_operator'):
                window.check_operator()
            ticket = window.last_finished_ticket()
            if ticket is None:
                raise EvaluationError(gettext(
                        'hall_evaluation.msg_window_no_finished_ticket',
                        window=window.rec_name))
            tickets.append(ticket)
        Ticket.request_rating(tickets)
