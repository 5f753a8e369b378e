# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase

from .test_division import DivisionTestMixin


class HallDeliveryTestCase(
        DivisionTestMixin, CompanyTestMixin, ModuleTestCase):
    "Test Hall Delivery module"
    module = 'hall_delivery'


del ModuleTestCase
