# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('hall.evaluation.rectification|mark_overdue',
                    "Flag Overdue Rectifications"),
                ('hall.evaluation.ranking|compute_last_month',
                    "Rank the Windows of Last Month"),
                ])
