# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
import unittest
import urllib.parse
from decimal import Decimal
from unittest.mock import patch

from trytond import backend
from trytond.i18n import gettext
from trytond.model.exceptions import (
    AccessError, SQLConstraintError, ValidationError)
from trytond.model.modelview import AccessButtonError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.hall.exceptions import PublicAddressError, WorkflowError
from trytond.modules.hall.tests.tools import (
    ServerReadonlyTestMixin, TranslatedTestMixin, as_user, on, report_text,
    without_views)
from trytond.modules.hall_evaluation.exceptions import (
    DeviceAccessError, DeviceAuthenticationError, EvaluationAccessError,
    EvaluationError, EvaluationValidationError, InspectionError,
    InspectionValidationError, RatingLinkError,
    RectificationAccessError, RectificationError)
from trytond.modules.hall_evaluation.rating_rules import hash_device_key
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    DB_NAME, ModuleTestCase, with_transaction)
from trytond.transaction import Transaction

from .queue_tools import hall_queue_ready
from .tools import EvaluationData, at

# Views inheriting from hall_queue, used only when it is activated
QUEUE_VIEWS = {'ticket_form.xml', 'window_form.xml'}

# Tuesday 30 September 2025, the eve of the National Day holiday (1 to 8
# October; Saturday 11 October is a make-up workday).
EVE = dt.date(2025, 9, 30)


class HallEvaluationTestCase(
        ServerReadonlyTestMixin, TranslatedTestMixin, CompanyTestMixin,
        ModuleTestCase):
    "Test Hall Evaluation module"
    module = 'hall_evaluation'

    def test_view(self):
        """Test the views; those extending hall_queue are checked by
        HallEvaluationQueueTestCase, with hall_queue activated"""
        with without_views(QUEUE_VIEWS):
            super().test_view()

    @with_transaction()
    def test_accept_opens_qr_link(self):
        "Acceptance opens the QR-code link; completion extends it"
        pool = Pool()
        Application = pool.get('hall.application')
        data = EvaluationData()
        now = dt.datetime(2025, 9, 30, 2, 0)
        with at(now):
            application = data.application()
        link = application.rating_link()
        self.assertEqual(link.channel, 'qr_code')
        self.assertEqual(link.state, 'pending')
        self.assertEqual(link.window, data.a01)
        self.assertEqual(link.expires_at, now + dt.timedelta(days=15))
        self.assertGreaterEqual(len(link.token), 32)
        self.assertIn('/hall/rate/' + link.token, link.url)
        # Accepting again (after a supplement) opens no second link
        self.assertEqual(len(application.rating_links), 1)
        Application.approve([application])
        later = dt.datetime(2025, 10, 20, 2, 0)
        with at(later):
            Application.complete([application])
        link = application.rating_link()
        self.assertEqual(link.expires_at, later + dt.timedelta(days=15))

    @with_transaction()
    def test_link_single_use(self):
        "A link rates once; a reused, expired or unknown link is refused"
        pool = Pool()
        Link = pool.get('hall.evaluation.link')
        data = EvaluationData()
        application = data.application()
        token = application.rating_link().token
        evaluation = Link.submit(token, {'level': 'very_satisfied'})
        self.assertEqual(evaluation.channel, 'qr_code')
        self.assertEqual(evaluation.application, application)
        self.assertEqual(evaluation.window, data.a01)
        self.assertEqual(evaluation.clerk, data.li)
        self.assertEqual(evaluation.service, data.licence)
        self.assertEqual(evaluation.department, data.market)
        self.assertEqual(evaluation.rater_name, "张建明")
        self.assertEqual(evaluation.rater_name_masked, "张*明")
        self.assertEqual(Link.get(token).state, 'used')
        with self.assertRaises(RatingLinkError):
            Link.submit(token, {'level': 'satisfied'})
        with self.assertRaises(RatingLinkError):
            Link.submit('no-such-token', {'level': 'satisfied'})

        other = data.application()
        link = other.rating_link()
        with at(link.expires_at + dt.timedelta(seconds=1)):
            with self.assertRaises(RatingLinkError) as context:
                Link.submit(link.token, {'level': 'satisfied'})
        self.assertIn(
            link.local_expiry().isoformat(), context.exception.message)
        self.assertFalse(other.evaluations)

    @with_transaction()
    def test_one_rating_per_application(self):
        "Rated at the window device, the QR code of the receipt is spent"
        pool = Pool()
        Link = pool.get('hall.evaluation.link')
        Device = pool.get('hall.evaluation.device')
        Application = pool.get('hall.application')
        data = EvaluationData()
        application = data.application()
        qr = application.rating_link()
        device, = Link.request_device_rating([application])
        self.assertEqual(Link.pending_for_window(data.a01.id), device)
        self.assertIsNone(Link.pending_for_window(data.a02.id))
        # The request of the device rates only on the device
        with self.assertRaises(RatingLinkError):
            Link.submit(device.token, {'level': 'satisfied'})
        pad, _ = Device.register(data.a01, "A01 评价器")
        other_pad, _ = Device.register(data.a02, "A02 评价器")
        with self.assertRaises(RatingLinkError):
            Link.submit_device(other_pad, device.id, {'level': 'satisfied'})
        evaluation = Link.submit_device(pad, device.id, {'level': 'satisfied'})
        self.assertEqual(evaluation.channel, 'window_device')
        self.assertEqual(Link(qr.id).state, 'cancelled')
        self.assertIsNone(Link.pending_for_window(data.a01.id))
        with self.assertRaises(RatingLinkError):
            Link.submit(qr.token, {'level': 'very_satisfied'})
        with self.assertRaises(EvaluationError):
            Application.request_rating([application])

    @with_transaction()
    def test_device_request(self):
        "请评价 shows the latest request at the window for a few minutes"
        pool = Pool()
        Link = pool.get('hall.evaluation.link')
        Application = pool.get('hall.application')
        data = EvaluationData()
        first = data.application()
        second = data.application()
        now = dt.datetime(2025, 9, 30, 2, 0)
        with at(now):
            Application.request_rating([first])
            Application.request_rating([second])
            pending = Link.pending_for_window(data.a01.id)
        self.assertEqual(pending.application, second)
        self.assertEqual(pending.expires_at, now + dt.timedelta(minutes=10))
        cancelled, = Link.search([
                ('application', '=', first.id),
                ('channel', '=', 'window_device')])
        self.assertEqual(cancelled.state, 'cancelled')
        with at(now + dt.timedelta(minutes=11)):
            self.assertIsNone(Link.pending_for_window(data.a01.id))
        # Without a window the device cannot show it
        walk_in = data.application(state='received')
        walk_in.window = None
        walk_in.save()
        with self.assertRaises(EvaluationError):
            Application.request_rating([walk_in])

    @with_transaction()
    def test_bad_rating_needs_reason(self):
        "A bad rating without a reason is refused and stores nothing"
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        Link = pool.get('hall.evaluation.link')
        data = EvaluationData()
        application = data.application()
        link = application.rating_link()
        for level in ['dissatisfied', 'very_dissatisfied']:
            with self.subTest(level=level):
                with self.assertRaises(EvaluationValidationError):
                    Link.submit(link.token, {'level': level, 'reason': ' '})
        self.assertEqual(Evaluation.search([]), [])
        self.assertEqual(Link(link.id).state, 'pending')

    @with_transaction()
    def test_bad_rating_opens_rectification(self):
        "A bad rating opens a rectification due in 5 working days"
        pool = Pool()
        Configuration = pool.get('hall.evaluation.configuration')
        data = EvaluationData()
        application = data.application()
        with on(EVE):
            evaluation = data.rate(
                application, 'very_dissatisfied', "窗口人员态度冷漠",
                rater_phone='13812345678')
        rectification, = evaluation.rectifications
        self.assertEqual(rectification.state, 'open')
        self.assertEqual(rectification.source, 'rating')
        self.assertEqual(rectification.opened_date, EVE)
        # 9, 10, 11 (make-up workday), 13 and 14 October
        self.assertEqual(rectification.deadline, dt.date(2025, 10, 14))
        self.assertEqual(rectification.window, data.a01)
        self.assertEqual(rectification.clerk, data.li)
        self.assertEqual(rectification.department, data.market)
        self.assertEqual(rectification.supervisor, data.supervisor)
        self.assertEqual(rectification.problem, "窗口人员态度冷漠")
        self.assertEqual(evaluation.rater_phone_masked, '138****5678')
        # The deadline follows the configuration
        config = Configuration(1)
        config.rectification_days = 2
        config.save()
        with on(EVE):
            evaluation = data.rate(
                data.application(), 'dissatisfied', "等候时间过长")
        self.assertEqual(
            evaluation.rectifications[0].deadline, dt.date(2025, 10, 10))
        # A good rating opens nothing
        evaluation = data.rate(data.application(), 'basic')
        self.assertEqual(evaluation.rectifications, ())

    @with_transaction()
    def test_party_evaluations(self):
        """A party's form lists the ratings of its applications and the
        rectifications of the bad ones, each role those it may read"""
        pool = Pool()
        Party = pool.get('party.party')
        data = EvaluationData()
        with on(EVE):
            good = data.rate(data.application(), 'very_satisfied')
            bad = data.rate(
                data.application(window=data.a02), 'dissatisfied',
                "等候时间过长")
            others = data.rate(
                data.application(applicant=data.other), 'very_dissatisfied',
                "态度冷漠")
        rectification, = bad.rectifications
        citizen = Party(data.citizen.id)
        self.assertEqual(
            sorted(citizen.evaluations), sorted([good, bad]))
        self.assertEqual(list(citizen.rectifications), [rectification])
        other = Party(data.other.id)
        self.assertEqual(list(other.evaluations), [others])
        self.assertEqual(
            list(other.rectifications), list(others.rectifications))
        for user, evaluations, rectifications in [
                (data.supervisor, {good.id, bad.id}, [rectification.id]),
                (data.li_user, {good.id}, []),
                (data.zhao_user, {bad.id}, [rectification.id]),
                ]:
            with self.subTest(user=user.login):
                set_user, set_context = as_user(user)
                with set_user, set_context:
                    party, = Party.read([data.citizen.id],
                        ['evaluations', 'rectifications'])
                self.assertEqual(set(party['evaluations']), evaluations)
                self.assertEqual(
                    list(party['rectifications']), rectifications)

    @with_transaction()
    def test_rating_immutable(self):
        "Nobody changes or deletes a rating, not even the supervisor"
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        data = EvaluationData()
        evaluation = data.rate(data.application(), 'dissatisfied', "慢")
        for user in [data.li_user, data.supervisor, data.manager,
                data.leader]:
            with self.subTest(user=user.login):
                set_user, set_context = as_user(user)
                with set_user, set_context:
                    record = Evaluation(evaluation.id)
                    with self.assertRaises(AccessError):
                        Evaluation.write([record], {'level': 'satisfied'})
                    with self.assertRaises(AccessError):
                        Evaluation.delete([record])
        # Without access checks the model itself refuses
        with self.assertRaises(EvaluationAccessError):
            Evaluation.write([evaluation], {'level': 'satisfied'})
        with self.assertRaises(EvaluationAccessError):
            Evaluation.write([evaluation], {'reason': "改"})
        with self.assertRaises(EvaluationAccessError):
            Evaluation.delete([evaluation])
        with self.assertRaises(EvaluationAccessError):
            Evaluation.copy([evaluation])
        self.assertEqual(Evaluation(evaluation.id).level, 'dissatisfied')

    @with_transaction()
    def test_invalid_needs_review_and_reason(self):
        "A rating is invalid only after review and with a reason"
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        Invalidate = pool.get('hall.evaluation.invalidate', type='wizard')
        data = EvaluationData()
        evaluation = data.rate(
            data.application(), 'very_dissatisfied', "随便打的")
        rectification, = evaluation.rectifications
        with self.assertRaises(WorkflowError):
            Evaluation.mark_invalid([evaluation], "恶意评价")
        set_user, set_context = as_user(data.li_user)
        with set_user, set_context:
            with self.assertRaises(AccessButtonError):
                Evaluation.review([Evaluation(evaluation.id)])
        set_user, set_context = as_user(data.supervisor)
        with set_user, set_context:
            Evaluation.review([Evaluation(evaluation.id)])
            evaluation = Evaluation(evaluation.id)
            self.assertEqual(evaluation.validity, 'review')
            self.assertEqual(evaluation.reviewed_by, data.supervisor)
            with self.assertRaises(EvaluationError):
                Evaluation.mark_invalid([evaluation], "  ")
            self.assertEqual(Evaluation(evaluation.id).validity, 'review')
            # As the RPC runs a wizard: access checked by the wizard
            with Transaction().set_context(
                    _check_access=False, active_model='hall.evaluation',
                    active_id=evaluation.id, active_ids=[evaluation.id]):
                session_id, _, _ = Invalidate.create()
                Invalidate.execute(session_id, {
                        'start': {
                            'reason': "同一号码一小时内提交 20 条差评",
                            },
                        }, 'invalidate')
        evaluation = Evaluation(evaluation.id)
        self.assertEqual(evaluation.validity, 'invalid')
        self.assertEqual(
            evaluation.invalid_reason, "同一号码一小时内提交 20 条差评")
        self.assertEqual(evaluation.rectifications[0].state, 'invalid')

    @with_transaction()
    def test_rectification_workflow(self):
        "Verify, rectify, follow up by phone, close; no step skipped"
        pool = Pool()
        Rectification = pool.get('hall.evaluation.rectification')
        FollowUp = pool.get('hall.evaluation.rectification.followup')
        data = EvaluationData()
        with on(EVE):
            evaluation = data.rate(
                data.application(), 'dissatisfied', "材料说明不清楚")
        rectification, = evaluation.rectifications
        with self.assertRaises(WorkflowError):
            Rectification.close([rectification])
        with self.assertRaises(RectificationError):
            Rectification.verify([rectification])
        rectification.verification = "经调取录像，情况属实"
        rectification.save()
        with on(dt.date(2025, 10, 9)):
            Rectification.verify([rectification])
        with self.assertRaises(RectificationError):
            Rectification.rectify([rectification])
        rectification.measures = "组织窗口人员重新学习办事指南"
        rectification.evidence = b'%PDF-1.4'
        rectification.evidence_name = "培训签到表.pdf"
        rectification.save()
        with on(dt.date(2025, 10, 13)):
            Rectification.rectify([rectification])
        self.assertEqual(rectification.rectified_date, dt.date(2025, 10, 13))
        self.assertTrue(rectification.on_time)
        with self.assertRaises(RectificationError):
            Rectification.close([rectification])
        self.assertEqual(rectification.state, 'rectified')
        FollowUp.create([{
                    'rectification': rectification.id,
                    'date': dt.date(2025, 10, 14),
                    'caller': data.chen.id,
                    'result': "已告知整改情况，申请人表示满意",
                    'satisfied': True,
                    }])
        with on(dt.date(2025, 10, 14)):
            Rectification.close([rectification])
        self.assertEqual(rectification.state, 'closed')
        self.assertEqual(rectification.closed_date, dt.date(2025, 10, 14))
        with self.assertRaises(RectificationError):
            FollowUp.create([{
                        'rectification': rectification.id,
                        'date': dt.date(2025, 10, 15),
                        'caller': data.chen.id,
                        'result': "再次回访",
                        }])
        with self.assertRaises(RectificationAccessError):
            Rectification.delete([rectification])

    @with_transaction()
    def test_overdue_cron_notifies_supervisor(self):
        "The daily cron flags overdue rectifications and tells the supervisor"
        pool = Pool()
        Rectification = pool.get('hall.evaluation.rectification')
        data = EvaluationData()
        with on(EVE):
            evaluation = data.rate(
                data.application(), 'dissatisfied', "排队太久")
        rectification, = evaluation.rectifications
        transaction = Transaction()
        with on(dt.date(2025, 10, 14)):
            self.assertEqual(Rectification.mark_overdue(), [])
        self.assertFalse(transaction.user_notifications)
        with on(dt.date(2025, 10, 15)):
            self.assertEqual(Rectification.mark_overdue(), [rectification])
            # Told once
            self.assertEqual(Rectification.mark_overdue(), [])
        self.assertTrue(Rectification(rectification.id).overdue)
        notification, = transaction.user_notifications
        self.assertEqual(notification.user.id, data.supervisor.id)
        self.assertEqual(notification.model, Rectification.__name__)
        self.assertIn(rectification.number, notification.description)
        self.assertIn('1', notification.label)

    @with_transaction()
    def test_overdue_without_supervisor(self):
        "Without a supervisor every evaluation supervisor is told"
        pool = Pool()
        Rectification = pool.get('hall.evaluation.rectification')
        data = EvaluationData()
        with on(EVE):
            evaluation = data.rate(
                data.application(), 'dissatisfied', "排队太久")
        rectification, = evaluation.rectifications
        rectification.supervisor = None
        rectification.save()
        with on(dt.date(2025, 10, 15)):
            Rectification.mark_overdue()
        users = {n.user.id for n in Transaction().user_notifications}
        self.assertIn(data.supervisor.id, users)

    @with_transaction()
    def test_kpis_by_hand(self):
        "The indicators match the numbers worked out by hand"
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        Rectification = pool.get('hall.evaluation.rectification')
        FollowUp = pool.get('hall.evaluation.rectification.followup')
        KPIWindow = pool.get('hall.evaluation.kpi.window')
        KPIClerk = pool.get('hall.evaluation.kpi.clerk')
        KPIDepartment = pool.get('hall.evaluation.kpi.department')
        KPIService = pool.get('hall.evaluation.kpi.service')
        KPIMonth = pool.get('hall.evaluation.kpi.month')
        data = EvaluationData()

        def rated(application, level, reason=None, when=None):
            evaluation, = Evaluation.create([{
                        'company': data.company.id,
                        'application': application.id,
                        'channel': 'window_device',
                        'level': level,
                        'reason': reason,
                        'rated_at': when or dt.datetime(2025, 9, 10, 3),
                        }])
            return evaluation

        with on(dt.date(2025, 9, 10)):
            # A01 (李强, 食品经营许可): 4 completed applications, 3 rated
            a01 = [data.application(state='completed') for _ in range(4)]
            rated(a01[0], 'very_satisfied')
            rated(a01[1], 'satisfied')
            bad = rated(a01[2], 'dissatisfied', "等候过久")
            # A02 (赵敏, 居住证办理): 2 completed, 2 more only accepted
            a02 = [data.application(data.a02, state='completed')
                for _ in range(2)]
            a02 += [data.application(data.a02) for _ in range(2)]
            rated(a02[0], 'very_satisfied')
            rated(a02[2], 'basic')
            rated(a02[3], 'very_dissatisfied', "态度差")
            invalid = rated(a02[1], 'very_dissatisfied', "恶意")
        with on(dt.date(2025, 10, 9)):
            # A rating of October is out of the period
            rated(a01[3], 'very_dissatisfied', "十月的评价",
                when=dt.datetime(2025, 10, 9, 3))
        Evaluation.write([invalid], {'validity': 'invalid'})
        Rectification.write(list(invalid.rectifications), {
                'state': 'invalid'})
        # A01's rectification done on time, A02's late
        on_time, = bad.rectifications
        late, = Evaluation.search([
                ('window', '=', data.a02.id),
                ('level', '=', 'very_dissatisfied'),
                ('validity', '=', 'valid')])[0].rectifications
        for rectification, day in [
                (on_time, dt.date(2025, 9, 15)),
                (late, dt.date(2025, 9, 25))]:
            rectification.verification = "属实"
            rectification.measures = "整改"
            rectification.save()
            with on(day):
                Rectification.verify([rectification])
                Rectification.rectify([rectification])
        FollowUp.create([{
                    'rectification': on_time.id, 'caller': data.chen.id,
                    'result': "满意"}])
        Rectification.close([on_time])

        context = {
            'company': data.company.id,
            'from_date': dt.date(2025, 9, 1),
            'to_date': dt.date(2025, 9, 30),
            }
        with Transaction().set_context(context):
            by_window = {k.window: k for k in KPIWindow.search([])}
            by_clerk = {k.clerk: k for k in KPIClerk.search([])}
            by_department = {k.department: k for k in KPIDepartment.search([])}
            by_service = {k.service: k for k in KPIService.search([])}
            month, = KPIMonth.search([])

        # A01: 3 ratings (10 + 8 + 4 points), 1 bad; 4 completed, all
        # rated (the 4th in October: rated counts at any time);
        # 1 rectification, rectified on time (deadline 17 September)
        # A02: 3 valid ratings (10 + 6 + 2 points), 1 bad; 2 completed,
        # 1 rated (the other completed one has only an invalid rating);
        # 1 rectification rectified on 25 September (deadline 17th)
        expected = {
            data.a01: dict(ratings=3, bad=1, score=22 / 3, completed=4,
                rated=4, rectifications=1, rectified=1, on_time=1),
            data.a02: dict(ratings=3, bad=1, score=18 / 3, completed=2,
                rated=1, rectifications=1, rectified=1, on_time=0),
            }
        for window, values in expected.items():
            kpi = by_window[window]
            with self.subTest(window=window.number):
                for name, value in values.items():
                    self.assertAlmostEqual(getattr(kpi, name), value)
                self.assertAlmostEqual(kpi.satisfaction_rate, 2 / 3)
                self.assertAlmostEqual(
                    kpi.rating_rate, values['rated'] / values['completed'])
                self.assertAlmostEqual(kpi.rectification_rate, 1)
        self.assertAlmostEqual(by_window[data.a01].on_time_rate, 1)
        self.assertAlmostEqual(by_window[data.a02].on_time_rate, 0)
        self.assertEqual(set(by_clerk), {data.li, data.zhao})
        self.assertEqual(by_clerk[data.li].ratings, 3)
        self.assertEqual(by_department[data.police].completed, 2)
        self.assertEqual(by_service[data.licence].rated, 4)
        # The whole month: 6 ratings, 2 bad, 40 points
        self.assertEqual(month.month, dt.date(2025, 9, 1))
        self.assertEqual(month.ratings, 6)
        self.assertEqual(month.bad, 2)
        self.assertAlmostEqual(month.satisfaction_rate, 4 / 6)
        self.assertAlmostEqual(month.score, 40 / 6)
        self.assertEqual((month.completed, month.rated), (6, 5))
        self.assertAlmostEqual(month.rating_rate, 5 / 6)
        self.assertEqual(
            (month.rectifications, month.rectified, month.on_time),
            (2, 2, 1))
        self.assertAlmostEqual(month.on_time_rate, 0.5)
        # Without a period October counts too
        with Transaction().set_context(company=data.company.id):
            months = {k.month: k for k in KPIMonth.search([])}
        self.assertEqual(months[dt.date(2025, 10, 1)].ratings, 1)
        self.assertEqual(months[dt.date(2025, 10, 1)].bad, 1)

    @with_transaction()
    def test_months_in_company_time_zone(self):
        """A rating of 30 November 17:00 UTC, 1 December 01:00 in Shanghai,
        counts in December: its rectification opens on 1 December, and the
        indicators and the ranking count it in December"""
        pool = Pool()
        Date = pool.get('ir.date')
        Evaluation = pool.get('hall.evaluation')
        CalendarDay = pool.get('hall.calendar.day')
        KPIMonth = pool.get('hall.evaluation.kpi.month')
        KPIWindow = pool.get('hall.evaluation.kpi.window')
        Ranking = pool.get('hall.evaluation.ranking')
        data = EvaluationData()
        data.company.timezone = 'Asia/Shanghai'
        data.company.save()
        CalendarDay.seed([2026])
        moment = dt.datetime(2026, 11, 30, 17)

        def today(timezone=None):
            "The date at `timezone` (UTC by default) of the moment"
            return moment.replace(tzinfo=dt.timezone.utc).astimezone(
                timezone or dt.timezone.utc).date()

        # The public page runs with no company in the context
        self.assertIsNone(Transaction().context.get('company'))
        with patch.object(Date, 'today', side_effect=today):
            application = data.application()
            evaluation, = Evaluation.create([{
                        'company': data.company.id,
                        'application': application.id,
                        'channel': 'hotline',
                        'level': 'very_dissatisfied',
                        'reason': "午夜办件无人",
                        'rated_at': moment,
                        'entered_by': data.supervisor.id,
                        }])
            with patch.object(Ranking, 'compute') as compute:
                Ranking.compute_last_month()
        self.assertEqual(evaluation.rated_date, dt.date(2026, 12, 1))
        rectification, = evaluation.rectifications
        self.assertEqual(rectification.opened_date, dt.date(2026, 12, 1))
        self.assertEqual(rectification.deadline,
            CalendarDay.add_working_days(dt.date(2026, 12, 1), 5))
        self.assertNotEqual(rectification.deadline,
            CalendarDay.add_working_days(dt.date(2026, 11, 30), 5))
        # The month just ended in Shanghai is November, not October
        compute.assert_called_once_with(data.hall, dt.date(2026, 11, 1))

        def ratings(from_date=None, to_date=None):
            with Transaction().set_context(company=data.company.id,
                    from_date=from_date, to_date=to_date):
                return {(k.month, k.ratings, k.bad, k.rectifications)
                    for k in KPIMonth.search([])}, sum(
                    k.ratings for k in KPIWindow.search([]))
        self.assertEqual(ratings(),
            ({(dt.date(2026, 12, 1), 1, 1, 1)}, 1))
        self.assertEqual(
            ratings(dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
            ({(dt.date(2026, 12, 1), 1, 1, 1)}, 1))
        self.assertEqual(
            ratings(dt.date(2026, 11, 1), dt.date(2026, 11, 30)), (set(), 0))

        self.assertEqual(Ranking.compute(data.hall, dt.date(2026, 11, 1)), [])
        december, = Ranking.compute(data.hall, dt.date(2026, 12, 1))
        self.assertEqual((december.window, december.ratings), (data.a01, 1))

    @with_transaction()
    def test_monthly_ranking_and_talks(self):
        "Ranked last two months running, a window is called in for a talk"
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        Ranking = pool.get('hall.evaluation.ranking')
        data = EvaluationData()
        with on(dt.date(2025, 8, 5)):
            applications = {
                w: [data.application(w) for _ in range(2)]
                for w in [data.a01, data.a02]}

        def rate(window, levels, month):
            for application, level in zip(applications[window], levels):
                Evaluation.create([{
                            'company': data.company.id,
                            'application': application.id,
                            'channel': 'qr_code',
                            'level': level,
                            'reason': "原因",
                            'rated_at': dt.datetime(2025, month, 12, 3),
                            }])
        rate(data.a01, ['very_satisfied', 'satisfied'], 8)
        rate(data.a02, ['basic', 'dissatisfied'], 8)
        august, = [r for r in Ranking.compute(data.hall, dt.date(2025, 8, 20))
            if r.window == data.a02]
        self.assertEqual((august.rank, august.last, august.talk),
            (2, True, False))
        self.assertAlmostEqual(august.rating_score, 5.0)
        # September: A02 last again, A01 inspected as well
        with on(dt.date(2025, 9, 1)):
            for window in [data.a01, data.a02]:
                applications[window] = [data.application(window)
                    for _ in range(2)]
        rate(data.a01, ['satisfied', 'satisfied'], 9)
        rate(data.a02, ['very_satisfied', 'very_dissatisfied'], 9)
        Inspection = pool.get('hall.inspection')
        inspection, = Inspection.create([{
                    'company': data.company.id, 'hall': data.hall.id,
                    'date': dt.date(2025, 9, 20), 'inspector': data.chen.id,
                    'windows': [('add', [data.a01.id])]}])
        Inspection.fill([inspection])
        score = inspection.scores[0]
        score.score = 10
        score.save()
        Inspection.done([inspection])
        rankings = Ranking.compute(data.hall, dt.date(2025, 9, 1))
        by_window = {r.window: r for r in rankings}
        a01, a02 = by_window[data.a01], by_window[data.a02]
        # A01: ratings 8, inspection 90 of 100 points → 9; 0.7 × 8 + 0.3 × 9
        self.assertAlmostEqual(a01.inspection_score, 9.0)
        self.assertAlmostEqual(a01.score, 8.3)
        self.assertAlmostEqual(a02.score, 6.0)
        self.assertEqual((a01.rank, a01.talk), (1, False))
        self.assertEqual((a02.rank, a02.last, a02.talk), (2, True, True))
        # Computing again replaces the month, keeping the talk record
        a02.talk_note = "已约谈窗口负责人"
        a02.save()
        rankings = Ranking.compute(data.hall, dt.date(2025, 9, 1))
        self.assertEqual(len(rankings), 2)
        self.assertEqual(
            [r.talk_note for r in rankings if r.window == data.a02],
            ["已约谈窗口负责人"])

    @with_transaction()
    def test_inspection(self):
        "Scores are checked, findings open rectifications"
        pool = Pool()
        Inspection = pool.get('hall.inspection')
        Score = pool.get('hall.inspection.score')
        Criterion = pool.get('hall.inspection.criterion')
        Quarter = pool.get('hall.inspection.quarter')
        Shift = pool.get('hall.roster.shift')
        data = EvaluationData()
        self.assertEqual(len(Criterion.search([])), 5)
        day = dt.date(2025, 9, 22)
        Shift.create([{
                    'date': day, 'period': 'full_day', 'hall': data.hall.id,
                    'window': data.a02.id, 'employee': data.zhao.id}])
        inspection, = Inspection.create([{
                    'company': data.company.id, 'hall': data.hall.id,
                    'date': day, 'inspector': data.chen.id}])
        with self.assertRaises(InspectionError):
            Inspection.done([inspection])
        inspection.windows = [data.a01, data.a02]
        inspection.save()
        Inspection.fill([inspection])
        self.assertEqual(len(inspection.scores), 10)
        Inspection.fill([inspection])
        self.assertEqual(len(Inspection(inspection.id).scores), 10)
        attitude, = [s for s in inspection.scores
            if s.window == data.a02 and s.criterion.sequence == 10]
        attitude.score = Decimal(25)
        with self.assertRaises(InspectionValidationError):
            attitude.save()
        attitude.score = Decimal(12)
        attitude.rectify = True
        with self.assertRaises(ValidationError):
            attitude.save()
        attitude.finding = "  "
        with self.assertRaises(InspectionValidationError):
            attitude.save()
        attitude.finding = "窗口人员接待群众时使用手机"
        attitude.save()
        Score.delete([s for s in inspection.scores
                if s.window == data.a01 and s.criterion.sequence == 50])
        with self.assertRaises(InspectionError):
            Inspection.done([Inspection(inspection.id)])
        Inspection.fill([inspection])
        with on(day):
            Inspection.done([inspection])
        rectification = Score(attitude.id).rectification
        self.assertEqual(rectification.source, 'inspection')
        self.assertEqual(rectification.window, data.a02)
        self.assertEqual(rectification.clerk, data.zhao)
        # 23 to 26 September and Sunday 28 (a make-up workday)
        self.assertEqual(rectification.deadline, dt.date(2025, 9, 28))
        with self.assertRaises(InspectionError):
            Inspection.delete([inspection])
        with Transaction().set_context(
                company=data.company.id, year=2025, quarter=3):
            results = {r.window: r for r in Quarter.search([])}
        self.assertAlmostEqual(results[data.a01].score, 100.0)
        self.assertAlmostEqual(results[data.a02].score, 92.0)
        self.assertEqual(results[data.a02].findings, 1)
        self.assertEqual(results[data.a02].inspections, 1)
        with Transaction().set_context(
                company=data.company.id, year=2025, quarter=4):
            self.assertEqual(Quarter.search([]), [])

    @with_transaction()
    def test_clerk_reads_own_ratings(self):
        "A clerk reads the ratings of their own service, nothing else"
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        Rectification = pool.get('hall.evaluation.rectification')
        KPIWindow = pool.get('hall.evaluation.kpi.window')
        data = EvaluationData()
        mine = data.rate(data.application(data.a01), 'dissatisfied', "慢",
            rater_phone='13812345678')
        other = data.rate(data.application(data.a02), 'satisfied')
        set_user, set_context = as_user(data.li_user)
        with set_user, set_context:
            self.assertEqual(Evaluation.search([]), [mine])
            with self.assertRaises(AccessError):
                Evaluation.read([other.id], ['level'])
            # The rater's contact shows masked only
            record, = Evaluation.read(
                [mine.id], ['rater_phone_masked', 'rater_name_masked'])
            self.assertEqual(record['rater_phone_masked'], '138****5678')
            with self.assertRaises(AccessError):
                Evaluation.read([mine.id], ['rater_phone'])
            self.assertEqual(
                [r.evaluation for r in Rectification.search([])], [mine])
            with self.assertRaises(AccessError):
                Rectification.write(
                    Rectification.search([]), {'measures': "改"})
            with self.assertRaises(AccessError):
                KPIWindow.search([])
            with self.assertRaises(AccessError):
                Evaluation.create([{
                            'company': data.company.id,
                            'application': data.application().id,
                            'level': 'very_satisfied'}])
        set_user, set_context = as_user(data.supervisor)
        with set_user, set_context:
            self.assertEqual(set(Evaluation.search([])), {mine, other})
            record, = Evaluation.read([mine.id], ['rater_phone'])
            self.assertEqual(record['rater_phone'], '13812345678')

    def enter_rating(self, user, values):
        """Run the wizard entering a hotline or SMS rating as `user`, as
        the RPC does; return the ids it opens"""
        Enter = Pool().get('hall.evaluation.enter', type='wizard')
        set_user, set_context = as_user(user)
        with set_user, set_context, Transaction().set_context(
                _check_access=False):
            session_id, _, _ = Enter.create()
            result = Enter.execute(session_id, {'start': {
                        'rated_at': dt.datetime.now(),
                        'anonymous': False,
                        **values}}, 'enter')
        action, = result['actions']
        return action[1]['res_id']

    @with_transaction()
    def test_supervisor_records_hotline_rating(self):
        """The supervisor enters a rating taken by the 12345 hotline with the
        wizard, which records who entered it; no role creates ratings
        otherwise, nor on the citizens' channels"""
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        data = EvaluationData()
        application = data.application()
        values = {
            'company': data.company.id,
            'application': application.id,
            'channel': 'hotline',
            'level': 'dissatisfied',
            'reason': "12345 转来：多次往返补材料",
            'rater_phone': '13912345678',
            }
        # Plain creation over RPC: refused to every role, QR code or not
        for user in [data.supervisor, data.manager, data.li_user]:
            for channel in ['qr_code', 'hotline']:
                with self.subTest(user=user.login, channel=channel):
                    set_user, set_context = as_user(user)
                    with set_user, set_context:
                        with self.assertRaises(AccessError):
                            Evaluation.create([{
                                        **values, 'channel': channel}])
        self.assertEqual(application.evaluations, ())
        # The wizard takes only the staff channels
        for channel in ['qr_code', 'window_device', 'online']:
            with self.subTest(channel=channel):
                with self.assertRaises(EvaluationError):
                    self.enter_rating(
                        data.supervisor, {**values, 'channel': channel})
        # The clerk has no such wizard
        with self.assertRaises(AccessError):
            self.enter_rating(data.li_user, values)
        before = dt.datetime.now().replace(microsecond=0)
        evaluation_id, = self.enter_rating(data.supervisor, values)
        evaluation = Evaluation(evaluation_id)
        self.assertTrue(evaluation.number)
        self.assertEqual(evaluation.channel, 'hotline')
        self.assertEqual(evaluation.window, data.a01)
        self.assertEqual(evaluation.rater_name, "张建明")
        self.assertEqual(evaluation.entered_by, data.supervisor)
        self.assertEqual(evaluation.entered_employee, data.chen)
        self.assertGreaterEqual(evaluation.entered_at, before)
        self.assertEqual(len(evaluation.rectifications), 1)
        # One service, one rating
        with self.assertRaises(EvaluationError):
            self.enter_rating(data.supervisor, {**values, 'channel': 'sms',
                    'level': 'very_satisfied', 'reason': None})
        self.assertEqual(
            len(pool.get('hall.application')(application.id).evaluations), 1)
        # A citizen's channel names nobody, a staff channel its clerk
        with self.assertRaises(EvaluationValidationError):
            Evaluation.create([{**values, 'channel': 'qr_code',
                        'application': data.application().id,
                        'entered_by': data.supervisor.id}])
        with self.assertRaises(EvaluationValidationError):
            Evaluation.create([{**values, 'channel': 'sms',
                        'application': data.application().id}])

    @with_transaction()
    def test_rating_dates(self):
        "A rating is dated neither in the future nor before the service"
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        data = EvaluationData()
        with on(dt.date(2025, 9, 10)):
            application = data.application()
        values = {
            'company': data.company.id,
            'application': application.id,
            'channel': 'sms',
            'level': 'satisfied',
            }
        for rated_at in [
                dt.datetime.now() + dt.timedelta(hours=1),
                dt.datetime(2999, 1, 1),
                dt.datetime(2025, 9, 9, 12)]:
            with self.subTest(rated_at=rated_at):
                with self.assertRaises(EvaluationValidationError):
                    self.enter_rating(data.supervisor, {
                            **values, 'rated_at': rated_at})
        self.assertEqual(application.evaluations, ())
        evaluation_id, = self.enter_rating(data.supervisor, {
                **values, 'rated_at': dt.datetime(2025, 9, 10, 3)})
        self.assertEqual(
            Evaluation(evaluation_id).rated_date, dt.date(2025, 9, 10))

    @with_transaction()
    def test_one_rating_per_service_in_database(self):
        """The database holds one rating per application, whatever the
        code: a second row is refused by the unique constraint"""
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        data = EvaluationData()
        application = data.application()
        first = data.rate(application, 'very_satisfied')
        # Also once the first one is invalidated: no second rating
        Evaluation.write([first], {'validity': 'invalid'})
        table = Evaluation.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute('SAVEPOINT forged')
        with self.assertRaises(backend.DatabaseIntegrityError):
            cursor.execute(*table.insert(
                    [table.company, table.application, table.channel,
                        table.level, table.validity, table.rated_at,
                        table.number, table.anonymous],
                    [[data.company.id, application.id, 'online',
                            'very_satisfied', 'valid', dt.datetime.now(),
                            'FORGED', False]]))
        cursor.execute('ROLLBACK TO SAVEPOINT forged')
        # The model says so in the message of the constraint (the failed
        # insert ends the transaction: last)
        with self.assertRaises(SQLConstraintError) as context:
            Evaluation.create([{
                        'company': data.company.id,
                        'application': application.id,
                        'channel': 'online',
                        'level': 'very_satisfied',
                        }])
        self.assertEqual(context.exception.message, gettext(
                'hall_evaluation.msg_evaluation_application_unique'))

    @with_transaction()
    def test_rating_tokens_hidden(self):
        """No role reads the token of a rating link, nor its address, not
        even through its name or a search; the receipt prints it all the
        same for the clerk"""
        pool = Pool()
        Link = pool.get('hall.evaluation.link')
        Evaluation = pool.get('hall.evaluation')
        Receipt = pool.get(
            'hall.application.acceptance_receipt', type='report')
        data = EvaluationData()
        application = data.application()
        link = application.rating_link()
        token = link.token
        rated = data.application()
        evaluation = data.rate(rated, 'satisfied')
        for user in [data.li_user, data.manager, data.supervisor,
                data.leader]:
            with self.subTest(user=user.login):
                set_user, set_context = as_user(user)
                with set_user, set_context:
                    for names in [['token'], ['url'], ['link.token'],
                            ['rating_links.token']]:
                        with self.assertRaises(AccessError):
                            if names[0].startswith('rating_links'):
                                pool.get('hall.application').read(
                                    [application.id], names)
                            elif names[0].startswith('link'):
                                Evaluation.read([evaluation.id], names)
                            else:
                                Link.read([link.id], names)
                    with self.assertRaises(AccessError):
                        Link.search([('token', '=', token)])
                    try:
                        names = [r['rec_name'] for r in Link.read(
                                [link.id], ['rec_name'])]
                        found = Link.search([('rec_name', '=', token)])
                    except AccessError:
                        # the clerk and the leader read no link at all
                        names, found = [], []
                    self.assertNotIn(token, ' '.join(names))
                    self.assertEqual(found, [])
        # The clerk prints the receipt: the report reads the token
        set_user, set_context = as_user(data.li_user)
        with set_user, set_context:
            _, content, _, _ = Receipt.execute([application.id], {})
        import io
        import zipfile
        with zipfile.ZipFile(io.BytesIO(content)) as odt:
            self.assertIn(token, odt.read('content.xml').decode('utf-8'))

    @with_transaction()
    def test_device_keys(self):
        """The hall manager registers a window device: its key is shown
        once and only its hash is kept; a wrong, revoked or other window's
        key is refused"""
        pool = Pool()
        Device = pool.get('hall.evaluation.device')
        Register = pool.get(
            'hall.evaluation.device.register', type='wizard')
        data = EvaluationData()
        set_user, set_context = as_user(data.manager)
        with set_user, set_context, Transaction().set_context(
                _check_access=False, active_model='hall.window',
                active_id=data.a01.id, active_ids=[data.a01.id]):
            session_id, _, _ = Register.create()
            result = Register.execute(session_id, {}, 'start')
            start = result['view']['defaults']
            self.assertEqual(start['window'], data.a01.id)
            self.assertIn('A01', start['name'])
            result = Register.execute(session_id, {'start': {
                        'window': start['window'], 'name': start['name']}},
                'register')
            done = result['view']['defaults']
        key = done['key']
        device = Device(done['device'])
        self.assertGreaterEqual(len(key), 43)
        self.assertTrue(done['url'].endswith(
                f'/hall/window/{data.a01.id}/rate#key={key}'))
        self.assertEqual(device.key_hash, hash_device_key(key))
        self.assertNotIn(key, device.key_hash)
        self.assertEqual(device.key_hint, key[-4:])
        self.assertEqual(device.registered_by, data.manager)
        self.assertEqual(Device.authenticate(key, data.a01.id), device)
        for wrong in ['', None, 'x' * 200, key[:-1] + '!']:
            with self.subTest(key=wrong):
                with self.assertRaises(DeviceAuthenticationError):
                    Device.authenticate(wrong, data.a01.id)
        with self.assertRaises(DeviceAccessError):
            Device.authenticate(key, data.a02.id)
        # Nobody reads the hash; the clerk neither registers nor revokes
        for user in [data.manager, data.supervisor, data.li_user]:
            with self.subTest(user=user.login):
                set_user, set_context = as_user(user)
                with set_user, set_context:
                    with self.assertRaises(AccessError):
                        Device.read([device.id], ['key_hash'])
                    with self.assertRaises(AccessError):
                        Device.search([('key_hash', '=', hash_device_key(
                                        key))])
                    with self.assertRaises(AccessError):
                        Device.create([{
                                    'name': "伪造", 'window': data.a01.id,
                                    'company': data.company.id,
                                    'key_hash': hash_device_key('known')}])
        set_user, set_context = as_user(data.li_user)
        with set_user, set_context:
            with self.assertRaises(AccessError):
                Register.create()
            with self.assertRaises(AccessError):
                Device.revoke([Device(device.id)])
        set_user, set_context = as_user(data.manager)
        with set_user, set_context:
            Device.revoke([Device(device.id)])
        device = Device(device.id)
        self.assertEqual(device.state, 'revoked')
        self.assertEqual(device.revoked_by, data.manager)
        with self.assertRaises(DeviceAccessError):
            Device.authenticate(key, data.a01.id)

    @with_transaction()
    def test_leader_reads_kpis(self):
        "The leader reads the indicators, changes nothing"
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        Rectification = pool.get('hall.evaluation.rectification')
        Inspection = pool.get('hall.inspection')
        data = EvaluationData()
        evaluation = data.rate(data.application(), 'dissatisfied', "慢")
        set_user, set_context = as_user(data.leader)
        with set_user, set_context:
            for dim in ['month', 'window', 'clerk', 'department', 'service']:
                with self.subTest(dim=dim):
                    KPI = pool.get(f'hall.evaluation.kpi.{dim}')
                    self.assertEqual(len(KPI.search([])), 1)
            self.assertEqual(Evaluation.search([]), [evaluation])
            rectification, = Rectification.search([])
            with self.assertRaises(AccessError):
                Rectification.write([rectification], {'measures': "改"})
            with self.assertRaises(AccessButtonError):
                Rectification.verify([rectification])
            with self.assertRaises(AccessError):
                Inspection.create([{
                            'company': data.company.id,
                            'hall': data.hall.id,
                            'inspector': data.chen.id}])

    @with_transaction()
    def test_acceptance_receipt_public_address(self):
        """The receipt's QR code points to the public address of the
        application's hall; without one, or with this machine's, printing is
        refused in Chinese"""
        pool = Pool()
        Receipt = pool.get(
            'hall.application.acceptance_receipt', type='report')
        data = EvaluationData()
        application = data.application()
        hall = data.hall

        def print_receipt():
            set_user, set_context = as_user(data.li_user)
            with set_user, set_context:
                _, content, _, _ = Receipt.execute([application.id], {})
            return report_text(content)
        for address in ['', 'http://127.0.0.1:8000', 'http://localhost']:
            hall.public_url = address
            hall.save()
            with self.subTest(address=address):
                with self.assertRaises(PublicAddressError) as cm:
                    print_receipt()
                self.assertIn("Public Address", cm.exception.message)
                self.assertIn(hall.name, cm.exception.message)
                self.assertIn("Acceptance Receipt", cm.exception.message)
        hall.public_url = 'http://10.12.0.8:8000/'
        hall.save()
        self.assertIn(
            'http://10.12.0.8:8000/%s/hall/rate/%s' % (
                urllib.parse.quote(DB_NAME),
                application.rating_link().token),
            print_receipt())

        # Once rated there is no QR code to print: no address needed
        hall.public_url = None
        hall.save()
        data.rate(application, 'satisfied')
        self.assertNotIn('/hall/rate/', print_receipt())

    @with_transaction()
    def test_public_address_migrated_to_halls(self):
        """Upgrading from 8.0.1 moves the public address of the rating
        configuration to the halls that have none"""
        pool = Pool()
        Configuration = pool.get('hall.evaluation.configuration')
        Hall = pool.get('hall.hall')
        data = EvaluationData()
        other, = Hall.create([{
                    'name': "江北分中心", 'company': data.company.id,
                    'public_url': 'https://jb.example.gov.cn'}])
        data.hall.public_url = None
        data.hall.save()
        Configuration(1).save()
        table_h = Configuration.__table_handler__('hall_evaluation')
        table_h.add_column('public_url', 'VARCHAR')
        cursor = Transaction().connection.cursor()
        table = Configuration.__table__()
        cursor.execute(*table.update(
                [table.public_url], ['https://zwfw.example.gov.cn']))

        Configuration.__register__('hall_evaluation')
        self.assertFalse(Configuration.__table_handler__(
                'hall_evaluation').column_exist('public_url'))
        hall = Hall.__table__()
        cursor.execute(*hall.select(hall.public_url,
                where=hall.id.in_([data.hall.id, other.id]),
                order_by=[hall.id]))
        self.assertEqual([u for u, in cursor],
            ['https://zwfw.example.gov.cn', 'https://jb.example.gov.cn'])

    @with_transaction()
    def test_acceptance_receipt_content(self):
        """The receipt gives the hall's contact, is dated the day of the
        acceptance and writes a limit of no working day 即办"""
        pool = Pool()
        Receipt = pool.get(
            'hall.application.acceptance_receipt', type='report')
        data = EvaluationData()
        with on(dt.date(2025, 9, 29)):
            application = data.application(
                window=data.a02, service=data.residence)
        set_user, set_context = as_user(data.zhao_user)
        with set_user, set_context, on(dt.date(2025, 10, 9)):
            _, content, _, _ = Receipt.execute([application.id], {})
        text = report_text(content)
        self.assertIn("地址：杭州市上城区解放东路18号", text)
        self.assertIn("咨询电话：0571-87000000", text)
        self.assertIn("办公时间：工作日", text)
        self.assertIn("2025年9月29日", text)
        self.assertNotIn("2025年10月9日", text)
        self.assertIn("\n即办\n", text)
        self.assertIn("\n15 个工作日\n", text)

    @with_transaction()
    def test_acceptance_receipt_qr(self):
        "The acceptance receipt carries the QR code of the rating link"
        pool = Pool()
        Receipt = pool.get(
            'hall.application.acceptance_receipt', type='report')
        data = EvaluationData()
        application = data.application()
        link = application.rating_link()
        set_user, set_context = as_user(data.manager)
        with set_user, set_context:
            oext, content, _, _ = Receipt.execute([application.id], {})
        self.assertEqual(oext, 'odt')
        import io
        import zipfile
        with zipfile.ZipFile(io.BytesIO(content)) as odt:
            names = odt.namelist()
            text = odt.read('content.xml').decode('utf-8')
            pictures = [n for n in names if n.endswith('.svg')]
            svg = odt.read(pictures[0]).decode('utf-8')
        self.assertEqual(len(pictures), 1)
        self.assertIn('<svg', svg)
        self.assertIn(pictures[0], text)
        self.assertIn(link.token, text)
        self.assertIn("扫码评价本次服务", text)
        self.assertIn("受理通知书", text)
        self.assertIn("办件编号", text)
        # Once rated, no QR code any more
        data.rate(application, 'satisfied')
        set_user, set_context = as_user(data.manager)
        with set_user, set_context:
            _, content, _, _ = Receipt.execute([application.id], {})
        with zipfile.ZipFile(io.BytesIO(content)) as odt:
            self.assertFalse(any(
                    n.endswith('.svg') for n in odt.namelist()))
            self.assertNotIn(
                "扫码评价本次服务", odt.read('content.xml').decode('utf-8'))


@unittest.skipUnless(hall_queue_ready(), "hall_queue defines no hall.ticket")
class HallEvaluationQueueTestCase(ModuleTestCase):
    "Test Hall Evaluation with Hall Queue"
    module = 'hall_evaluation'
    extras = ['hall_queue']

    @with_transaction()
    def test_ticket_rating(self):
        "A finished ticket is rated through its QR code and the device"
        from .queue_tools import check_ticket_rating
        check_ticket_rating(self)


del ModuleTestCase
