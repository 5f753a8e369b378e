# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Test helpers of the 12345 hotline: departments, their liaisons and roles"
import datetime as dt
from contextlib import contextmanager
from unittest.mock import patch

from trytond.modules.hall import clock
from trytond.modules.hall.tests.tools import HallData, as_user
from trytond.pool import Pool

__all__ = ['HotlineData', 'at', 'as_user', 'EVE']

# Tuesday 30 September 2025, 10:00 in Beijing (02:00 UTC), the eve of the
# National Day holiday (1 to 8 October; Saturday 11 October is worked)
EVE = dt.datetime(2025, 9, 30, 2, 0)


@contextmanager
def at(utc):
    "Run with the hall's clock (UTC) set to `utc`"
    with patch.object(clock, 'utcnow', return_value=utc):
        yield


class HotlineData(HallData):
    """The company of HallData in Beijing time with three departments, a
    liaison for two of them, and the hotline's operator, dispatchers and
    supervisor"""

    def __init__(self):
        super().__init__()
        pool = Pool()
        Department = pool.get('hall.department')
        Liaison = pool.get('hall.hotline.liaison')
        CalendarDay = pool.get('hall.calendar.day')
        CalendarDay.seed([2025, 2026])
        self.company.timezone = 'Asia/Shanghai'
        self.company.save()
        self.market = self.department
        self.housing, self.urban = Department.create([{
                    'name': "住房和城乡建设局", 'code': 'ZJJ'}, {
                    'name': "城市管理局", 'code': 'CGJ'}])
        hotline = 'hall_hotline'
        self.operator = self.user('operator', ['group_hotline_operator'],
            module=hotline)
        self.dispatcher = self.user('dispatcher',
            ['group_hotline_dispatcher'], module=hotline)
        self.dispatcher2 = self.user('dispatcher2',
            ['group_hotline_dispatcher'], module=hotline)
        self.supervisor = self.user('hotline_supervisor',
            ['group_hotline_supervisor'], module=hotline)
        self.market_liaison = self.user('market_liaison',
            ['group_hotline_liaison'], module=hotline)
        self.housing_liaison = self.user('housing_liaison',
            ['group_hotline_liaison'], module=hotline)
        Liaison.create([{
                    'department': self.market.id,
                    'user': self.market_liaison.id,
                    }, {
                    'department': self.housing.id,
                    'user': self.housing_liaison.id,
                    }])

    def order(self, **values):
        "A registered work order, as the operator takes the call"
        Order = Pool().get('hall.hotline.order')
        values = {
            'company': self.company.id,
            'category': 'complaint',
            'subject': "小区门口餐馆油烟扰民",
            'content': "滨江区江南大道某小区门口的餐馆油烟直排，夜间噪音大。",
            'caller_name': "张建明",
            'caller_phone': '13812345678',
            **values,
            }
        set_user, set_context = as_user(self.operator)
        with set_user, set_context:
            order, = Order.create([values])
            Order.register([order])
        return Order(order.id)

    def act(self, user, method, orders, *args):
        "Run the order method as `user`, checked as a request"
        Order = Pool().get('hall.hotline.order')
        set_user, set_context = as_user(user)
        with set_user, set_context:
            getattr(Order, method)(Order.browse(orders), *args)
        return [Order(o.id) for o in orders]

    def dispatch(self, user, order, lead, assisting=(), reason=None):
        Order = Pool().get('hall.hotline.order')
        set_user, set_context = as_user(user)
        with set_user, set_context:
            Order.dispatch_to(Order.browse([order]), lead, list(assisting),
                reason=reason)
        return Order(order.id)
