# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Escalation of the work orders (升级督办): those redone too often or sent
through too many lead departments go to the supervising leader; the
liaisons, the supervisors and the leader are told by a notification."""
from trytond.i18n import gettext
from trytond.modules.hall import clock
from trytond.pool import Pool
from trytond.transaction import Transaction

from .hotline_rules import escalation_reasons


class EscalationMixin:
    __slots__ = ()

    @classmethod
    def escalate_if_due(cls, orders):
        """Escalate the orders that reached a limit of the configuration:
        redone too often, or through too many lead departments"""
        pool = Pool()
        Configuration = pool.get('hall.hotline.configuration')
        config = Configuration(1)
        due = []
        for order in orders:
            if order.escalated:
                continue
            reasons = escalation_reasons(order.redo_count or 0,
                (order.transfer_count or 0) + 1,
                config.redo_limit, config.transfer_limit)
            if reasons:
                due.append((order, reasons))
        if not due:
            return
        now = clock.utcnow()
        cls.write([o for o, _ in due], {
                'escalated': True, 'escalated_at': now})
        for order, reasons in due:
            reason = '；'.join(gettext(
                    f'hall_hotline.msg_escalation_{r}',
                    redo=order.redo_count or 0,
                    departments=(order.transfer_count or 0) + 1)
                for r in reasons)
            cls.record_step([order], 'escalate', reason=reason, now=now)
        cls.notify([o for o, _ in due], 'escalated')

    @classmethod
    def notify(cls, orders, event):
        """Tell the liaisons of each order's departments (and, when
        escalated, the supervising leader and the supervisors) in their
        language"""
        pool = Pool()
        Notification = pool.get('res.notification')
        Liaison = pool.get('hall.hotline.liaison')
        Configuration = pool.get('hall.hotline.configuration')
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        ActWindow = pool.get('ir.action.act_window')
        action = ActWindow(ModelData.get_id(
                'hall_hotline', 'act_order_form')).action
        config = Configuration(1)
        notifications = []
        for order in orders:
            departments = [d.id for d in filter(None,
                    [order.lead_department, *order.assisting_departments])]
            users = set(Liaison.users_of(departments))
            if event == 'escalated':
                if config.supervising_leader:
                    users.add(config.supervising_leader)
                users.update(User.search([('groups', '=', ModelData.get_id(
                                'hall_hotline',
                                'group_hotline_supervisor'))]))
            for user in sorted(users, key=lambda u: u.id):
                language = user.language.code if user.language else None
                with Transaction().set_context(language=language):
                    label = gettext(f'hall_hotline.msg_notify_{event}',
                        order=order.rec_name)
                    description = order.subject
                notifications.append(Notification(
                        user=user, icon='tryton-warning', label=label,
                        description=description, action=action,
                        action_value='{"res_id": [%d]}' % order.id))
        Notification.save(notifications)
