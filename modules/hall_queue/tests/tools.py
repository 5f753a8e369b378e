# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Test helpers of the queue: a hall with queues and a clock to move."
import datetime as dt
from contextlib import contextmanager
from unittest.mock import patch

from trytond.modules.hall import clock
from trytond.modules.hall.tests.tools import HallData, in_parallel
from trytond.pool import Pool

__all__ = ['QueueData', 'at', 'in_parallel', 'MONDAY_10']

# Monday 23 November 2026, a working day, 10:00 in Shanghai
MONDAY_10 = dt.datetime(2026, 11, 23, 2, 0)


@contextmanager
def at(utc):
    "Run with the queue's clock (UTC) set to `utc`"
    with patch.object(clock, 'utcnow', return_value=utc):
        yield


class QueueData(HallData):
    """The hall of HallData in Shanghai with queue A (food licences) called
    by A01 then A02, and queue B (registrations) called by A02 only."""

    def __init__(self):
        super().__init__()
        pool = Pool()
        Queue = pool.get('hall.queue')
        self.company.timezone = 'Asia/Shanghai'
        self.company.save()
        self.queue_a, self.queue_b = Queue.create([{
                    'hall': self.hall.id, 'prefix': 'A', 'name': "食品经营",
                    'services': [('add', [self.licence.id])],
                    'windows': [('create', [
                                {'window': self.a01.id, 'sequence': 1},
                                {'window': self.a02.id, 'sequence': 2},
                                ])],
                    }, {
                    'hall': self.hall.id, 'prefix': 'B', 'name': "个体登记",
                    'services': [('add', [self.registration.id])],
                    'windows': [('create', [
                                {'window': self.a02.id, 'sequence': 1},
                                ])],
                    }])

    def open_windows(self, *windows):
        Window = Pool().get('hall.window')
        Window.open(list(windows) or [self.a01, self.a02])

    def issue(self, queue=None, channel='kiosk', **values):
        Ticket = Pool().get('hall.ticket')
        return Ticket.issue(queue or self.queue_a, channel, **values)
