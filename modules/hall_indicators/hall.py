# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Halls in a hierarchy: 市级, 区县级, 镇街, 村居"
from trytond.i18n import gettext
from trytond.model import fields, tree
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, inactive_records

from .exceptions import HallLevelError
from .indicator_rules import LEVEL_RANKS

LEVELS = [
    ('city', "City"),
    ('district', "District or County"),
    ('town', "Town or Street"),
    ('village', "Village or Community"),
    ]


class Hall(tree(), metaclass=PoolMeta):
    __name__ = 'hall.hall'

    level = fields.Selection(LEVELS, "Level", required=True,
        help="The administrative level the hall serves (市级, 区县级, 镇街, "
        "村居).")
    parent = fields.Many2One(
        'hall.hall', "Parent Hall", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('id', '!=', Eval('id', -1)),
            ],
        help="The hall of the level above that this one reports to.")
    level_string = level.translated('level')
    children = fields.One2Many(
        'hall.hall', 'parent', "Halls Below", readonly=True)

    @staticmethod
    def default_level():
        return 'district'

    @classmethod
    def validate_fields(cls, halls, field_names):
        super().validate_fields(halls, field_names)
        if field_names & {'level', 'parent'}:
            cls.check_levels(halls)

    @classmethod
    def check_levels(cls, halls):
        "A hall's parent is of a higher level, and so are its children"
        with inactive_records():
            halls = cls.browse(halls)
            for hall in halls:
                pairs = [(hall.parent, hall)] if hall.parent else []
                pairs += [(hall, child) for child in hall.children]
                for parent, child in pairs:
                    if LEVEL_RANKS[parent.level] >= LEVEL_RANKS[child.level]:
                        raise HallLevelError(gettext(
                                'hall_indicators.msg_hall_parent_level',
                                hall=child.rec_name,
                                level=child.level_string,
                                parent=parent.rec_name,
                                parent_level=parent.level_string))

    def public_address(self):
        "A hall without a public address of its own is reached at its parent's"
        address = super().public_address()
        if not address and self.parent:
            return self.parent.public_address()
        return address

    @classmethod
    def indicator_scope(cls):
        """The ids of the halls the indicators of the context cover: the
        context's `hall` (with the halls below it when `sub_halls`), else
        every hall of the context's company"""
        context = Transaction().context
        hall = context.get('hall')
        if hall and not context.get('sub_halls'):
            return [hall]
        if hall:
            domain = [('parent', 'child_of', [hall])]
        else:
            domain = [('company', '=', context.get('company', -1))]
        with inactive_records():
            return [h.id for h in cls.search(domain)]


def scope_halls():
    return Pool().get('hall.hall').indicator_scope()
