# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Green-channel priority of the queue tickets (with hall_queue): a ticket
of an enterprise with an active green-channel project is called first."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import without_check_access

from .project import ACTIVE_STATES


class Ticket(metaclass=PoolMeta):
    __name__ = 'hall.ticket'

    green_channel_project = fields.Many2One(
        'hall.green_channel.project', "Green-Channel Project",
        ondelete='RESTRICT', readonly=True,
        domain=[
            ('party', '=', Eval('party', -1)),
            If(Eval('state') == 'waiting',
                ('state', 'in', ACTIVE_STATES),
                ()),
            ],
        help="The green-channel project the ticket was issued for: "
        "it gives the ticket the green-channel priority.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        selection = list(cls.priority.selection)
        appointment = [key for key, _ in selection].index('appointment')
        selection.insert(appointment + 1, ('green_channel', "Green Channel"))
        cls.priority.selection = selection

    @classmethod
    def priority_ranks(cls):
        "Called after the appointments due now, before everybody else"
        ranks = super().priority_ranks()
        ranks['green_channel'] = 1
        return ranks

    @classmethod
    def issue(cls, queue, channel, **values):
        project = cls.issue_green_channel_project(values)
        if project:
            values['green_channel_project'] = project.id
            if not values.get('party'):
                values['party'] = project.party.id
        return super().issue(queue, channel, **values)

    @classmethod
    def issue_green_channel_project(cls, values):
        """The green-channel project of the ticket about to be issued with
        `values`: the one given or the active project of the party"""
        pool = Pool()
        Project = pool.get('hall.green_channel.project')
        Party = pool.get('party.party')
        # The kiosk and the clerks issue tickets without access to the
        # projects; the project's number is all the ticket shows of it.
        with without_check_access():
            if values.get('green_channel_project'):
                return Project(int(values['green_channel_project']))
            if values.get('party'):
                return Project.active_project_of(Party(int(values['party'])))

    @classmethod
    def issue_priority(cls, queue, values):
        priority = super().issue_priority(queue, values)
        ranks = cls.priority_ranks()
        if (values.get('green_channel_project')
                and ranks['green_channel'] < ranks[priority]):
            # An appointment due now keeps its better place
            priority = 'green_channel'
        return priority

    @classmethod
    def copy(cls, tickets, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('green_channel_project', None)
        return super().copy(tickets, default=default)
