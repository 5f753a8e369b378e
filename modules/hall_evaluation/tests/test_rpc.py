# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The server holds the workflows of ratings, rectifications, inspections
and rating devices against plain JSON-RPC calls, as sao sends them: the
fields their code owns are refused to each role that writes them, and bad
input is refused in Chinese and changes nothing."""
import datetime as dt
from decimal import Decimal

from trytond.modules.hall.tests.tools import RPCTestMixin, on
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase

from .tools import EvaluationData

EVALUATION = 'model.hall.evaluation'
RECTIFICATION = 'model.hall.evaluation.rectification'
FOLLOWUP = 'model.hall.evaluation.rectification.followup'
INSPECTION = 'model.hall.inspection'
SCORE = 'model.hall.inspection.score'
DEVICE = 'model.hall.evaluation.device'
CONFIGURATION = 'model.hall.evaluation.configuration'
INVALIDATE = 'wizard.hall.evaluation.invalidate'
ENTER = 'wizard.hall.evaluation.enter'
REGISTER = 'wizard.hall.evaluation.device.register'
RANK = 'wizard.hall.evaluation.ranking.compute'

# Tuesday 30 September 2025, the eve of the National Day holiday
EVE = dt.date(2025, 9, 30)
# Monday 22 September 2025, the day of the inspections
INSPECTED = dt.date(2025, 9, 22)


class HallEvaluationRPCTestCase(RPCTestMixin, RouteTestCase):
    "Test the evaluation rules over JSON-RPC"
    module = 'hall_evaluation'

    @classmethod
    def create_data(cls):
        pool = Pool()
        Evaluation = pool.get('hall.evaluation')
        Rectification = pool.get('hall.evaluation.rectification')
        Inspection = pool.get('hall.inspection')
        Device = pool.get('hall.evaluation.device')
        data = EvaluationData()

        # Two bad ratings, each opening a rectification: the first stays
        # valid and open, the second is under review and verified
        with on(EVE):
            valid = data.rate(data.application(), 'dissatisfied', "态度生硬")
            review = data.rate(
                data.application(window=data.a02), 'very_dissatisfied',
                "排队太久")
        Evaluation.review([review])
        opened, = valid.rectifications
        verified, = review.rectifications
        verified.verification = "经调取录像，情况属实"
        verified.save()
        with on(dt.date(2025, 10, 9)):
            Rectification.verify([verified])
        # A rated application is rated no more; this one is served, unrated
        unrated = data.application()

        # A draft inspection of both windows, filled with full marks, and a
        # done one of A01
        draft, done = Inspection.create([{
                    'company': data.company.id, 'hall': data.hall.id,
                    'date': INSPECTED, 'inspector': data.chen.id,
                    'windows': [('add', [data.a01.id, data.a02.id])],
                    }, {
                    'company': data.company.id, 'hall': data.hall.id,
                    'date': INSPECTED, 'inspector': data.chen.id,
                    'windows': [('add', [data.a01.id])],
                    }])
        Inspection.fill([draft, done])
        with on(INSPECTED):
            Inspection.done([done])

        # The rating pads of A01 (active) and A02 (revoked)
        active, _ = Device.register(data.a01, "A01 评价器")
        revoked, _ = Device.register(data.a02, "A02 评价器")
        Device.revoke([revoked])

        assert Evaluation(review.id).validity == 'review'
        assert Rectification(verified.id).state == 'verified'
        assert Inspection(done.id).state == 'done'
        assert Device(revoked.id).state == 'revoked'
        cls.ids = {
            'valid': valid.id,
            'review': review.id,
            'opened': opened.id,
            'verified': verified.id,
            'draft': draft.id,
            'done': done.id,
            'score': Inspection(draft.id).scores[0].id,
            'active': active.id,
            'revoked': revoked.id,
            'unrated': unrated.id,
            'company': data.company.id,
            'hall': data.hall.id,
            'chen': data.chen.id,
            'manager': data.manager.id,
            }
        cls.supervisor = cls.session(data.supervisor)
        cls.manager = cls.session(data.manager)

    def test_owned_fields_refused(self):
        """Each field the code of the workflows owns is refused to each role
        that writes the model (docs/access.csv): rectifications and
        inspections to the evaluation supervisor, rating devices to the
        hall manager; ratings, which no role writes, to the supervisor who
        reviews them"""
        tried = 0
        for session, model, records in [
                (self.supervisor, 'hall.evaluation.rectification',
                    ['opened', 'verified']),
                (self.supervisor, 'hall.inspection', ['draft', 'done']),
                (self.supervisor, 'hall.inspection.score', ['score']),
                (self.manager, 'hall.evaluation.device',
                    ['active', 'revoked']),
                (self.supervisor, 'hall.evaluation', ['valid', 'review']),
                ]:
            for record in records:
                tried += self.assertOwnedRefused(
                    session, model, self.ids[record])
        # rectifications 2 × 23, inspections 2 × 7, a score 6, devices
        # 2 × 15, ratings 2 × 19
        self.assertGreaterEqual(tried, 130)

    def stored(self):
        "What the bad input must leave as it is"
        return (
            self.read_all('hall.evaluation', [
                    'id', 'validity', 'level', 'invalid_reason',
                    'reviewed_by']),
            self.read_all('hall.evaluation.rectification', [
                    'id', 'state', 'verification', 'department',
                    'supervisor', 'closed_date']),
            self.read_all('hall.evaluation.rectification.followup', ['id']),
            self.read_all('hall.inspection', [
                    'id', 'state', 'date', 'note']),
            self.read_all('hall.inspection.score', ['id', 'score']),
            self.read_all('hall.evaluation.device', [
                    'id', 'state', 'name']),
            self.read('hall.evaluation.configuration', [1], [
                    'rectification_days', 'link_days', 'rating_weight']),
            self.read_all('hall.evaluation.ranking', ['id']),
            )

    def test_bad_input(self):
        "Bad input is refused in Chinese and changes nothing"
        ids = self.ids
        opened, verified = ids['opened'], ids['verified']
        draft, done, score = ids['draft'], ids['done'], ids['score']
        active, revoked = ids['active'], ids['revoked']
        inspection = {
            'company': ids['company'], 'hall': ids['hall'],
            'date': INSPECTED, 'inspector': ids['chen'],
            }
        followup = {
            'rectification': opened, 'date': EVE, 'caller': ids['chen'],
            'result': "已回访",
            }
        supervisor, manager = self.supervisor, self.manager
        bad = [
            # rectifications: texts too long, ids that do not exist, a
            # supervisor who is none, a step skipped, a field readonly
            (supervisor, f'{RECTIFICATION}.write', [opened],
                {'verification': "长" * 100000}),
            (supervisor, f'{RECTIFICATION}.write', [opened],
                {'department': 10 ** 20}),
            (supervisor, f'{RECTIFICATION}.write', [opened],
                {'department': 999999}),
            (supervisor, f'{RECTIFICATION}.write', [opened],
                {'supervisor': ids['manager']}),
            (supervisor, f'{RECTIFICATION}.write', [opened],
                {'verification': 12345}),
            (supervisor, f'{RECTIFICATION}.verify', [opened], "已核实"),
            (supervisor, f'{RECTIFICATION}.verify', [opened]),
            (supervisor, f'{RECTIFICATION}.close', [opened]),
            (supervisor, f'{RECTIFICATION}.verify', [999999]),
            (supervisor, f'{RECTIFICATION}.write', [verified],
                {'verification': "改口"}),
            # follow-up calls: a date of the wrong kind, no rectification
            (supervisor, f'{FOLLOWUP}.create',
                [{**followup, 'date': "昨天"}]),
            (supervisor, f'{FOLLOWUP}.create',
                [{**followup, 'rectification': 999999}]),
            (supervisor, f'{FOLLOWUP}.create',
                [{**followup, 'method': 'telepathy'}]),
            # inspections: a date of the wrong kind, a hall that does not
            # exist, a text too long, a done inspection changed, an
            # argument more to a button
            (supervisor, f'{INSPECTION}.create',
                [{**inspection, 'date': "明天"}]),
            (supervisor, f'{INSPECTION}.create',
                [{**inspection, 'hall': 10 ** 20}]),
            (supervisor, f'{INSPECTION}.create', {'hall': ids['hall']}),
            (supervisor, f'{INSPECTION}.write', [draft],
                {'note': "长" * 100000}),
            (supervisor, f'{INSPECTION}.write', [done],
                {'date': dt.date(2099, 1, 1)}),
            (supervisor, f'{INSPECTION}.cancel', [draft], True),
            # scores: above the criterion's maximum, negative, wrong kinds
            (supervisor, f'{SCORE}.write', [score], {'score': Decimal(25)}),
            (supervisor, f'{SCORE}.write', [score], {'score': Decimal(-5)}),
            (supervisor, f'{SCORE}.write', [score], {'score': "九十"}),
            (supervisor, f'{SCORE}.write', [score], {'score': 10 ** 20}),
            # rating devices: a name too long, a revoked one renamed
            (manager, f'{DEVICE}.write', [active], {'name': "评" * 100}),
            (manager, f'{DEVICE}.write', [revoked], {'name': "新名字"}),
            (manager, f'{DEVICE}.revoke', [active], "2099-01-01"),
            # ratings: a level outside the selection, a button with an
            # argument more
            (supervisor, f'{EVALUATION}.write', [ids['valid']],
                {'level': 'terrible'}),
            (supervisor, f'{EVALUATION}.review', [ids['valid']], 1),
            # the configuration: negative counts, a weight above 1
            (supervisor, f'{CONFIGURATION}.write', [1],
                {'rectification_days': -3}),
            (supervisor, f'{CONFIGURATION}.write', [1], {'link_days': 0}),
            (supervisor, f'{CONFIGURATION}.write', [1],
                {'rating_weight': Decimal('1.5')}),
            ]
        before = self.stored()
        self.assertEqual(len(before[0]), 2)
        refused = 0
        for session, method, *params in bad:
            with self.subTest(method=method, params=params):
                self.assertRefused(session, method, *params)
                refused += 1

        # the invalidate wizard: a reason of blanks, of the wrong kind, and
        # a rating not under review
        for evaluation, reason in [
                (ids['review'], "   "),
                (ids['review'], 12345),
                (ids['valid'], "恶意差评"),
                ]:
            context = {
                'active_model': 'hall.evaluation',
                'active_id': evaluation,
                'active_ids': [evaluation],
                }
            wizard_id, start, _ = self.assertRPC(supervisor,
                f'{INVALIDATE}.create')
            with self.subTest(invalidate=evaluation, reason=reason):
                self.assertRefused(supervisor, f'{INVALIDATE}.execute',
                    wizard_id, {start: {'reason': reason}}, 'invalidate',
                    context=context)
                refused += 1
            self.assertRPC(supervisor, f'{INVALIDATE}.delete', wizard_id)

        # the enter wizard: a citizen's channel, a rating in the future,
        # an application that does not exist or is rated already
        entered = {
            'company': ids['company'], 'channel': 'hotline',
            'application': ids['unrated'],
            'rated_at': dt.datetime.now() - dt.timedelta(minutes=1),
            'level': 'satisfied', 'anonymous': False,
            }
        rated, = self.read('hall.evaluation', [ids['valid']],
            ['application'])
        for values in [
                {'channel': 'qr_code'},
                {'rated_at': dt.datetime(2099, 1, 2, 3, 4, 5)},
                {'application': 999999},
                {'application': rated['application']},
                {'level': 'very_dissatisfied', 'reason': None},
                ]:
            wizard_id, start, _ = self.assertRPC(supervisor,
                f'{ENTER}.create')
            with self.subTest(enter=values):
                self.assertRefused(supervisor, f'{ENTER}.execute',
                    wizard_id, {start: {**entered, **values}}, 'enter')
                refused += 1
            self.assertRPC(supervisor, f'{ENTER}.delete', wizard_id)

        # the device and ranking wizards: a window that does not exist or
        # of the wrong kind, a month of the wrong kind, no such hall
        for session, wizard, values, state in [
                (manager, REGISTER, {'window': 10 ** 20, 'name': "评价器"},
                    'register'),
                (manager, REGISTER, {'window': "A01", 'name': "评价器"},
                    'register'),
                (supervisor, RANK, {'hall': ids['hall'], 'month': "上月"},
                    'compute'),
                (supervisor, RANK, {'hall': 999999,
                        'month': dt.date(2025, 9, 1)}, 'compute'),
                ]:
            wizard_id, start, _ = self.assertRPC(session, f'{wizard}.create')
            with self.subTest(wizard=wizard, values=values):
                self.assertRefused(session, f'{wizard}.execute',
                    wizard_id, {start: values}, state)
                refused += 1
            self.assertRPC(session, f'{wizard}.delete', wizard_id)

        self.assertEqual(self.stored(), before)
        self.assertEqual(refused, 43)

        # the values the bad ones were made from are entered
        wizard_id, start, _ = self.assertRPC(supervisor, f'{ENTER}.create')
        self.assertRPC(supervisor, f'{ENTER}.execute',
            wizard_id, {start: entered}, 'enter')
        self.assertRPC(supervisor, f'{ENTER}.delete', wizard_id)
        self.assertEqual(
            len(self.read_all('hall.evaluation', ['id'])), len(before[0]) + 1)
