# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import (
    ModelSQL, ModelView, Workflow, fields, sequence_ordered)
from trytond.modules.hall.approval import ApprovalItemMixin
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.pyson import Eval

from .exceptions import ProjectError


class Item(
        ServerReadonlyMixin, ApprovalItemMixin,
        sequence_ordered('sequence', "Planned Order"),
        Workflow, ModelSQL, ModelView):
    "Approval item of a green-channel project"
    __name__ = 'hall.green_channel.item'
    _history = True
    _approval_parent = 'project'

    project = fields.Many2One(
        'hall.green_channel.project', "Project", required=True,
        ondelete='CASCADE',
        states={
            'readonly': Eval('state') != 'planned',
            })
    stage = fields.Many2One(
        'hall.green_channel.stage', "Stage", ondelete='RESTRICT',
        states={
            'readonly': Eval('state').in_(['done', 'cancelled']),
            })
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('project', 'DESC'), ('sequence', 'ASC NULLS LAST'),
            ('id', 'ASC')]

    @fields.depends('project', '_parent_project.party')
    def on_change_with_party(self, name=None):
        return self.project.party if self.project else None

    @classmethod
    def _open_parent_domain(cls):
        return [('project.state', 'in', ['accepted', 'in_progress'])]

    @classmethod
    def check_open(cls, items):
        super().check_open(items)
        for item in items:
            if item.project.state not in {'accepted', 'in_progress'}:
                raise ProjectError(gettext(
                        'hall_green_channel.msg_item_project_closed',
                        item=item.rec_name,
                        project=item.project.rec_name))
