# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.pool import PoolMeta
from trytond.transaction import Transaction


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def _get_cache_key(cls, model_names):
        key = super()._get_cache_key(model_names)
        return (*key, Transaction().user)

    @classmethod
    def _get_context(cls, model_name):
        context = super()._get_context(model_name)
        # The record rules of articles speak of the user: own drafts,
        # articles reviewed by the user.
        context['user_id'] = Transaction().user
        return context


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('content.channel|monitor',
                "Monitor Website Columns and New-Media Accounts"))
