# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Test data of hall_delivery (inside a transaction)"
import datetime as dt
from decimal import Decimal

from trytond.modules.company.tests import create_company
from trytond.pool import Pool

__all__ = ['setup_delivery_data', 'packed_delivery', 'mailed_applications']


def setup_delivery_data():
    "A company, a courier with its tiers and Hangzhou's divisions"
    pool = Pool()
    Party = pool.get('party.party')
    Courier = pool.get('hall.courier')
    Subdivision = pool.get('country.subdivision')
    from trytond.modules.hall_delivery.division import import_divisions

    company = create_company()
    import_divisions(['33'])
    courier, = Courier.create([{
                'party': Party.create([{'name': "中国邮政速递物流"}])[0].id,
                'company': company.id,
                'contract_start': dt.date(2020, 1, 1),
                'extra_kg_price': Decimal('5'),
                'price_tiers': [('create', [
                            {'max_weight': Decimal('1'),
                                'price': Decimal('12')},
                            {'max_weight': Decimal('3'),
                                'price': Decimal('18')},
                            ])],
                }])
    recipient, = Party.create([{'name': "张建明"}])
    province, = Subdivision.search([('name', '=', "浙江省")])
    city, = Subdivision.search([('name', '=', "杭州市")])
    district, = Subdivision.search([
            ('name', '=', "西湖区"), ('parent', '=', city.id)])
    address = {
        'company': company.id,
        'recipient': recipient.id,
        'province': province.id,
        'city': city.id,
        'district': district.id,
        'street': "文三路 90 号",
        'postal_code': '310012',
        'mobile': '13812345678',
        }
    return company, courier, address


def packed_delivery(courier, address, waybill, weight='0.5'):
    Delivery = Pool().get('hall.delivery')
    delivery, = Delivery.create([{
                **address, 'courier': courier.id, 'waybill': waybill,
                'weight': Decimal(weight)}])
    Delivery.ready([delivery])
    Delivery.pack([delivery])
    return delivery


def mailed_applications(company, address, count):
    "Draft applications of the recipient asking for mail delivery"
    pool = Pool()
    Application = pool.get('hall.application')
    Hall = pool.get('hall.hall')
    Department = pool.get('hall.department')
    Service = pool.get('hall.service')
    Party = pool.get('party.party')
    Party.write([Party(address['recipient'])], {
            'identifiers': [('create', [{
                            'type': 'cn_ric',
                            'code': '11010519491231002X'}])]})
    hall, = Hall.create([{'name': "大厅", 'company': company.id}])
    department, = Department.create([{'name': "局", 'code': 'J'}])
    service, = Service.create([{
                'code': 'S', 'name': "事项", 'department': department.id,
                'legal_limit': 5, 'promised_limit': 1}])
    return Application.create([{
                'company': company.id, 'hall': hall.id,
                'applicant': address['recipient'], 'service': service.id,
                'delivery_method': 'mail'} for _ in range(count)])
