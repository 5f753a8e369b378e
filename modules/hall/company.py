# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.pool import Pool, PoolMeta
from trytond.tools import timezone as tz

# Every body the product serves is Chinese: the defaults of a new company
TIMEZONE = 'Asia/Shanghai'
CURRENCY = 'CNY'


def company_today(company=None):
    """Today in the time zone of `company` (UTC when it has none); without
    one, in that of the company of the context"""
    Date = Pool().get('ir.date')
    if company is None:
        return Date.today()
    return Date.today(timezone=(
            tz.get_tzinfo(company.timezone) if company.timezone else tz.UTC))


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    @classmethod
    def default_timezone(cls):
        return TIMEZONE

    @classmethod
    def default_currency(cls):
        Currency = Pool().get('currency.currency')
        currencies = Currency.search([('code', '=', CURRENCY)], limit=1)
        if currencies:
            return currencies[0].id
