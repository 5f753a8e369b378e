# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from sql import Conflict, Flavor

from trytond import backend
from trytond.i18n import lazy_gettext
from trytond.model import ModelSQL, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .locking import begin_write, forget_reads
from .sequence_rules import RESETS, numbering_period


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def _get_cache_key(cls, model_names):
        pool = Pool()
        User = pool.get('res.user')
        Date = pool.get('ir.date')
        key = super()._get_cache_key(model_names)
        # The windows a roster opens change with the day; a change of the
        # roster or of the follow-up days clears the cache (hall.roster.shift)
        return (*key, Transaction().user, User.get_employees(), Date.today())

    @classmethod
    def _get_context(cls, model_name):
        pool = Pool()
        User = pool.get('res.user')
        RosterShift = pool.get('hall.roster.shift')
        context = super()._get_context(model_name)
        # Record rules of the hall speak of the user and their employees,
        # and of the windows rostered to them: today, and in the follow-up
        # days before (the hall configuration).
        employees = User.get_employees()
        context['user_id'] = Transaction().user
        context['employees'] = employees
        follow_up, today = RosterShift.rostered_windows(employees)
        context['rostered_windows'] = follow_up
        context['rostered_windows_today'] = today
        return context


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('hall.application|mark_timeliness',
                    "Mark Overdue and Due-Soon Applications"),
                ('hall.calendar.day|seed_next_years',
                    "Import Public Holidays"),
                ('hall.calendar.year|notify_unconfirmed',
                    "Notify Unconfirmed Public Holidays"),
                ])


class SequenceMixin:
    __slots__ = ()

    reset = fields.Selection(
        RESETS, lazy_gettext('hall.msg_sequence_reset'),
        states={'invisible': Eval('type') != 'incremental'},
        help=lazy_gettext('hall.msg_sequence_reset_help'))

    @classmethod
    def on_modification(cls, mode, sequences, field_names=None):
        super().on_modification(mode, sequences, field_names=field_names)
        if mode == 'write' and 'reset' in field_names:
            # numbers already given this period are not given again
            Period = Pool().get('hall.sequence.period')
            for sequence in sequences:
                if sequence.reset and sequence.type == 'incremental':
                    Period.start(sequence, sequence.number_next or 1)

    def _get_many(self, n=1):
        if self.reset and self.type == 'incremental':
            Period = Pool().get('hall.sequence.period')
            step = n * self.number_increment
            end = Period.advance(self, step)
            for number in range(end - step, end, self.number_increment):
                yield f'{number:0>{self.padding}d}'
            return
        if backend.name != 'sqlite' or self.type != 'incremental':
            yield from super()._get_many(n=n)
            return
        # SQLite has no SQL sequence and no row lock: trytond reads the next
        # number, then writes it, and two requests between the read and the
        # write both take the same number.  Here the number is incremented
        # first, under the single writer's lock, then read (hall.locking).
        begin_write()
        table = self.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        step = n * self.number_increment
        cursor.execute(*table.update(
                [table.number_next_internal],
                [table.number_next_internal + step],
                where=table.id == self.id))
        cursor.execute(*table.select(table.number_next_internal,
                where=table.id == self.id))
        end, = cursor.fetchone()
        forget_reads(self.__class__, [self.id])
        self._local_cache.pop(self.id, None)
        for number in range(end - step, end, self.number_increment):
            yield f'{number:0>{self.padding}d}'


class Sequence(SequenceMixin, metaclass=PoolMeta):
    __name__ = 'ir.sequence'


class SequenceStrict(SequenceMixin, metaclass=PoolMeta):
    __name__ = 'ir.sequence.strict'


class SequencePeriod(ModelSQL):
    """The next number of a sequence restarting each year or month, in one
    period: a row per sequence and period, advanced in one statement"""
    __name__ = 'hall.sequence.period'

    sequence = fields.Reference("Sequence", [
            ('ir.sequence', "Sequence"),
            ('ir.sequence.strict', "Sequence Strict"),
            ], required=True)
    period = fields.Char("Period", required=True)
    number_next = fields.Integer("Next Number", required=True)

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        table = cls.__table__()
        # ON CONFLICT needs a unique index, on SQLite too (where trytond
        # does not add the unique constraints)
        Transaction().connection.cursor().execute(
            f'CREATE UNIQUE INDEX IF NOT EXISTS "{table._name}_unique" '
            f'ON "{table._name}" ("sequence", "period")')

    @classmethod
    def _period(cls, sequence):
        Date = Pool().get('ir.date')
        date = Transaction().context.get('date') or Date.today()
        return numbering_period(sequence.reset, date)

    @classmethod
    def advance(cls, sequence, step):
        """Take `step` numbers of the period of the context's date (today
        without one); return the number after the last one taken"""
        begin_write()
        param = Flavor.get().param
        name = cls._table
        # the existing row is named by its table: SQLite knows no alias
        # in the update of an upsert
        cursor = Transaction().connection.cursor()
        cursor.execute(
            f'INSERT INTO "{name}" ("sequence", "period", "number_next") '
            f'VALUES ({param}, {param}, {param}) '
            'ON CONFLICT ("sequence", "period") DO UPDATE '
            f'SET "number_next" = "{name}"."number_next" + {param} '
            'RETURNING "number_next"',
            (str(sequence), cls._period(sequence), 1 + step, step))
        end, = cursor.fetchone()
        return end

    @classmethod
    def start(cls, sequence, number_next):
        """Make the numbering of the current period go on from
        `number_next`, unless it has a row already"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.insert(
                [table.sequence, table.period, table.number_next],
                [[str(sequence), cls._period(sequence), number_next]],
                on_conflict=Conflict(table,
                    indexed_columns=[table.sequence, table.period])))
