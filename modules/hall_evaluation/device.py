# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Window devices (评价器): the rating pads beside the windows.

The hall manager registers a device for a window through a wizard that
shows its key once; only the SHA-256 of the key is stored.  The device's
page keeps the key and sends it with each request (header X-Device-Key):
without a key of an active device of that window, the device endpoints
refuse (hall_evaluation.routes).  A lost or replaced device is revoked."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.hall.model import CheckedWizardMixin, ServerReadonlyMixin
from trytond.modules.hall.workflow import strict_transition
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import (
    DeviceAccessError, DeviceAuthenticationError, EvaluationAccessError)
from .rating_rules import device_path, hash_device_key, new_device_key

DEVICE_STATES = [
    ('active', "Active"),
    ('revoked', "Revoked"),
    ]
# A key is 43 characters (new_device_key); anything much longer is not one
KEY_MAX_LENGTH = 128
# The device's polls record its last use at most once a minute
TOUCH_INTERVAL = dt.timedelta(minutes=1)


class Device(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    "Window rating device"
    __name__ = 'hall.evaluation.device'

    name = fields.Char(
        "Name", required=True, size=64,
        states={'readonly': Eval('state') != 'active'},
        help="To tell the device apart, for example \"A01 评价器\".")
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    window = fields.Many2One(
        'hall.window', "Window", required=True, readonly=True,
        ondelete='CASCADE')
    # Lazy: no role reads it (field access), clients read the rest
    key_hash = fields.Char(
        "Key Hash", required=True, readonly=True, strip=False,
        loading='lazy',
        help="The SHA-256 of the key: the key itself is not kept.")
    key_hint = fields.Char(
        "Key Ends with", readonly=True,
        help="The last characters of the key, to recognise it.")
    state = fields.Selection(
        DEVICE_STATES, "State", required=True, readonly=True, sort=False)
    registered_by = fields.Many2One(
        'res.user', "Registered by", readonly=True)
    registered_at = fields.Timestamp("Registered at", readonly=True)
    revoked_by = fields.Many2One('res.user', "Revoked by", readonly=True)
    revoked_at = fields.Timestamp("Revoked at", readonly=True)
    last_used_at = fields.Timestamp(
        "Last Used", readonly=True,
        help="The last request of the device (to the minute).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('key_hash_unique', Unique(t, t.key_hash),
                'hall_evaluation.msg_device_key_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.window, Index.Equality())))
        cls._order = [('window', 'ASC'), ('id', 'DESC')]
        cls._transitions |= {('active', 'revoked')}
        cls._buttons.update({
                'revoke': {
                    'invisible': Eval('state') != 'active',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'active'

    def get_rec_name(self, name):
        return '%s (%s)' % (self.name, self.window.rec_name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('name', operator, operand, *extra),
            ('window.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def copy(cls, devices, default=None):
        if devices:
            # A copy would share the key
            raise EvaluationAccessError(gettext(
                    'hall_evaluation.msg_device_copy'))
        return super().copy(devices, default=default)

    @classmethod
    def register(cls, window, name):
        """Register a device for `window`; return it and its key, which is
        not kept and cannot be read again"""
        key = new_device_key()
        device, = cls.create([{
                    'name': name,
                    'window': window.id,
                    'company': window.hall.company.id,
                    'key_hash': hash_device_key(key),
                    'key_hint': key[-4:],
                    'registered_by': Transaction().user,
                    'registered_at': dt.datetime.now(),
                    }])
        return device, key

    def page_url(self, key=None):
        "The public address of the device's page, with `key` to keep"
        return self.window.hall.page_url(device_path(self.window.id, key))

    @classmethod
    def authenticate(cls, key, window_id):
        """The active device of window `window_id` whose key is `key`;
        raise DeviceAuthenticationError without a key or with an unknown
        one, DeviceAccessError with the key of a revoked device or of
        another window"""
        if not key or len(key) > KEY_MAX_LENGTH:
            raise DeviceAuthenticationError(gettext(
                    'hall_evaluation.msg_device_key_missing'))
        devices = cls.search([
                ('key_hash', '=', hash_device_key(key)),
                ], limit=1)
        if not devices:
            raise DeviceAuthenticationError(gettext(
                    'hall_evaluation.msg_device_key_unknown'))
        device, = devices
        if device.state != 'active':
            raise DeviceAccessError(gettext(
                    'hall_evaluation.msg_device_revoked'))
        if device.window.id != window_id:
            raise DeviceAccessError(gettext(
                    'hall_evaluation.msg_device_other_window'))
        return device

    def touch(self):
        "Record the use of the device, at most once a minute"
        now = dt.datetime.now()
        if self.last_used_at and now - self.last_used_at < TOUCH_INTERVAL:
            return
        self.__class__.write([self], {'last_used_at': now})

    @classmethod
    @ModelView.button
    @strict_transition('revoked')
    def revoke(cls, devices):
        cls.write(devices, {
                'revoked_by': Transaction().user,
                'revoked_at': dt.datetime.now(),
                })


class DeviceRegisterStart(ServerReadonlyMixin, ModelView):
    "Register a window rating device"
    __name__ = 'hall.evaluation.device.register.start'

    window = fields.Many2One('hall.window', "Window", required=True)
    name = fields.Char("Name", required=True, size=64)

    @fields.depends('window', 'name')
    def on_change_window(self):
        if self.window and not self.name:
            self.name = gettext(
                'hall_evaluation.msg_device_default_name',
                window=self.window.number)


class DeviceRegisterDone(ModelView):
    "Window rating device registered"
    __name__ = 'hall.evaluation.device.register.done'

    device = fields.Many2One(
        'hall.evaluation.device', "Device", readonly=True)
    key = fields.Char(
        "Key", readonly=True,
        help="Shown only now: it is not kept and cannot be read again.")
    url = fields.Char(
        "Address for the Device", readonly=True,
        help="Open it once on the device: the page keeps the key.")


class DeviceRegister(CheckedWizardMixin, Wizard):
    "Register a window rating device"
    __name__ = 'hall.evaluation.device.register'

    start = StateView(
        'hall.evaluation.device.register.start',
        'hall_evaluation.device_register_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Register", 'register', 'tryton-ok', default=True),
            ])
    register = StateTransition()
    done = StateView(
        'hall.evaluation.device.register.done',
        'hall_evaluation.device_register_done_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        if self.model and self.model.__name__ == 'hall.window' and self.record:
            return {
                'window': self.record.id,
                'name': gettext(
                    'hall_evaluation.msg_device_default_name',
                    window=self.record.number),
                }
        return {}

    def transition_register(self):
        pool = Pool()
        Device = pool.get('hall.evaluation.device')
        # the key lives only in this request: it is shown by default_done
        self._device, self._key = Device.register(
            self.start.window, self.start.name)
        return 'done'

    def default_done(self, fields):
        device = getattr(self, '_device', None)
        key = getattr(self, '_key', None)
        if device is None or key is None:
            return {}
        return {
            'device': device.id,
            'key': key,
            'url': device.page_url(key),
            }
