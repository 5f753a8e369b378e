# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import without_check_access

# The rating of an application can be asked at the window device once the
# clerk has taken it.
DEVICE_STATES = [
    'received', 'supplement', 'accepted', 'approved', 'rejected',
    'completed']


class Application(metaclass=PoolMeta):
    __name__ = 'hall.application'

    evaluations = fields.One2Many(
        'hall.evaluation', 'application', "Ratings", readonly=True)
    rating_links = fields.One2Many(
        'hall.evaluation.link', 'application', "Rating Links",
        readonly=True)
    rated = fields.Function(
        fields.Boolean("Rated"), 'get_rated')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'request_rating': {
                    'invisible': ~Eval('state').in_(DEVICE_STATES),
                    'readonly': ~Eval('window'),
                    'icon': 'tryton-star',
                    'depends': ['state', 'window'],
                    },
                })

    def get_rated(self, name):
        return any(e.validity != 'invalid' for e in self.evaluations)

    @classmethod
    def copy(cls, applications, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('evaluations', None)
        default.setdefault('rating_links', None)
        return super().copy(applications, default=default)

    @classmethod
    def accept(cls, applications):
        pool = Pool()
        Link = pool.get('hall.evaluation.link')
        super().accept(applications)
        # The QR code printed on the acceptance receipt: bookkeeping of
        # the module, whoever accepts
        with without_check_access():
            pending = Link.pending_qr_links(applications)
            Link.create_links(
                [a for a in applications
                    if a not in pending and not a.evaluations],
                'qr_code')

    @classmethod
    def complete(cls, applications):
        pool = Pool()
        Link = pool.get('hall.evaluation.link')
        super().complete(applications)
        # The applicant can rate for the full validity after completion
        with without_check_access():
            Link.extend(list(Link.pending_qr_links(applications).values()))

    @classmethod
    @ModelView.button
    def request_rating(cls, applications):
        "请评价: the window device shows the rating of the application"
        pool = Pool()
        Link = pool.get('hall.evaluation.link')
        Link.request_device_rating(applications)

    def rating_link(self):
        "The QR-code link to rate the application, if any is pending"
        pool = Pool()
        Link = pool.get('hall.evaluation.link')
        return Link.pending_qr_links([self]).get(self)


class AcceptanceReceipt(metaclass=PoolMeta):
    "The acceptance receipt with the QR code to rate the service"
    __name__ = 'hall.application.acceptance_receipt'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Configuration = pool.get('hall.evaluation.configuration')
        Action = pool.get('ir.action.report')
        context = super().get_context(records, header, data)
        with without_check_access():
            rated = [a for a in records if a.rating_link()]
        if rated:
            action, = Action.search([('report_name', '=', cls.__name__)])
            for hall in {a.hall for a in rated}:
                hall.check_public_url(action.name)

        def rating_url(application):
            # The citizen's token, printed for the citizen whoever prints
            # the receipt: read by this code, not by the user (no role
            # reads the tokens of the rating links)
            with without_check_access():
                link = application.rating_link()
                return link.url if link else None

        def rating_qr(application):
            url = rating_url(application)
            if url:
                return cls.rating_qrcode(url)
        context['rating_url'] = rating_url
        context['rating_qr'] = rating_qr
        context['rating_days'] = Configuration(1).link_days
        return context

    @classmethod
    def rating_qrcode(cls, url):
        """The QR code image of `url` for the relatorio image directive,
        None without trytond's qrcode support (the address is printed)"""
        if hasattr(cls, 'qrcode'):
            return cls.qrcode(url, size=('3cm', '3cm'))
