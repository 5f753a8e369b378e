# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    proxy_cases = fields.One2Many(
        'hall.proxy.case', 'party', "Proxy Cases", readonly=True)
