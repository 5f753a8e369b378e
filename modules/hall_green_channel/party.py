# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.modules.hall.party import check_erase_open
from trytond.pool import Pool, PoolMeta

from .project import ACTIVE_STATES


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    green_channel_projects = fields.One2Many(
        'hall.green_channel.project', 'party', "Green-Channel Projects",
        readonly=True)
    green_channel_project = fields.Function(
        fields.Many2One(
            'hall.green_channel.project', "Active Green-Channel Project",
            help="The project of the enterprise accepted or in progress "
            "in the green channel."),
        'get_green_channel_project')

    def get_green_channel_project(self, name):
        Project = Pool().get('hall.green_channel.project')
        project = Project.active_project_of(self)
        return project.id if project else None

    @classmethod
    def personal_data_groups(cls):
        return super().personal_data_groups() | {
            ('hall_green_channel', 'group_green_channel_officer')}


class PartyReplace(metaclass=PoolMeta):
    __name__ = 'party.replace'

    @classmethod
    def fields_to_replace(cls):
        return super().fields_to_replace() + [
            ('hall.green_channel.project', 'party'),
            ]


class PartyErase(metaclass=PoolMeta):
    __name__ = 'party.erase'

    def check_erase(self, party):
        super().check_erase(party)
        check_erase_open(party, 'hall.green_channel.project', [
                ('party', '=', party.id),
                ('state', 'in', ['draft'] + ACTIVE_STATES),
                ])
