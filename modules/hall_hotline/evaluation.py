# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""12345 work orders with hall_evaluation (好差评):

- the follow-up of an order that names an application (办件) is the
  citizen's rating of that application on the 12345 channel: when the
  order is closed, the caller reached and their satisfaction asked, the
  rating is entered in the name of the supervisor who closed it, as
  hall_evaluation enters the ratings of its staff channels
  (Evaluation.enter), and a bad one opens its rectification there;
- an efficiency complaint (效能投诉) about a window or a clerk opens a
  rectification (整改单) of its own once its answer is approved, followed
  by the evaluation supervisors through the rectification's workflow.

The dispatchers and the hotline supervisors are in no group of
hall_evaluation: the rating and the rectification are the system's
bookkeeping of their acts, written without the access checks, and the
rating names who entered it (entered_by) as the rectification its creator
(create_uid)."""
from trytond.i18n import gettext
from trytond.model import Unique, fields
from trytond.modules.hall.party import unmasked
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .hotline_rules import rating_level


class Order(metaclass=PoolMeta):
    __name__ = 'hall.hotline.order'

    evaluations = fields.One2Many(
        'hall.evaluation', 'hotline_order', "Rating", readonly=True,
        help="The 好差评 rating of the application that the follow-up "
        "gave.")
    rectifications = fields.One2Many(
        'hall.evaluation.rectification', 'hotline_order', "Rectification",
        readonly=True,
        help="The rectification the efficiency complaint or the bad "
        "follow-up opened.")

    @classmethod
    def approve(cls, orders):
        super().approve(orders)
        # The efficiency complaint is rectified once its answer is approved:
        # by then the lead department has checked the complaint and given
        # its findings (the reply), which the dispatcher accepted; opened
        # at registration it would rectify what nobody verified yet, at the
        # close it would wait for the follow-up call. A redone order, whose
        # answer is approved again, keeps its first rectification.
        with without_check_access():
            cls.open_rectifications(cls.browse([o.id for o in orders]))

    @classmethod
    def open_rectifications(cls, orders):
        "Open the rectification of the approved efficiency complaints"
        Rectification = Pool().get('hall.evaluation.rectification')
        complaints = [o for o in orders
            if o.state == 'reviewed'
            and o.category == 'efficiency'
            and (o.window or o.employee)
            and not o.rectifications]
        if complaints:
            Rectification.create_from_hotline_orders(complaints)

    @classmethod
    def close(cls, orders):
        # Only the orders this close concludes: the transition leaves the
        # closed ones as they are (a button pressed again)
        with without_check_access():
            followed_up = [o.id for o in cls.browse([o.id for o in orders])
                if o.state == 'reviewed']
        super().close(orders)
        # The rating is taken at the final close only: a redo order (重办)
        # is sent back to its department from the follow-up, not closed
        with without_check_access():
            cls.rate_applications(cls.browse(followed_up))

    @classmethod
    def rate_applications(cls, orders):
        """Enter the follow-up of the closed `orders` as the 好差评 rating,
        on the 12345 channel, of the application each names"""
        Evaluation = Pool().get('hall.evaluation')
        if not Transaction().user:
            # a rating of a staff channel names the staff member who
            # entered it: the root user is none
            return
        for order in orders:
            values = order.rating_values()
            if values:
                Evaluation.enter(values)

    def rating_values(self):
        """The values of the rating of the application given by the
        follow-up of the order, None when the follow-up is no rating"""
        application = self.application
        level = rating_level(self.satisfaction)
        if (self.state != 'closed' or not application or self.anonymous
                or self.reached != 'reached' or not level):
            return None
        # One service, one rating (hall_evaluation): an application already
        # rated, at the window, by its QR code or by an earlier order, keeps
        # that rating; an application not received has nothing to rate
        if (self.evaluations or application.evaluations
                or application.state == 'draft'):
            return None
        # The follow-up is recorded when the supervisor closes the order
        rated_at = self.closed_at
        if (application.received_date
                and self.local(rated_at).date()
                < application.received_date):
            return None
        # The rater is the caller as stored, whoever closes the order
        with unmasked():
            order = self.__class__(self.id)
            rater_name = order.caller_name or (
                order.caller.name if order.caller else None)
            rater_phone = order.caller_phone
        satisfactions = dict(
            self.fields_get(['satisfaction'])['satisfaction']['selection'])
        note = (self.follow_up_note or '').strip()
        return {
            'company': self.company.id,
            'channel': 'hotline',
            'application': application.id,
            'hotline_order': self.id,
            'rated_at': rated_at,
            'level': level,
            'reason': gettext('hall_hotline.msg_rating_reason',
                order=self.rec_name, subject=self.subject,
                note=note or satisfactions.get(self.satisfaction)),
            'anonymous': False,
            'rater_name': rater_name,
            'rater_phone': rater_phone,
            }


class Evaluation(metaclass=PoolMeta):
    __name__ = 'hall.evaluation'

    hotline_order = fields.Many2One(
        'hall.hotline.order', "12345 Work Order", readonly=True,
        ondelete='RESTRICT',
        states={'invisible': ~Eval('hotline_order')},
        help="The 12345 work order whose follow-up gave the rating.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('hotline_order_unique', Unique(t, t.hotline_order),
                'hall_hotline.msg_evaluation_hotline_order_unique'),
            ]


class Rectification(metaclass=PoolMeta):
    __name__ = 'hall.evaluation.rectification'

    hotline_order = fields.Many2One(
        'hall.hotline.order', "12345 Work Order", readonly=True,
        ondelete='RESTRICT',
        states={'invisible': ~Eval('hotline_order')},
        help="The 12345 work order of the efficiency complaint or of the "
        "bad follow-up rectified.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.source.selection.append(('hotline', "12345 Efficiency Complaint"))
        t = cls.__table__()
        # One problem, one rectification
        cls._sql_constraints += [
            ('hotline_order_unique', Unique(t, t.hotline_order),
                'hall_hotline.msg_rectification_hotline_order_unique'),
            ]

    @classmethod
    def create(cls, vlist):
        Evaluation = Pool().get('hall.evaluation')
        vlist = [v.copy() for v in vlist]
        for values in vlist:
            # the rectification of a bad follow-up is the order's too
            if values.get('evaluation') and not values.get('hotline_order'):
                order = Evaluation(values['evaluation']).hotline_order
                if order:
                    values['hotline_order'] = order.id
        return super().create(vlist)

    @classmethod
    def create_from_evaluations(cls, evaluations):
        # The bad follow-up of an efficiency complaint whose rectification
        # is open already: that rectification deals with the problem
        evaluations = [e for e in evaluations
            if not (e.hotline_order and e.hotline_order.rectifications)]
        return super().create_from_evaluations(evaluations)

    @classmethod
    def create_from_hotline_orders(cls, orders):
        """Open the rectification of the efficiency complaints `orders`,
        for their window and clerk"""
        vlist = []
        for order in orders:
            window = order.window
            application = order.application
            hall = window.hall if window else (
                application.hall if application else None)
            # as for a rating: the department of the service, else the
            # window's (a dedicated window)
            department = (
                application.service.department if application else None)
            if not department and window:
                department = window.department
            problem = [gettext('hall_hotline.msg_rectification_problem',
                    order=order.rec_name, subject=order.subject),
                order.content]
            if (order.reply or '').strip():
                problem.append(gettext(
                        'hall_hotline.msg_rectification_problem_reply',
                        department=(order.lead_department.rec_name
                            if order.lead_department else ''),
                        reply=order.reply.strip()))
            vlist.append({
                    'company': order.company.id,
                    'source': 'hotline',
                    'hotline_order': order.id,
                    'hall': hall.id if hall else None,
                    'window': window.id if window else None,
                    'clerk': order.employee.id if order.employee else None,
                    'service': (
                        application.service.id if application else None),
                    'department': department.id if department else None,
                    'problem': '\n'.join(filter(None, problem)),
                    })
        return cls.create(vlist)


class PartyErase(metaclass=PoolMeta):
    __name__ = 'party.erase'

    def to_erase(self, party_id):
        Evaluation = Pool().get('hall.evaluation')
        # the name and phone the caller gave, copied on the rating of the
        # follow-up (the caller may not be the applicant)
        return super().to_erase(party_id) + [
            (Evaluation, [('hotline_order.caller', '=', party_id)], False,
                ['rater_name', 'rater_phone'], [None, None]),
            ]
