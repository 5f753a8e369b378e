# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Queue statistics and the live monitor, aggregated in the database."
import datetime as dt

from sql import Column, Literal, Null, Window
from sql.aggregate import Count, Max, Min, Sum
from sql.conditionals import Case, Coalesce, NullIf

from trytond.i18n import lazy_gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.hall import clock
from trytond.modules.hall.model import (
    ContextCompanyMixin, ServerReadonlyMixin)
from trytond.modules.hall.period import PeriodContextMixin, hall_where
from trytond.pool import Pool
from trytond.transaction import Transaction


def context_timezone():
    "The time zone of the company of the context"
    company_id = Transaction().context.get('company')
    if company_id is not None and company_id >= 0:
        Company = Pool().get('company.company')
        return Company(company_id).timezone
    return None


def local_today():
    return clock.local_now(context_timezone()).date()


class StatisticsContext(PeriodContextMixin, ModelView):
    "Queue statistics period"
    __name__ = 'hall.queue.statistics.context'

    hall = fields.Many2One('hall.hall', "Hall")

    @classmethod
    def default_from_date(cls):
        return Pool().get('ir.date').today() - dt.timedelta(days=30)

    @classmethod
    def default_to_date(cls):
        return Pool().get('ir.date').today()


class TicketFiguresMixin(ContextCompanyMixin, ServerReadonlyMixin):
    """Tickets issued, served and no-show, average and 90th-percentile wait
    and average service time of the tickets of the context's period and
    halls, per the keys of the model"""
    __slots__ = ()
    # the field names of the keys that make a row
    _keys = ()

    issued = fields.Integer(lazy_gettext('hall_queue.msg_statistics_issued'))
    served = fields.Integer(lazy_gettext('hall_queue.msg_statistics_served'))
    no_show = fields.Integer(lazy_gettext('hall_queue.msg_statistics_no_show'))
    average_wait = fields.Float(
        lazy_gettext('hall_queue.msg_statistics_average_wait'), digits=(16, 1))
    p90_wait = fields.Float(
        lazy_gettext('hall_queue.msg_statistics_p90_wait'), digits=(16, 1),
        help=lazy_gettext('hall_queue.msg_statistics_p90_wait_help'))
    average_service = fields.Float(
        lazy_gettext('hall_queue.msg_statistics_average_service'),
        digits=(16, 1))

    @classmethod
    def _where(cls, ticket):
        pool = Pool()
        Hall = pool.get('hall.hall')
        hall = Hall.__table__()
        context = Transaction().context
        # a ticket has no company: that of its hall
        where = ticket.hall.in_(hall.select(hall.id,
                where=hall.company == context.get('company', -1)))
        where &= hall_where(ticket.hall)
        if context.get('from_date'):
            where &= ticket.date >= context['from_date']
        if context.get('to_date'):
            where &= ticket.date <= context['to_date']
        return where

    @classmethod
    def table_query(cls):
        return cls._figures()

    @classmethod
    def _figures(cls, id_=None):
        """The figures grouped by the keys, with `id_` as the id (the
        smallest ticket's id without one).

        The tickets are counted a row and wait (seconds): the counts add up
        to the row's figures, and the running count of the waits gives the
        nearest-rank 90th percentile, with no sort of every ticket."""
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        ticket = Ticket.__table__()
        keys = cls._key_expressions(ticket)
        # group in outer queries: PostgreSQL refuses to group by an
        # expression holding a parameter
        tickets = ticket.select(
            ticket.id, ticket.state, ticket.transferred_from,
            ticket.wait_seconds, ticket.service_seconds,
            *[k.as_(f) for k, f in zip(keys, cls._keys)],
            where=cls._where(ticket))
        columns = [Column(tickets, f) for f in cls._keys]
        by_wait = tickets.select(
            *[c.as_(f) for c, f in zip(columns, cls._keys)],
            tickets.wait_seconds.as_('wait'),
            Min(tickets.id).as_('first'),
            Count(tickets.id).as_('tickets'),
            Count(Case((tickets.transferred_from == Null, tickets.id))
                ).as_('issued'),
            Count(Case((tickets.state == 'done', tickets.id))).as_('served'),
            Count(Case((tickets.state == 'no_show', tickets.id))
                ).as_('no_show'),
            Sum(tickets.service_seconds).as_('service'),
            Count(tickets.service_seconds).as_('serviced'),
            group_by=columns + [tickets.wait_seconds])
        columns = [Column(by_wait, f) for f in cls._keys]
        called = Case((by_wait.wait != Null, by_wait.tickets), else_=0)
        waits = by_wait.select(
            *[c.as_(f) for c, f in zip(columns, cls._keys)],
            by_wait.wait, by_wait.first, by_wait.tickets, by_wait.issued,
            by_wait.served, by_wait.no_show, by_wait.service,
            by_wait.serviced,
            Sum(called, window=Window(columns, order_by=[by_wait.wait])
                ).as_('running'),
            Sum(called, window=Window(columns)).as_('called'))
        columns = [Column(waits, f) for f in cls._keys]
        minute = Literal(60.0)
        waited = Sum(Case((waits.wait != Null, waits.tickets), else_=0))
        return waits.select(
            (Min(waits.first) if id_ is None else Literal(id_)).as_('id'),
            *[c.as_(f) for c, f in zip(columns, cls._keys)],
            Sum(waits.issued).as_('issued'),
            Sum(waits.served).as_('served'),
            Sum(waits.no_show).as_('no_show'),
            (Sum(waits.wait * waits.tickets) / minute
                / NullIf(waited, 0)).as_('average_wait'),
            (Min(Case((
                            (waits.wait != Null)
                            & (waits.running * 10 >= waits.called * 9),
                            waits.wait)))
                / minute).as_('p90_wait'),
            (Sum(waits.service) / minute
                / NullIf(Sum(waits.serviced), 0)).as_('average_service'),
            group_by=columns or None,
            having=(Sum(waits.tickets) > 0) if id_ is None else None)

    @classmethod
    def _key_expressions(cls, ticket):
        "The expressions on hall_ticket of the keys"
        return [getattr(ticket, c) for c in cls._key_columns()]

    @classmethod
    def _key_columns(cls):
        "The hall_ticket columns of the keys"
        return cls._keys


class TicketStatisticsMixin(TicketFiguresMixin, ModelSQL, ModelView):
    "The ticket figures by day and other keys"
    __slots__ = ()

    date = fields.Date(lazy_gettext('hall_queue.msg_statistics_date'))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC')] + [
            (k, 'ASC') for k in cls._keys if k != 'date'] + [('id', 'ASC')]


class StatisticsByDay(TicketStatisticsMixin):
    "Queue statistics by day"
    __name__ = 'hall.queue.statistics.day'
    _keys = ('date', 'hall')

    hall = fields.Many2One('hall.hall', "Hall")


class StatisticsByHour(TicketStatisticsMixin):
    "Queue statistics by hour"
    __name__ = 'hall.queue.statistics.hour'
    _keys = ('date', 'hour', 'hall')

    hour = fields.Integer("Hour")
    hall = fields.Many2One('hall.hall', "Hall")

    @classmethod
    def _key_columns(cls):
        return ('date', 'issued_hour', 'hall')


class StatisticsByQueue(TicketStatisticsMixin):
    "Queue statistics by queue"
    __name__ = 'hall.queue.statistics.queue'
    _keys = ('date', 'queue')

    queue = fields.Many2One('hall.queue', "Queue")


class _IdleMixin:
    "Idle time of the row: the pauses of its window or clerk that day"
    __slots__ = ()

    idle = fields.Function(
        fields.Float(
            lazy_gettext('hall_queue.msg_statistics_idle'), digits=(16, 1)),
        'get_idle')

    @classmethod
    def get_idle(cls, records, name):
        pool = Pool()
        Pause = pool.get('hall.window.pause')
        pause = Pause.__table__()
        cursor = Transaction().connection.cursor()
        key = cls._keys[1]
        result = dict.fromkeys([r.id for r in records], 0.0)
        rows = {(r.date, getattr(r, key).id if getattr(r, key) else None): r.id
            for r in records}
        dates = {r.date for r in records}
        if not dates:
            return result
        start, end = min(dates), max(dates) + dt.timedelta(days=1)
        # pauses are stored in UTC; the days of the rows are local to the
        # hall: the pause is counted on the local day it began
        cursor.execute(*pause.select(
                getattr(pause, key), pause.start, pause.seconds,
                where=(pause.seconds != Null)
                & (pause.start >= dt.datetime.combine(
                        start, dt.time()) - dt.timedelta(days=1))
                & (pause.start < dt.datetime.combine(end, dt.time())
                    + dt.timedelta(days=1))
                & getattr(pause, key).in_(
                    [k for _, k in rows if k is not None])))
        timezone = context_timezone()
        for owner, started, seconds in cursor:
            day = clock.to_local(started, timezone).date()
            record_id = rows.get((day, owner))
            if record_id is not None:
                result[record_id] += seconds / 60
        return result


class StatisticsByWindow(_IdleMixin, TicketStatisticsMixin):
    "Queue statistics by window"
    __name__ = 'hall.queue.statistics.window'
    _keys = ('date', 'window')

    window = fields.Many2One('hall.window', "Window")

    @classmethod
    def _where(cls, ticket):
        return super()._where(ticket) & (ticket.window != Null)


class StatisticsByClerk(_IdleMixin, TicketStatisticsMixin):
    "Queue statistics by clerk"
    __name__ = 'hall.queue.statistics.clerk'
    _keys = ('date', 'clerk')

    clerk = fields.Many2One('company.employee', "Clerk")

    @classmethod
    def _where(cls, ticket):
        return super()._where(ticket) & (ticket.clerk != Null)


class QueueMonitor(ServerReadonlyMixin, ModelSQL, ModelView):
    "Live queue monitor"
    __name__ = 'hall.queue.monitor'

    hall = fields.Many2One('hall.hall', "Hall")
    queue = fields.Many2One('hall.queue', "Queue")
    waiting = fields.Integer("Waiting")
    waiting_since = fields.Timestamp(
        "Longest Waiting Since", help="Issue time of the longest wait.")
    longest_wait = fields.Function(
        fields.Integer("Longest Wait Now (Minutes)"), 'get_longest_wait')
    open_windows = fields.Integer("Open Windows")
    paused_windows = fields.Integer("Paused Windows")
    estimated_wait = fields.Function(
        fields.Integer("Estimated Wait (Minutes)"), 'get_estimated_wait')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('hall', 'ASC'), ('queue', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Queue = pool.get('hall.queue')
        Ticket = pool.get('hall.ticket')
        QueueWindow = pool.get('hall.queue.window')
        Window = pool.get('hall.window')
        queue = Queue.__table__()
        ticket = Ticket.__table__()
        line = QueueWindow.__table__()
        window = Window.__table__()
        today = local_today()
        waiting = ticket.select(
            ticket.queue,
            Count(ticket.id).as_('waiting'),
            Min(ticket.issued_at).as_('since'),
            where=(ticket.state == 'waiting') & (ticket.date == today),
            group_by=[ticket.queue])
        windows = line.join(window, condition=line.window == window.id
            ).select(
            line.queue,
            Sum(Case((window.state == 'open', 1), else_=0)).as_('open'),
            Sum(Case((window.state == 'paused', 1), else_=0)).as_('paused'),
            group_by=[line.queue])
        return (queue
            .join(waiting, 'LEFT', condition=waiting.queue == queue.id)
            .join(windows, 'LEFT', condition=windows.queue == queue.id)
            .select(
                queue.id.as_('id'),
                queue.hall.as_('hall'),
                queue.id.as_('queue'),
                Coalesce(waiting.waiting, 0).as_('waiting'),
                waiting.since.as_('waiting_since'),
                Coalesce(windows.open, 0).as_('open_windows'),
                Coalesce(windows.paused, 0).as_('paused_windows'),
                where=queue.active == Literal(True)))

    def get_longest_wait(self, name):
        if not self.waiting_since:
            return 0
        return int((clock.utcnow() - self.waiting_since).total_seconds()
            // 60)

    def get_estimated_wait(self, name):
        return self.queue.estimated_wait


class WindowMonitor(ServerReadonlyMixin, ModelSQL, ModelView):
    "Live window monitor"
    __name__ = 'hall.window.monitor'

    hall = fields.Many2One('hall.hall', "Hall")
    window = fields.Many2One('hall.window', "Window")
    state = fields.Selection('get_window_states', "State")
    state_since = fields.Timestamp("Since")
    pause_reason = fields.Char("Pause Reason")
    ticket = fields.Many2One('hall.ticket', "Current Ticket")
    ticket_state = fields.Selection('get_ticket_states', "Ticket State")
    served_today = fields.Integer("Served Today")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('hall', 'ASC'), ('window', 'ASC'), ('id', 'ASC')]

    @classmethod
    def get_window_states(cls):
        Window = Pool().get('hall.window')
        return Window.fields_get(['state'])['state']['selection']

    @classmethod
    def get_ticket_states(cls):
        Ticket = Pool().get('hall.ticket')
        return [(None, '')] + Ticket.fields_get(['state'])['state'][
            'selection']

    @classmethod
    def table_query(cls):
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        Window = pool.get('hall.window')
        window = Window.__table__()
        current = Ticket.__table__()
        done = Ticket.__table__()
        served = done.select(
            done.window, Count(done.id).as_('served'),
            where=(done.state == 'done') & (done.date == local_today()),
            group_by=[done.window])
        in_hand = current.select(
            current.window, Max(current.id).as_('ticket'),
            where=current.state.in_(['called', 'serving']),
            group_by=[current.window])
        ticket = Ticket.__table__()
        return (window
            .join(in_hand, 'LEFT', condition=in_hand.window == window.id)
            .join(ticket, 'LEFT', condition=ticket.id == in_hand.ticket)
            .join(served, 'LEFT', condition=served.window == window.id)
            .select(
                window.id.as_('id'),
                window.hall.as_('hall'),
                window.id.as_('window'),
                window.state.as_('state'),
                window.state_since.as_('state_since'),
                window.pause_reason.as_('pause_reason'),
                ticket.id.as_('ticket'),
                ticket.state.as_('ticket_state'),
                Coalesce(served.served, 0).as_('served_today')))
