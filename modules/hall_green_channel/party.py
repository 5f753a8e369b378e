# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import Pool, PoolMeta


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
