# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from sql import Null
from sql.aggregate import Avg, Count

from trytond.i18n import gettext
from trytond.modules.hall import clock
from trytond.modules.hall.model import CodeSearchMixin, ServerReadonlyMixin
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import IssueError, QueueValidationError
from .queue_rules import estimated_wait_seconds, is_prefix, within

# Average service assumed for a queue that has served nobody yet
DEFAULT_SERVICE_SECONDS = 300


class Queue(
        ServerReadonlyMixin, CodeSearchMixin, DeactivableMixin, ModelSQL,
        ModelView):
    "Ticket queue (叫号队列)"
    __name__ = 'hall.queue'
    _rec_name_search_fields = ('prefix', 'name')

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='RESTRICT',
        states={'readonly': Eval('id', -1) >= 0})
    prefix = fields.Char(
        "Letter", required=True, size=1,
        help="The letter in front of the ticket numbers (A001).")
    name = fields.Char("Name", required=True)
    services = fields.Many2Many(
        'hall.queue-hall.service', 'queue', 'service', "Services",
        help="The services a citizen takes this queue for at the kiosk.")
    windows = fields.One2Many(
        'hall.queue.window', 'queue', "Windows",
        help="The windows that call this queue, in the order in which each "
        "window serves its queues.")
    open_time = fields.Time(
        "Tickets From", required=True,
        help="Local time from which tickets are issued.")
    close_time = fields.Time(
        "Tickets Until", required=True,
        help="Local time after which no ticket is issued.")
    daily_cap = fields.Integer(
        "Daily Cap", domain=['OR',
            ('daily_cap', '=', None), ('daily_cap', '>', 0)],
        help="Most tickets issued a day; empty for no limit.")
    weekend = fields.Boolean(
        "Weekend Service",
        help="Issues tickets on the hall's weekend service days "
        "(周末不打烊).")
    waiting = fields.Function(fields.Integer("Waiting"), 'get_live')
    open_windows = fields.Function(
        fields.Integer("Open Windows"), 'get_live')
    estimated_wait = fields.Function(
        fields.Integer("Estimated Wait (Minutes)",
            help="For a ticket taken now."), 'get_live')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('hall_prefix_unique', Unique(t, t.hall, t.prefix),
                'hall_queue.msg_queue_prefix_unique'),
            ]
        cls._order = [('hall', 'ASC'), ('prefix', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_open_time():
        return dt.time(8, 30)

    @staticmethod
    def default_close_time():
        return dt.time(17, 0)

    @fields.depends('prefix')
    def on_change_prefix(self):
        if self.prefix:
            self.prefix = self.prefix.strip().upper()

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('prefix'):
            values['prefix'] = values['prefix'].strip().upper()
        return values

    def get_rec_name(self, name):
        return f'{self.prefix} {self.name}'

    @classmethod
    def validate_fields(cls, queues, field_names):
        super().validate_fields(queues, field_names)
        for queue in queues:
            if not is_prefix(queue.prefix):
                raise QueueValidationError(gettext(
                        'hall_queue.msg_queue_prefix_letter',
                        prefix=queue.prefix))
            if queue.open_time >= queue.close_time:
                raise QueueValidationError(gettext(
                        'hall_queue.msg_queue_hours',
                        queue=queue.rec_name))
            for line in queue.windows:
                if line.window.hall != queue.hall:
                    raise QueueValidationError(gettext(
                            'hall_queue.msg_queue_window_hall',
                            window=line.window.rec_name,
                            queue=queue.rec_name))

    @property
    def timezone(self):
        return self.hall.company.timezone

    def local_now(self):
        return clock.local_now(self.timezone)

    def check_issuable(self, local):
        "Refuse, with the reason, a ticket asked at the local datetime"
        pool = Pool()
        CalendarDay = pool.get('hall.calendar.day')
        if not self.active:
            raise IssueError(gettext(
                    'hall_queue.msg_issue_queue_inactive', queue=self.name))
        day = local.date()
        working = CalendarDay.is_working_day(day)
        if not working and not (
                self.weekend and self.hall.weekend_service
                and day.weekday() >= 5):
            raise IssueError(gettext(
                    'hall_queue.msg_issue_closed_day',
                    queue=self.name, date=day.strftime('%Y-%m-%d')))
        if not within(local.time(), self.open_time, self.close_time):
            raise IssueError(gettext(
                    'hall_queue.msg_issue_out_of_hours',
                    queue=self.name,
                    open=self.open_time.strftime('%H:%M'),
                    close=self.close_time.strftime('%H:%M')))

    @classmethod
    def get_live(cls, queues, names):
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        QueueWindow = pool.get('hall.queue.window')
        Window = pool.get('hall.window')
        cursor = Transaction().connection.cursor()
        ticket = Ticket.__table__()
        line = QueueWindow.__table__()
        window = Window.__table__()
        ids = [q.id for q in queues]
        result = {name: dict.fromkeys(ids, 0) for name in names}

        waiting = dict.fromkeys(ids, 0)
        today_of = {q.id: q.local_now().date() for q in queues}
        for day in set(today_of.values()):
            cursor.execute(*ticket.select(
                    ticket.queue, Count(ticket.id),
                    where=ticket.queue.in_(
                        [i for i in ids if today_of[i] == day])
                    & (ticket.state == 'waiting') & (ticket.date == day),
                    group_by=[ticket.queue]))
            waiting.update(cursor)
        cursor.execute(*line.join(window,
                condition=line.window == window.id).select(
                line.queue, Count(window.id),
                where=line.queue.in_(ids) & (window.state == 'open'),
                group_by=[line.queue]))
        windows = dict.fromkeys(ids, 0)
        windows.update(cursor)
        if 'waiting' in names:
            result['waiting'] = waiting
        if 'open_windows' in names:
            result['open_windows'] = windows
        if 'estimated_wait' in names:
            for queue in queues:
                seconds = estimated_wait_seconds(
                    waiting[queue.id], queue.average_service_seconds(),
                    windows[queue.id])
                result['estimated_wait'][queue.id] = (
                    round(seconds / 60) if seconds is not None else None)
        return result

    def average_service_seconds(self):
        "Average duration of the latest services of the queue"
        pool = Pool()
        Ticket = pool.get('hall.ticket')
        Configuration = pool.get('hall.configuration')
        ticket = Ticket.__table__()
        cursor = Transaction().connection.cursor()
        sample = Configuration(1).estimate_sample
        latest = ticket.select(
            ticket.service_seconds.as_('seconds'),
            where=(ticket.queue == self.id) & (ticket.state == 'done')
            & (ticket.service_seconds != Null),
            order_by=[ticket.finished_at.desc], limit=sample)
        cursor.execute(*latest.select(Avg(latest.seconds)))
        average, = cursor.fetchone()
        return float(average) if average else DEFAULT_SERVICE_SECONDS


class QueueService(ModelSQL):
    "Services of a queue"
    __name__ = 'hall.queue-hall.service'

    queue = fields.Many2One(
        'hall.queue', "Queue", required=True, ondelete='CASCADE')
    service = fields.Many2One(
        'hall.service', "Service", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('queue_service_unique', Unique(t, t.queue, t.service),
                'hall_queue.msg_queue_service_unique'),
            ]


class QueueWindow(
        ServerReadonlyMixin, sequence_ordered(), ModelSQL, ModelView):
    "Window calling a queue"
    __name__ = 'hall.queue.window'

    queue = fields.Many2One(
        'hall.queue', "Queue", required=True, ondelete='CASCADE')
    window = fields.Many2One(
        'hall.window', "Window", required=True, ondelete='CASCADE',
        domain=[('hall', '=', Eval('hall', -1))])
    hall = fields.Function(
        fields.Many2One('hall.hall', "Hall"), 'on_change_with_hall')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('queue_window_unique', Unique(t, t.queue, t.window),
                'hall_queue.msg_queue_window_unique'),
            ]
        cls.sequence.help = (
            "A window calls its queues in this order: the first one that "
            "has people waiting, after the priority tickets of all.")

    @fields.depends('queue', '_parent_queue.hall', 'window',
        '_parent_window.hall')
    def on_change_with_hall(self, name=None):
        if self.queue and self.queue.hall:
            return self.queue.hall
        if self.window:
            return self.window.hall

    def get_rec_name(self, name):
        return f'{self.queue.rec_name} @ {self.window.rec_name}'
