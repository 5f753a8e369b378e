# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import io
import threading
import unittest
import zipfile
from decimal import Decimal

from sql import Column

from trytond import backend
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.hall.tests.tools import (
    ServerReadonlyTestMixin, TranslatedTestMixin, as_user, create_user,
    report_text, shared_database)
from trytond.modules.hall_delivery.exceptions import (
    AddressValidationError, DeliveryError, DispatchError)
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    DB_NAME, ModuleTestCase, activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

from .test_division import DivisionTestMixin
from .tools import mailed_applications, packed_delivery, setup_delivery_data


class HallDeliveryTestCase(
        ServerReadonlyTestMixin, DivisionTestMixin, TranslatedTestMixin,
        CompanyTestMixin, ModuleTestCase):
    "Test Hall Delivery module"
    module = 'hall_delivery'

    @with_transaction()
    def test_address_refused(self):
        "Bad mobile, bad postal code and incomplete address are refused"
        pool = Pool()
        Delivery = pool.get('hall.delivery')
        company, courier, address = setup_delivery_data()
        with Transaction().set_context(company=company.id):
            for field, value in [
                    ('mobile', '12812345678'),
                    ('mobile', '1381234567'),
                    ('postal_code', '31001'),
                    ('postal_code', 'ABCDEF'),
                    ]:
                with self.subTest(field=field, value=value):
                    with self.assertRaises(AddressValidationError):
                        Delivery.create([{**address, field: value}])
            delivery, = Delivery.create([{**address, 'district': None}])
            with self.assertRaises(AddressValidationError):
                Delivery.ready([delivery])
            self.assertEqual(delivery.state, 'draft')
            delivery.district = address['district']
            delivery.save()
            Delivery.ready([delivery])
            self.assertEqual(delivery.state, 'ready')
            self.assertTrue(delivery.ready_at)

    @with_transaction()
    def test_party_deliveries(self):
        """A party's form lists the deliveries to it for the delivery clerk;
        the form of a role that reads no delivery has no such page"""
        pool = Pool()
        Party = pool.get('party.party')
        Delivery = pool.get('hall.delivery')
        company, courier, address = setup_delivery_data()
        with Transaction().set_context(company=company.id):
            packed = packed_delivery(courier, address, 'EA1')
            draft, = Delivery.create([address])
            other, = Delivery.create([{
                        **address,
                        'recipient': Party.create([{'name': "李四"}])[0].id,
                        }])
        self.assertEqual(
            list(Party(address['recipient']).deliveries), [draft, packed])
        clerk = create_user(
            company, 'clerk', [('hall_delivery', 'group_delivery_clerk')])
        leader = create_user(
            company, 'leader', [('hall', 'group_hall_leader')])
        set_user, set_context = as_user(clerk)
        with set_user, set_context:
            view = Party.fields_view_get(view_type='form')
            self.assertIn('deliveries', view['fields'])
            party, = Party.read([address['recipient']], ['deliveries'])
            self.assertEqual(
                list(party['deliveries']), [draft.id, packed.id])
        set_user, set_context = as_user(leader)
        with set_user, set_context:
            view = Party.fields_view_get(view_type='form')
            self.assertNotIn('deliveries', view['fields'])
            Party.read([address['recipient']], list(view['fields']))

    @with_transaction()
    def test_pack_cost_and_waybill(self):
        "Packing computes the cost; a waybill is unique per courier"
        pool = Pool()
        Delivery = pool.get('hall.delivery')
        company, courier, address = setup_delivery_data()
        with Transaction().set_context(company=company.id):
            delivery = packed_delivery(courier, address, 'EA1', '2.4')
            self.assertEqual(delivery.cost, Decimal('18'))
            incomplete, = Delivery.create([address])
            Delivery.ready([incomplete])
            with self.assertRaises(DeliveryError):
                Delivery.pack([incomplete])
            self.assertEqual(incomplete.state, 'ready')
            with self.assertRaises(UserError):
                Delivery.create([{**address, 'courier': courier.id,
                            'waybill': 'EA1'}])

    @with_transaction()
    def test_courier_out_of_contract(self):
        "A courier whose contract ended takes no more pieces"
        pool = Pool()
        Delivery = pool.get('hall.delivery')
        company, courier, address = setup_delivery_data()
        courier.contract_end = dt.date(2021, 1, 1)
        courier.save()
        with Transaction().set_context(company=company.id):
            delivery, = Delivery.create([{**address, 'courier': courier.id,
                        'waybill': 'EA1', 'weight': Decimal(1)}])
            Delivery.ready([delivery])
            with self.assertRaises(UserError):
                Delivery.pack([delivery])

    @with_transaction()
    def test_dispatch_twice_refused(self):
        "A delivery leaves in one batch only"
        from trytond.modules.hall_delivery.batch import dispatch
        company, courier, address = setup_delivery_data()
        with Transaction().set_context(company=company.id):
            delivery = packed_delivery(courier, address, 'EA1')
            batch = dispatch(courier, [delivery], "刘洋")
            self.assertEqual(delivery.state, 'dispatched')
            self.assertEqual(delivery.batch, batch)
            with self.assertRaises(DispatchError):
                dispatch(courier, [delivery], "王五")

    @with_transaction()
    def test_return_and_redispatch(self):
        "A returned delivery goes out again; its history stays"
        pool = Pool()
        Delivery = pool.get('hall.delivery')
        Subdivision = pool.get('country.subdivision')
        ReturnReason = pool.get('hall.delivery.return_reason')
        from trytond.modules.hall_delivery.batch import dispatch
        company, courier, address = setup_delivery_data()
        with Transaction().set_context(company=company.id):
            delivery = packed_delivery(courier, address, 'EA1')
            first = dispatch(courier, [delivery], "刘洋")
            with self.assertRaises(DeliveryError):
                Delivery.return_([delivery])
            delivery.return_reason = "地址不详"
            delivery.save()
            Delivery.return_([delivery])
            self.assertEqual(delivery.state, 'returned')

            # corrected address, new waybill
            district, = Subdivision.search([('name', '=', "拱墅区")])
            delivery.district = district
            delivery.street = "莫干山路 100 号"
            delivery.save()
            Delivery.ready([delivery])
            self.assertIsNone(delivery.waybill)
            self.assertIsNone(delivery.batch)
            delivery.waybill = 'EA2'
            delivery.save()
            Delivery.pack([delivery])
            second = dispatch(courier, [delivery], "刘洋")
            self.assertNotEqual(first, second)
            self.assertEqual(delivery.batch, second)
            self.assertEqual(first.deliveries, ())

            history = Delivery.__table_history__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*history.select(
                    history.waybill, history.street,
                    where=(Column(history, 'id') == delivery.id)
                    & (history.state == 'dispatched')))
            self.assertEqual(
                {tuple(r) for r in cursor},
                {('EA1', "文三路 90 号"), ('EA2', "莫干山路 100 号")})
            reasons = ReturnReason.search([])
            self.assertEqual(
                [(r.reason, r.returns) for r in reasons], [("地址不详", 1)])

    @with_transaction()
    def test_deliver_and_lose_need_reason(self):
        "Delivered needs who signed, lost needs a reason"
        pool = Pool()
        Delivery = pool.get('hall.delivery')
        from trytond.modules.hall_delivery.batch import dispatch
        company, courier, address = setup_delivery_data()
        with Transaction().set_context(company=company.id):
            one = packed_delivery(courier, address, 'EA1')
            two = packed_delivery(courier, address, 'EA2')
            dispatch(courier, [one, two], "刘洋")
            with self.assertRaises(DeliveryError):
                Delivery.deliver([one])
            with self.assertRaises(DeliveryError):
                Delivery.lose([two])
            self.assertEqual(
                [one.state, two.state], ['dispatched', 'dispatched'])

    @with_transaction()
    def test_delete_processed_refused(self):
        pool = Pool()
        Delivery = pool.get('hall.delivery')
        company, courier, address = setup_delivery_data()
        with Transaction().set_context(company=company.id):
            delivery = packed_delivery(courier, address, 'EA1')
            with self.assertRaises(DeliveryError):
                Delivery.delete([delivery])

    @with_transaction()
    def test_roles(self):
        """The delivery clerk handles deliveries; the manager reads them
        with the mobile masked; a window clerk sees none"""
        pool = Pool()
        Delivery = pool.get('hall.delivery')
        company, courier, address = setup_delivery_data()
        with Transaction().set_context(company=company.id):
            delivery, = Delivery.create([address])

        def user(login, module, group):
            return create_user(company, login, [(module, group)])
        courier_clerk = user('jidi', 'hall_delivery', 'group_delivery_clerk')
        manager = user('manager', 'hall', 'group_hall_manager')
        window_clerk = user('window', 'hall', 'group_window_clerk')

        set_user, set_context = as_user(courier_clerk)
        with set_user, set_context:
            record, = Delivery.read([delivery.id], ['mobile', 'street'])
            self.assertEqual(record['mobile'], '13812345678')
            Delivery.write([Delivery(delivery.id)], {'street': "文二路 1 号"})
            Delivery.ready([Delivery(delivery.id)])

        set_user, set_context = as_user(manager)
        with set_user, set_context:
            record, = Delivery.read(
                [delivery.id], ['mobile_masked', 'street', 'state'])
            self.assertEqual(record['mobile_masked'], '138****5678')
            self.assertEqual(record['state'], 'ready')
            with self.assertRaises(AccessError):
                Delivery.read([delivery.id], ['mobile'])
            with self.assertRaises(AccessError):
                Delivery.write([Delivery(delivery.id)], {'street': "x"})

        set_user, set_context = as_user(window_clerk)
        with set_user, set_context:
            with self.assertRaises(AccessError):
                Delivery.search([])
            with self.assertRaises(AccessError):
                Delivery.read([delivery.id], ['street'])

    @with_transaction()
    def test_completion_makes_delivery_ready(self):
        "Completing a mailed application makes its delivery ready"
        pool = Pool()
        Application = pool.get('hall.application')
        Delivery = pool.get('hall.delivery')
        Hall = pool.get('hall.hall')
        Department = pool.get('hall.department')
        Service = pool.get('hall.service')
        Party = pool.get('party.party')
        company, courier, address = setup_delivery_data()
        Party.write([Party(address['recipient'])], {
                'identifiers': [('create', [{
                                'type': 'cn_ric',
                                'code': '11010519491231002X'}])]})
        with Transaction().set_context(company=company.id):
            hall, = Hall.create([{'name': "大厅", 'company': company.id}])
            department, = Department.create([{'name': "局", 'code': 'J'}])
            service, = Service.create([{
                        'code': 'S', 'name': "事项",
                        'department': department.id,
                        'legal_limit': 5, 'promised_limit': 1}])
            application, = Application.create([{
                        'company': company.id, 'hall': hall.id,
                        'applicant': address['recipient'],
                        'service': service.id,
                        'delivery_method': 'mail'}])
            Application.receive([application])
            delivery, = application.deliveries
            delivery.province = address['province']
            delivery.city = address['city']
            delivery.district = address['district']
            delivery.street = address['street']
            delivery.postal_code = address['postal_code']
            delivery.mobile = address['mobile']
            delivery.save()
            # Not before the application is completed
            with self.assertRaises(DeliveryError):
                Delivery.ready([delivery])
            Application.accept([application])
            Application.approve([application])
            with self.assertRaises(DeliveryError):
                Application.complete([application])
            self.assertEqual(application.state, 'approved')
            application.certificate = "食品经营许可证 JY1"
            application.save()
            Application.complete([application])
            self.assertEqual(application.deliveries[0].state, 'ready')



    @with_transaction()
    def test_tracking_local_time(self):
        "Tracking times are the company's local time, stored in UTC"
        pool = Pool()
        Delivery = pool.get('hall.delivery')
        from trytond.modules.hall_delivery.batch import dispatch
        from trytond.modules.hall_delivery.tracking import import_tracking
        company, courier, address = setup_delivery_data()
        company.timezone = 'Asia/Shanghai'
        company.save()
        clerk = create_user(company, 'jidi', [
                ('hall_delivery', 'group_delivery_clerk')])
        set_user, set_context = as_user(clerk)
        with set_user, set_context:
            delivery = packed_delivery(courier, address, 'EA1')
            dispatch(courier, [delivery], "刘洋")
            result = import_tracking(courier, (
                    "运单号,状态,时间,备注\n"
                    "EA1,已签收,2025-10-10 07:30,本人签收\n").encode())
            self.assertEqual(result['applied'], 1)
            delivery = Delivery(delivery.id)
            self.assertEqual(delivery.state, 'delivered')
            self.assertEqual(
                delivery.delivered_at, dt.datetime(2025, 10, 9, 23, 30))
            self.assertEqual(
                delivery.local_date(delivery.delivered_at),
                dt.date(2025, 10, 10))
            self.assertEqual(
                delivery.tracking[0].time, dt.datetime(2025, 10, 9, 23, 30))

    @with_transaction()
    def test_refused_application_cancels_delivery(self):
        "Rejecting or withdrawing a mailed application cancels its delivery"
        pool = Pool()
        Application = pool.get('hall.application')
        company, courier, address = setup_delivery_data()
        with Transaction().set_context(company=company.id):
            rejected, withdrawn = mailed_applications(company, address, 2)
            Application.receive([rejected, withdrawn])
            Application.accept([rejected])
            rejected.rejection_reason = "材料虚假"
            rejected.save()
            Application.reject([rejected])
            Application.withdraw([withdrawn])
            self.assertEqual(
                [a.deliveries[0].state for a in [rejected, withdrawn]],
                ['cancelled', 'cancelled'])

    @with_transaction()
    def test_delivery_clerk_reads_mailed_applications(self):
        "The delivery clerk reads the mailed applications, not the others"
        pool = Pool()
        Application = pool.get('hall.application')
        company, courier, address = setup_delivery_data()
        with Transaction().set_context(company=company.id):
            mailed, pickup = mailed_applications(company, address, 2)
            pickup.delivery_method = 'pickup'
            pickup.save()
        clerk = create_user(
            company, 'jidi', [('hall_delivery', 'group_delivery_clerk')])
        set_user, set_context = as_user(clerk)
        with set_user, set_context:
            self.assertEqual(Application.search([]), [mailed])
            with self.assertRaises(AccessError):
                Application.write([Application(mailed.id)], {'note': "x"})

    @with_transaction()
    def test_label_masks_mobile(self):
        """The waybill label prints the recipient's mobile and name as the
        user reads them: in full for the delivery clerk, masked for the
        hall manager"""
        pool = Pool()
        Party = pool.get('party.party')
        Label = pool.get('hall.delivery.label', type='report')
        company, courier, address = setup_delivery_data()
        Party.write([Party(address['recipient'])], {
                'identifiers': [('create', [{
                                'type': 'cn_ric',
                                'code': '11010519491231002X'}])]})
        with Transaction().set_context(company=company.id):
            delivery = packed_delivery(courier, address, 'EA1')

        def label(module, group):
            user = create_user(company, group, [(module, group)])
            set_user, set_context = as_user(user)
            with set_user, set_context:
                _, content, _, _ = Label.execute([delivery.id], {
                        'model': 'hall.delivery', 'id': delivery.id,
                        'ids': [delivery.id]})
            with zipfile.ZipFile(io.BytesIO(content)) as odt:
                return odt.read('content.xml').decode()

        full = label('hall_delivery', 'group_delivery_clerk')
        self.assertIn('13812345678', full)
        self.assertIn("张建明", full)
        masked = label('hall', 'group_hall_manager')
        self.assertIn('138****5678', masked)
        self.assertNotIn('13812345678', masked)
        self.assertIn("张*明", masked)
        self.assertNotIn("张建明", masked)

    @with_transaction()
    def test_handover_local_time(self):
        """The handover sheet prints the time both sides sign in the
        company's time zone, even on another day than in UTC"""
        from unittest.mock import patch

        from trytond.modules.hall import clock
        from trytond.modules.hall_delivery.batch import dispatch
        pool = Pool()
        Handover = pool.get('hall.delivery.batch.handover', type='report')
        company, courier, address = setup_delivery_data()
        company.timezone = 'Asia/Shanghai'
        company.save()
        clerk = create_user(company, 'jidi', [
                ('hall_delivery', 'group_delivery_clerk')])
        set_user, set_context = as_user(clerk)
        with set_user, set_context:
            delivery = packed_delivery(courier, address, 'EA1')
            # 16:30 UTC is half past midnight the next day in Beijing
            with patch.object(clock, 'utcnow',
                    return_value=dt.datetime(2025, 10, 9, 16, 30)):
                batch = dispatch(courier, [delivery], "刘洋")
            _, content, _, _ = Handover.execute([batch.id], {})
        text = report_text(content)
        self.assertIn("2025年10月10日 00:30", text)
        self.assertNotIn("16:30", text)

    @with_transaction()
    def test_statement_local_month(self):
        """A piece handed over at half past midnight on 1 November in
        Beijing (31 October in UTC) is on November's statement, within its
        period, and counts for November's KPI"""
        from unittest.mock import patch

        from trytond.modules.hall import clock
        from trytond.modules.hall_delivery.batch import dispatch
        pool = Pool()
        Statement = pool.get('hall.delivery.statement')
        StatementReport = pool.get('hall.delivery.statement', type='report')
        KPI = pool.get('hall.delivery.kpi')
        company, courier, address = setup_delivery_data()
        company.timezone = 'Asia/Shanghai'
        company.save()
        with Transaction().set_context(company=company.id):
            delivery = packed_delivery(courier, address, 'EA1')
            with patch.object(clock, 'utcnow',
                    return_value=dt.datetime(2025, 10, 31, 16, 30)):
                dispatch(courier, [delivery], "刘洋")
            line, = Statement.search([])
            self.assertEqual(line.month, dt.date(2025, 11, 1))
            self.assertEqual(line.pieces, 1)
            statement = StatementReport.statement(line)
            self.assertEqual(statement.start, dt.date(2025, 11, 1))
            self.assertEqual(statement.deliveries, [delivery])
            kpi, = KPI.search([])
            self.assertEqual(kpi.month, dt.date(2025, 11, 1))
        with Transaction().set_context(company=company.id,
                from_date=dt.date(2025, 11, 1), to_date=dt.date(2025, 11, 1)):
            self.assertEqual(len(Statement.search([])), 1)
        with Transaction().set_context(company=company.id,
                from_date=dt.date(2025, 10, 31),
                to_date=dt.date(2025, 10, 31)):
            self.assertEqual(Statement.search([]), [])

    @with_transaction()
    def test_party_replace_and_erase(self):
        """Deliveries follow a merged recipient; erasing a recipient clears
        the address and mobile of its deliveries once none is under way"""
        pool = Pool()
        Party = pool.get('party.party')
        Delivery = pool.get('hall.delivery')
        Replace = pool.get('party.replace', type='wizard')
        Erase = pool.get('party.erase', type='wizard')
        company, courier, address = setup_delivery_data()
        with Transaction().set_context(company=company.id):
            delivery = packed_delivery(courier, address, 'EA1')
            duplicate, = Party.create([{'name': "张建明"}])
            other, = Delivery.create([{**address, 'recipient': duplicate.id}])
        session_id, _, _ = Replace.create()
        replace = Replace(session_id)
        replace.ask.source = duplicate
        replace.ask.destination = Party(address['recipient'])
        replace.transition_replace()
        self.assertEqual(set(Delivery.search([
                        ('recipient', '=', address['recipient'])])),
            {delivery, other})

        Party.write([Party(address['recipient'])], {'active': False})
        session_id, _, _ = Erase.create()
        erase = Erase(session_id)
        erase.ask.party = Party(address['recipient'])
        with self.assertRaises(UserError):
            erase.transition_erase()
        Delivery.cancel([delivery, other])
        erase.transition_erase()
        self.assertEqual(
            {(r['street'], r['mobile']) for r in Delivery.read(
                    [delivery.id, other.id], ['street', 'mobile'])},
            {(None, None)})


class ConcurrentDispatchTestCase(unittest.TestCase):
    """Two delivery clerks dispatch the same piece at the same moment, on
    PostgreSQL (row locks) and on SQLite (its single writer)"""

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(['hall_delivery'])

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def test_one_wins_one_is_refused(self):
        with Transaction().start(DB_NAME, 0) as transaction:
            company, courier, address = setup_delivery_data()
            with transaction.set_context(company=company.id):
                delivery = packed_delivery(courier, address, 'EA1')
            ids = company.id, courier.id, delivery.id
            transaction.commit()
        company_id, courier_id, delivery_id = ids
        with shared_database() as database:
            self.dispatch_twice(database, company_id, courier_id, delivery_id)

    def dispatch_twice(self, database, company_id, courier_id, delivery_id):
        from trytond.modules.hall_delivery.batch import dispatch
        both_read = threading.Barrier(2, timeout=30)
        results = []

        def clerk(signature):
            pool = Pool(database)
            # As the server does: a transaction that fails to serialize is
            # run again from the start.
            for attempt in range(5):
                try:
                    with Transaction().start(
                            database, 0,
                            context={'company': company_id}) as transaction:
                        Delivery = pool.get('hall.delivery')
                        Courier = pool.get('hall.courier')
                        delivery = Delivery(delivery_id)
                        self_state = delivery.state
                        if attempt == 0:
                            self.assertEqual(self_state, 'packed')
                            both_read.wait()
                        batch = dispatch(
                            Courier(courier_id), [delivery], signature)
                        number = batch.number
                        transaction.commit()
                    results.append(('dispatched', signature, number))
                    return
                except backend.DatabaseOperationalError:
                    continue
                except DispatchError as error:
                    results.append(('refused', signature, error.message))
                    return
            results.append(('gave up', signature, None))

        threads = [threading.Thread(target=clerk, args=(name,))
            for name in ["刘洋", "王五"]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

        outcomes = sorted(r[0] for r in results)
        self.assertEqual(outcomes, ['dispatched', 'refused'], results)
        winner, = [r for r in results if r[0] == 'dispatched']
        loser, = [r for r in results if r[0] == 'refused']
        self.assertIn(winner[2], loser[2])
        with Transaction().start(database, 0):
            Delivery = Pool(database).get('hall.delivery')
            Batch = Pool(database).get('hall.delivery.batch')
            delivery = Delivery(delivery_id)
            self.assertEqual(delivery.state, 'dispatched')
            self.assertEqual(delivery.batch.courier_signature, winner[1])
            self.assertEqual(len(Batch.search([])), 1)


del ModuleTestCase
