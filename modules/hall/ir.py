# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond import backend
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .locking import begin_write, forget_reads


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

    def _get_many(self, n=1):
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
