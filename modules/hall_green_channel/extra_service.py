# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.transaction import Transaction

KINDS = [
    ('on_site', "On-Site Service"),
    ('appointment', "Appointment Service"),
    ('extended_hours', "Extended Hours"),
    ('other', "Other"),
    ]


class ExtraService(ServerReadonlyMixin, ModelSQL, ModelView):
    "Extra service given to a green-channel project (上门、预约、延时服务)"
    __name__ = 'hall.green_channel.extra_service'

    project = fields.Many2One(
        'hall.green_channel.project', "Project", required=True,
        ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    kind = fields.Selection(KINDS, "Kind", required=True)
    kind_string = kind.translated('kind')
    officer = fields.Many2One(
        'company.employee', "Officer", ondelete='RESTRICT',
        help="Who gave the service.")
    description = fields.Text("Description")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_kind(cls):
        return 'on_site'

    @classmethod
    def default_officer(cls):
        return Transaction().context.get('employee')
