# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The indicators of the catalogue of services (事项清单) in force at a
date: 网上可办率, 全流程网办率, 最多跑一次, 一窗通办, 承诺时限压缩, 即办件.

A service is in force at a date from its start date (always, when empty)
to its end date; without an end date, while it is active.  With a hall in
the context, the catalogue is the services of the windows of the halls it
covers."""
from sql import Column, Literal, Null
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Case, Coalesce, NullIf
from sql.operators import Exists

from trytond.i18n import lazy_gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.hall.company import company_today
from trytond.modules.hall.model import (
    ContextCompanyMixin, ServerReadonlyMixin)
from trytond.pool import Pool
from trytond.transaction import Transaction

from .hall import scope_halls
from .indicator import ScopeContextMixin


class CatalogueContext(ScopeContextMixin, ServerReadonlyMixin, ModelView):
    "Date and halls of the catalogue indicators"
    __name__ = 'hall.indicator.catalogue.context'

    company = fields.Many2One(
        'company.company', lazy_gettext('hall.msg_period_company'),
        required=True)
    date = fields.Date(
        lazy_gettext('hall_indicators.msg_catalogue_date'), required=True)

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return company_today()


def in_force(service, date):
    "The SQL condition of `service` being in the catalogue on `date`"
    return (((service.start_date == Null) | (service.start_date <= date))
        & Case((service.end_date != Null, service.end_date >= date),
            else_=service.active))


class CatalogueIndicatorMixin(ContextCompanyMixin, ServerReadonlyMixin):
    "The figures of the services in force, grouped by `_dimensions`"
    __slots__ = ()

    services = fields.Integer(
        lazy_gettext('hall_indicators.msg_services'))
    online = fields.Integer(
        lazy_gettext('hall_indicators.msg_services_online'))
    online_rate = fields.Float(
        lazy_gettext('hall_indicators.msg_services_online_rate'),
        digits=(1, 4))
    full_online = fields.Integer(
        lazy_gettext('hall_indicators.msg_services_full_online'))
    full_online_rate = fields.Float(
        lazy_gettext('hall_indicators.msg_services_full_online_rate'),
        digits=(1, 4))
    one_visit = fields.Integer(
        lazy_gettext('hall_indicators.msg_services_one_visit'))
    one_visit_rate = fields.Float(
        lazy_gettext('hall_indicators.msg_services_one_visit_rate'),
        digits=(1, 4))
    comprehensive = fields.Integer(
        lazy_gettext('hall_indicators.msg_services_comprehensive'))
    comprehensive_rate = fields.Float(
        lazy_gettext('hall_indicators.msg_services_comprehensive_rate'),
        digits=(1, 4))
    immediate = fields.Integer(
        lazy_gettext('hall_indicators.msg_services_immediate'))
    halved = fields.Integer(
        lazy_gettext('hall_indicators.msg_services_halved'),
        help=lazy_gettext('hall_indicators.msg_services_halved_help'))
    halved_rate = fields.Float(
        lazy_gettext('hall_indicators.msg_services_halved_rate'),
        digits=(1, 4))
    compression_rate = fields.Float(
        lazy_gettext('hall_indicators.msg_services_compression_rate'),
        digits=(1, 4),
        help=lazy_gettext('hall_indicators.msg_services_compression_help'))

    @classmethod
    def _dimensions(cls, service):
        return []

    @classmethod
    def _where(cls, service):
        pool = Pool()
        WindowService = pool.get('hall.window-hall.service')
        Window = pool.get('hall.window')
        context = Transaction().context
        where = in_force(service, context.get('date') or company_today())
        if context.get('hall'):
            halls = scope_halls()
            window_service = WindowService.__table__()
            window = Window.__table__()
            where &= Exists(window_service.join(window,
                    condition=window_service.window == window.id
                    ).select(window_service.id,
                    where=(window_service.service == service.id)
                    & window.hall.in_(halls or [-1])))
        return where

    @classmethod
    def table_query(cls):
        Service = Pool().get('hall.service')
        service = Service.__table__()

        def flag(condition):
            return Case((condition, 1), else_=0)
        dimensions = cls._dimensions(service)
        rows = service.select(
            service.id.as_('id'),
            flag(service.online == Literal(True)).as_('online'),
            flag(service.full_online == Literal(True)).as_('full_online'),
            flag(service.max_visits.in_(['zero', 'one'])).as_('one_visit'),
            flag(service.comprehensive == Literal(True)).as_(
                'comprehensive'),
            flag(service.promised_limit == 0).as_('immediate'),
            flag((service.legal_limit > 0)
                & (service.promised_limit * 2 <= service.legal_limit)).as_(
                'halved'),
            service.legal_limit.as_('legal'),
            service.promised_limit.as_('promised'),
            *(expression.as_(name) for name, expression in dimensions),
            where=cls._where(service))
        services = Count(rows.id)

        def rate(column, field):
            return field.sql_cast(
                Sum(column) * Literal(1.0) / NullIf(services, 0))
        return rows.select(
            Min(rows.id).as_('id'),
            *(Column(rows, name).as_(name) for name, _ in dimensions),
            services.as_('services'),
            Sum(rows.online).as_('online'),
            rate(rows.online, cls.online_rate).as_('online_rate'),
            Sum(rows.full_online).as_('full_online'),
            rate(rows.full_online, cls.full_online_rate).as_(
                'full_online_rate'),
            Sum(rows.one_visit).as_('one_visit'),
            rate(rows.one_visit, cls.one_visit_rate).as_('one_visit_rate'),
            Sum(rows.comprehensive).as_('comprehensive'),
            rate(rows.comprehensive, cls.comprehensive_rate).as_(
                'comprehensive_rate'),
            Sum(rows.immediate).as_('immediate'),
            Sum(rows.halved).as_('halved'),
            rate(rows.halved, cls.halved_rate).as_('halved_rate'),
            cls.compression_rate.sql_cast(
                Literal(1.0) - Coalesce(Sum(rows.promised), 0) * Literal(1.0)
                / NullIf(Sum(rows.legal), 0)).as_('compression_rate'),
            group_by=[Column(rows, name) for name, _ in dimensions] or None,
            having=services > 0)


class CatalogueIndicator(CatalogueIndicatorMixin, ModelSQL, ModelView):
    "Services in force, in all"
    __name__ = 'hall.indicator.catalogue'


class CatalogueIndicatorDepartment(
        CatalogueIndicatorMixin, ModelSQL, ModelView):
    "Services in force by department"
    __name__ = 'hall.indicator.catalogue.department'

    department = fields.Many2One(
        'hall.department', lazy_gettext('hall_indicators.msg_department'))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('services', 'DESC'), ('id', 'ASC')]

    @classmethod
    def _dimensions(cls, service):
        return [('department', service.department)]
