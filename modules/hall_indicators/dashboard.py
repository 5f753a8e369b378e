# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The leadership's dashboard: the leader's home in the web client"
from trytond.pool import Pool, PoolMeta


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def _get_preferences(cls, user, context_only=False):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Action = pool.get('ir.action')
        preferences = super()._get_preferences(
            user, context_only=context_only)
        # a leader who has not chosen the actions run at login opens the
        # dashboard
        if not context_only and not preferences.get('actions'):
            leader = ModelData.get_id('hall', 'group_hall_leader')
            if leader in {g.id for g in user.groups}:
                preferences['actions'] = [Action.get_action_id(
                        ModelData.get_id('hall_indicators', 'act_dashboard'))]
        return preferences
