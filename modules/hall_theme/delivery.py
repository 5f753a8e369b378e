# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""With hall_delivery: the certificates of a theme application go in one
free delivery (免费证照寄递), made when it is accepted and sent when the
last of its applications is completed (hall_delivery)."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval


class ThemeApplication(metaclass=PoolMeta):
    __name__ = 'hall.theme.application'

    delivery_method = fields.Selection([
            ('pickup', "Pick up at the Window"),
            ('mail', "Free Mail Delivery"),
            ], "Certificate Delivery", required=True,
        states={
            'readonly': ~Eval('state').in_(['draft', 'received',
                    'supplement']),
            },
        help="The certificates of all the services in one free delivery.")
    deliveries = fields.Function(fields.Many2Many(
            'hall.delivery', None, None, "Deliveries"), 'get_deliveries')

    @classmethod
    def default_delivery_method(cls):
        return 'pickup'

    def get_deliveries(self, name):
        return list({d.id for c in self.children for d in c.deliveries})

    @classmethod
    def accept(cls, applications):
        pool = Pool()
        Application = pool.get('hall.application')
        Delivery = pool.get('hall.delivery')
        super().accept(applications)
        mailed = [a for a in applications if a.delivery_method == 'mail']
        children = [c for a in mailed for c in a.children]
        if children:
            Application.write(children, {'delivery_method': 'mail'})
        deliveries = []
        for application in mailed:
            delivery = Delivery(
                company=application.company, kind='certificate',
                recipient=application.applicant,
                applications=list(application.children),
                mobile=None, street=None, postal_code=None)
            delivery.on_change_recipient()
            deliveries.append(delivery)
        Delivery.save(deliveries)
