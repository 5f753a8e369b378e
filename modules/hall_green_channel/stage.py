# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.modules.hall.model import ServerReadonlyMixin


class Stage(
        ServerReadonlyMixin, sequence_ordered(), DeactivableMixin, ModelSQL,
        ModelView):
    "Stage of the approval of a project (立项, 用地, 规划, 施工许可, 竣工验收)"
    __name__ = 'hall.green_channel.stage'

    name = fields.Char("Name", required=True, translate=True)
    description = fields.Text("Description", translate=True)
