# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The leadership's dashboard: the leader's home in the web client"
from lxml import etree

from trytond.pool import Pool, PoolMeta

from .indicator_rules import DASHBOARD_LISTS, REPORT_AREAS


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


class View(metaclass=PoolMeta):
    __name__ = 'ir.ui.view'

    def view_get(self, model=None):
        result = super().view_get(model=model)
        if (self.module, self.name) == ('hall_indicators', 'dashboard_board'):
            # the cached result is immutable
            result = dict(result, arch=self.dashboard_arch(result['arch']))
        return result

    @classmethod
    def dashboard_arch(cls, arch):
        """The dashboard with the board of each area activated beside the
        applications' (act_indicator_<area>_board, created with the module
        of the area), followed by the area's other lists
        (act_indicator_<area>_<list>, DASHBOARD_LISTS)"""
        ModelData = Pool().get('ir.model.data')
        tree = etree.fromstring(arch)
        applications = tree.find(
            "action[@name='hall_indicators.act_indicator_application_board']")
        position = list(tree).index(applications) + 1
        actions = [f'hall_indicators.act_indicator_{area}_{list_}'
            for area in REPORT_AREAS
            for list_ in ['board'] + DASHBOARD_LISTS.get(area, [])]
        for action in reversed(actions):
            if tree.find(f"action[@name='{action}']") is not None:
                continue
            try:
                ModelData.get_id(action)
            except KeyError:
                continue
            tree.insert(position, etree.Element('action', name=action))
        return etree.tostring(tree, encoding='unicode')
