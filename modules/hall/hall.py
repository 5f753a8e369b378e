# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.url import http_base
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import HallValidationError, PublicAddressError
from .model import ServerReadonlyMixin
from .url_rules import is_public_address, is_web_address, page_url

ZONE_KINDS = [
    ('theme', "Theme Service"),
    ('consultation', "Consultation and Guidance"),
    ('self_service', "Self-Service"),
    ('green_channel', "Green Channel"),
    ('collection_issuing', "Collection and Issuing"),
    ]

_weekend_states = {
    'invisible': ~Eval('weekend_service'),
    'required': Eval('weekend_service', False),
    }


class Hall(ServerReadonlyMixin, DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'hall.hall'

    name = fields.Char("Name", required=True)
    code = fields.Char("Code")
    company = fields.Many2One('company.company', "Company", required=True)
    address = fields.Text("Address")
    phone = fields.Char("Phone")
    public_url = fields.Char(
        "Public Address",
        help="Address of the hall's web server as the public reaches it, "
        "for example https://zwfw.example.gov.cn: the QR codes printed for "
        "citizens (receipts, queue tickets) point to it.")
    morning_start = fields.Time("Morning Opens", required=True)
    morning_end = fields.Time("Morning Closes", required=True)
    afternoon_start = fields.Time("Afternoon Opens", required=True)
    afternoon_end = fields.Time("Afternoon Closes", required=True)
    weekend_service = fields.Boolean(
        "Weekend Service", help="Open on weekends (周末不打烊).")
    weekend_morning_start = fields.Time(
        "Weekend Morning Opens", states=_weekend_states)
    weekend_morning_end = fields.Time(
        "Weekend Morning Closes", states=_weekend_states)
    weekend_afternoon_start = fields.Time(
        "Weekend Afternoon Opens", states=_weekend_states)
    weekend_afternoon_end = fields.Time(
        "Weekend Afternoon Closes", states=_weekend_states)
    weekend_min_windows = fields.Integer(
        "Weekend Windows per Kind", states=_weekend_states,
        domain=[('weekend_min_windows', '>=', 0)],
        help="Least number of windows of each kind open in a weekend "
        "session.")
    zones = fields.One2Many('hall.zone', 'hall', "Zones")
    windows = fields.One2Many('hall.window', 'hall', "Windows")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code), 'hall.msg_hall_code_unique'),
            ]
        cls._order.insert(0, ('name', 'ASC'))

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @staticmethod
    def default_morning_start():
        return dt.time(9, 0)

    @staticmethod
    def default_morning_end():
        return dt.time(12, 0)

    @staticmethod
    def default_afternoon_start():
        return dt.time(14, 0)

    @staticmethod
    def default_afternoon_end():
        return dt.time(17, 30)

    @staticmethod
    def default_weekend_service():
        return True

    @staticmethod
    def default_weekend_morning_start():
        return dt.time(9, 0)

    @staticmethod
    def default_weekend_morning_end():
        return dt.time(11, 30)

    @staticmethod
    def default_weekend_afternoon_start():
        return dt.time(14, 0)

    @staticmethod
    def default_weekend_afternoon_end():
        return dt.time(17, 0)

    @staticmethod
    def default_weekend_min_windows():
        return 2

    @classmethod
    def validate_fields(cls, halls, field_names):
        super().validate_fields(halls, field_names)
        for hall in halls:
            hall.check_sessions()
            if 'public_url' in field_names:
                hall.check_public_url_form()

    def check_public_url_form(self):
        if self.public_url and not is_web_address(self.public_url):
            raise HallValidationError(gettext(
                    'hall.msg_hall_public_url_invalid',
                    hall=self.rec_name, address=self.public_url))

    def public_address(self):
        "The address set for the public to reach this hall's pages, or None"
        return (self.public_url or '').strip() or None

    def public_base(self):
        """The address the public reaches this hall's pages at: its public
        address, or else the address the server is configured with"""
        return self.public_address() or http_base()

    def page_url(self, path):
        "The public address of the page at `path` relative to /<db>/hall/"
        return page_url(
            self.public_base(), Transaction().database.name, path)

    def check_public_url(self, document):
        """Refuse to print `document` for citizens while its QR codes would
        point to an address they cannot reach"""
        base = self.public_base()
        if not is_public_address(base):
            raise PublicAddressError(gettext(
                    'hall.msg_hall_public_url_missing',
                    document=document, hall=self.rec_name, address=base))

    def check_sessions(self):
        sessions = [
            (self.morning_start, self.morning_end,
                self.afternoon_start, self.afternoon_end)]
        if self.weekend_service:
            sessions.append(
                (self.weekend_morning_start, self.weekend_morning_end,
                    self.weekend_afternoon_start,
                    self.weekend_afternoon_end))
        for times in sessions:
            times = [t for t in times if t is not None]
            if times != sorted(times) or len(set(times)) != len(times):
                raise HallValidationError(gettext(
                        'hall.msg_hall_sessions_order', hall=self.rec_name))


class Zone(
        ServerReadonlyMixin, sequence_ordered(), DeactivableMixin, ModelSQL,
        ModelView):
    __name__ = 'hall.zone'

    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    kind = fields.Selection(ZONE_KINDS, "Kind", required=True)
    windows = fields.One2Many(
        'hall.window', 'zone', "Windows",
        domain=[('hall', '=', Eval('hall', -1))])

    @staticmethod
    def default_kind():
        return 'theme'


class HallConfigStart(ModelView):
    __name__ = 'hall.hall.config.start'


class HallConfig(Wizard):
    "The first hall, in the configuration wizard of a new database"
    __name__ = 'hall.hall.config'

    start = StateView('hall.hall.config.start',
        'hall.hall_config_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("OK", 'hall', 'tryton-ok', default=True),
            ])
    hall = StateView('hall.hall', 'hall.hall_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Add", 'add', 'tryton-ok', default=True),
            ])
    add = StateTransition()

    def transition_add(self):
        self.hall.save()
        return 'end'

