# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .exceptions import DeliveryError


class Application(metaclass=PoolMeta):
    __name__ = 'hall.application'

    delivery_method = fields.Selection([
            ('pickup', "Pick up at the Window"),
            ('mail', "Free Mail Delivery"),
            ], "Certificate Delivery", required=True,
        states={
            'readonly': ~Eval('state').in_(['draft', 'received']),
            },
        help="Mail delivery is free to the applicant (免费证照寄递).")
    certificate = fields.Char(
        "Certificate", states={
            'readonly': Eval('state').in_(['completed', 'withdrawn']),
            },
        help="Name and number of the certificate issued.")
    deliveries = fields.Many2Many(
        'hall.delivery-hall.application', 'application', 'delivery',
        "Deliveries", readonly=True)

    @classmethod
    def default_delivery_method(cls):
        return 'pickup'

    @classmethod
    def copy(cls, applications, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('deliveries', None)
        default.setdefault('certificate', None)
        return super().copy(applications, default=default)

    @classmethod
    def receive(cls, applications):
        super().receive(applications)
        cls.create_deliveries(
            [a for a in applications if a.delivery_method == 'mail'])

    @classmethod
    def create_deliveries(cls, applications):
        "Open a draft delivery to the applicant for each application"
        pool = Pool()
        Delivery = pool.get('hall.delivery')
        deliveries = []
        for application in applications:
            if application.deliveries:
                continue
            delivery = Delivery(
                company=application.company,
                kind='certificate',
                recipient=application.applicant,
                applications=[application],
                mobile=None, street=None, postal_code=None)
            delivery.on_change_recipient()
            deliveries.append(delivery)
        Delivery.save(deliveries)
        return deliveries

    @classmethod
    def reject(cls, applications):
        super().reject(applications)
        cls.cancel_deliveries(applications)

    @classmethod
    def withdraw(cls, applications):
        super().withdraw(applications)
        cls.cancel_deliveries(applications)

    @classmethod
    def cancel_deliveries(cls, applications):
        """No certificate will be issued: cancel the deliveries not started
        that carry nothing else, take the application out of the others"""
        pool = Pool()
        Delivery = pool.get('hall.delivery')
        drafts = {d for a in applications for d in a.deliveries
            if d.state == 'draft'}
        cancelled = [d for d in drafts
            if all(o.state in {'rejected', 'withdrawn'}
                for o in d.applications)]
        if cancelled:
            Delivery.cancel(cancelled)
        ids = {a.id for a in applications}
        to_write = []
        for delivery in drafts - set(cancelled):
            to_write.extend([[delivery], {'applications': [
                            ('remove', [o.id for o in delivery.applications
                                    if o.id in ids])]}])
        if to_write:
            Delivery.write(*to_write)
        cls.ready_deliveries(
            [o for d in drafts - set(cancelled) for o in d.applications
                if o.id not in ids])

    @classmethod
    def complete(cls, applications):
        mailed = [a for a in applications if a.delivery_method == 'mail']
        for application in mailed:
            if not application.certificate:
                raise DeliveryError(gettext(
                        'hall_delivery.msg_application_certificate',
                        application=application.rec_name))
        super().complete(applications)
        cls.create_deliveries(mailed)
        cls.ready_deliveries(mailed)

    @classmethod
    def ready_deliveries(cls, applications):
        """Make ready the draft deliveries of `applications` whose every
        application is completed: a delivery of several (the services of
        a theme) waits for the last"""
        Delivery = Pool().get('hall.delivery')
        drafts = {d for a in applications for d in a.deliveries
            if d.state == 'draft' and d.applications
            and all(o.state == 'completed' for o in d.applications)}
        if drafts:
            Delivery.ready(list(drafts))
