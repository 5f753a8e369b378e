# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.modules.hall.health import check
from trytond.pool import Pool, PoolMeta

from .rating_rules import is_public_address


class Health(metaclass=PoolMeta):
    __name__ = 'hall.health'

    @classmethod
    def checks(cls):
        return super().checks() + [cls.check_public_address()]

    @classmethod
    def check_public_address(cls):
        "The QR codes printed for citizens point to an address they reach"
        Configuration = Pool().get('hall.evaluation.configuration')
        address = Configuration(1).public_base()
        if not is_public_address(address):
            return check('public_address', 'failure',
                gettext('hall_evaluation.msg_health_public_address_missing',
                    address=address),
                gettext('hall_evaluation.msg_health_public_address_advice'),
                module='hall_evaluation')
        return check('public_address', 'ok',
            gettext('hall_evaluation.msg_health_public_address_ok',
                address=address),
            module='hall_evaluation')
