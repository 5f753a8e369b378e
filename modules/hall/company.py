# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.pool import Pool
from trytond.tools import timezone as tz


def company_today(company=None):
    """Today in the time zone of `company` (UTC when it has none); without
    one, in that of the company of the context"""
    Date = Pool().get('ir.date')
    if company is None:
        return Date.today()
    return Date.today(timezone=(
            tz.get_tzinfo(company.timezone) if company.timezone else tz.UTC))
