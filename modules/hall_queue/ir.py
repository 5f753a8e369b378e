# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('hall.ticket|expire_unserved',
                    "Expire Unserved Tickets"),
                ('hall.appointment|mark_missed',
                    "Mark Missed Appointments"),
                ('hall.kiosk.request|purge',
                    "Purge Kiosk Requests"),
                ])
