# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Id

CATEGORIES = [
    ('consultation', "Consultation"),
    ('help', "Request for Help"),
    ('complaint', "Complaint"),
    ('report', "Report"),
    ('suggestion', "Suggestion"),
    ('praise', "Praise"),
    ('efficiency', "Efficiency Complaint"),
    ]

URGENCIES = [
    ('normal', "Normal"),
    ('urgent', "Urgent"),
    ('very_urgent', "Very Urgent"),
    ]

# The states of an order in which its deadlines may be paused
PAUSABLE_STATES = [
    ('returned', "Returned"),
    ('answered', "Answered"),
    ('reviewed', "Awaiting Follow-up"),
    ]

UNITS = [
    ('days', "Working Days"),
    ('hours', "Hours"),
    ]


def _default_sequence():
    ModelData = Pool().get('ir.model.data')
    try:
        return ModelData.get_id('hall_hotline', 'sequence_order')
    except KeyError:
        return None


class Configuration(ServerReadonlyMixin, ModelSingleton, ModelSQL, ModelView):
    __name__ = 'hall.hotline.configuration'

    order_sequence = fields.Many2One(
        'ir.sequence', "Work Order Sequence", required=True,
        domain=[('sequence_type', '=',
                Id('hall_hotline', 'sequence_type_order'))])
    repeat_days = fields.Integer(
        "Repeated within (days)", required=True,
        domain=[('repeat_days', '>=', 0)],
        help="An order from the same caller or on the same subject as "
        "another registered within these days is marked repeated.")
    sensitive_words = fields.Text(
        "Sensitive Words",
        help="One word a line: an order whose subject or content holds one "
        "is marked sensitive for the weekly bulletin.")
    paused_states = fields.MultiSelection(
        PAUSABLE_STATES, "Deadlines Paused in",
        help="The time an order spends in these states does not count "
        "against its answer deadline.")
    redo_limit = fields.Integer(
        "Escalate after Redo Orders", required=True,
        domain=[('redo_limit', '>=', 0)],
        help="An order redone this many times goes to the supervising "
        "leader (0: never).")
    transfer_limit = fields.Integer(
        "Escalate after Departments", required=True,
        domain=[('transfer_limit', '>=', 0)],
        help="An order dispatched to this many lead departments goes to the "
        "supervising leader (0: never).")
    supervising_leader = fields.Many2One(
        'res.user', "Supervising Leader",
        help="The leader escalated orders go to; every hotline supervisor "
        "is told too.")

    @classmethod
    def default_order_sequence(cls):
        return _default_sequence()

    @classmethod
    def default_repeat_days(cls):
        return 30

    @classmethod
    def default_paused_states(cls):
        return ['returned']

    @classmethod
    def default_redo_limit(cls):
        return 3

    @classmethod
    def default_transfer_limit(cls):
        return 3

    @classmethod
    def default_sensitive_words(cls):
        return '\n'.join([
                "群体性", "上访", "集访", "自杀", "跳楼", "媒体曝光", "堵路",
                "拉横幅", "食物中毒", "火灾", "安全事故", "欠薪"])
