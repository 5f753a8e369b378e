# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The themes (一件事): the plan and the guide with no database; on one, the
combined lists of materials and data items, the publication, the theme
application from reception to completion, the printed guide and notice,
and the public pages."""
import unittest
from unittest.mock import patch

import graphviz

from trytond.model.exceptions import AccessError
from trytond.model.exceptions import (
    DomainValidationError, RequiredValidationError)
from trytond.modules.hall.tests.tools import (
    as_user, commit, make_chinese, report_text)
from trytond.modules.hall_theme import guide_rules, theme_rules
from trytond.modules.hall_theme.exceptions import (
    ThemeApplicationError, ThemeError)
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.tests.test_tryton import (
    RouteTestCase, activate_module, drop_db, with_transaction)

from .tools import ThemeData


class ThemeRulesTestCase(unittest.TestCase):
    "The plan of a theme and its savings, with no database"

    def test_stage_windows(self):
        "A stage starts when the longest step of the one before ends"
        windows = theme_rules.stage_windows([
                ('birth', 1, 1), ('vaccination', 1, 2),
                ('medical', 2, 1), ('card', 2, 5), ('late', 4, 0)])
        self.assertEqual(windows, {
                'birth': (0, 1), 'vaccination': (0, 2),
                'medical': (2, 3), 'card': (2, 7), 'late': (7, 7)})
        self.assertEqual(theme_rules.theme_limit(
                [(1, 1), (1, 2), (2, 1), (2, 5)]), 7)
        self.assertEqual(theme_rules.theme_limit([]), 0)

    def test_theme_state(self):
        state = theme_rules.theme_state
        self.assertEqual(state(['accepted', 'approved']), 'accepted')
        self.assertEqual(state(['completed', 'accepted']), 'partial')
        self.assertEqual(state(['completed', 'withdrawn']), 'completed')
        self.assertEqual(state(['completed', 'rejected']), 'rejected')
        self.assertEqual(state(['accepted', 'rejected']), 'rejected')
        self.assertEqual(state(['withdrawn']), 'withdrawn')

    def test_saving(self):
        self.assertAlmostEqual(theme_rules.saving(6, 10), 0.4)
        self.assertIsNone(theme_rules.saving(3, 0))

    def test_guide_graph(self):
        "The steps of a stage side by side, joined before the next stage"
        graph = guide_rules.guide_graph("新生儿出生",
            [(1, [("出生登记", "公安局", 1), ("预防接种证办理", "卫健委", 2)]),
                (2, [("医保参保登记", "医保局", 1),
                        ("社会保障卡申领", "人社局", 5)])],
            [("出生医学证明", 3, True, True), ("结婚证", 1, True, False)],
            7, 9, 'one')
        source = graph.source
        for text in ["出生登记", "cluster_1", "cluster_2", "并联办理",
                "join_2", "3个事项共用，可亮证", "容缺", "承诺7个工作日",
                "分别办理共9个", "最多跑一次"]:
            self.assertIn(text, source)
        self.assertEqual(source.count('-> join_2'), 2)

    def test_image_size(self):
        png = bytes(16) + (400).to_bytes(4, 'big') + (1000).to_bytes(4, 'big')
        self.assertEqual(guide_rules.image_size(png, 17, 20), (8, 20))


def combined(theme):
    return {m.name: (m.service_count, m.mandatory, bool(m.electronic))
        for m in theme.materials}


class ThemeTestCase(unittest.TestCase):
    "Themes and theme applications on a database"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(['hall_theme'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def test_combined_lists(self):
        """The materials and the data items of the services once each, with
        the services asking for them; a step added or removed changes the
        lists"""
        pool = Pool()
        Step = pool.get('hall.theme.step')
        Theme = pool.get('hall.theme')
        data = ThemeData()
        theme = data.theme
        self.assertEqual(combined(theme), {
                "出生医学证明": (3, True, True),
                "居民户口簿": (2, True, True),
                "居民身份证": (2, True, True),
                "结婚证": (1, True, True),
                "新生儿入户申请表": (1, True, False),
                "近期免冠白底证件照片": (1, True, False),
                })
        birth, = [m for m in theme.materials if m.name == "出生医学证明"]
        self.assertEqual(set(birth.services),
            {data.birth, data.vaccination, data.medical})
        self.assertEqual(set(birth.service_names.split('、')),
            {"出生登记", "预防接种证办理", "城乡居民医保参保登记"})
        self.assertEqual(
            {i.item.name: i.service_count for i in theme.data_items},
            {"新生儿姓名": 4, "公民身份号码": 3, "联系电话": 2,
                "银行账号": 1})
        self.assertEqual((theme.material_count,
                theme.separate_material_count), (6, 10))
        self.assertEqual((theme.promised_limit, theme.separate_limit),
            (7, 9))

        # the social security card leaves the theme
        card_step, = [s for s in theme.steps if s.service == data.card]
        Step.delete([card_step])
        theme = Theme(theme.id)
        self.assertNotIn("近期免冠白底证件照片", combined(theme))
        self.assertEqual(combined(theme)["居民身份证"], (1, True, True))
        self.assertNotIn("银行账号", [i.item.name for i in theme.data_items])
        self.assertEqual((theme.promised_limit, theme.material_count), (3, 5))
        # and comes back in the first stage
        Step.create([{'theme': theme.id, 'service': data.card.id,
                    'stage': 1}])
        theme = Theme(theme.id)
        self.assertEqual(combined(theme)["居民身份证"], (2, True, True))
        self.assertEqual(theme.promised_limit, 6)
        # a material another theme shares is its own row in each theme
        other, = Theme.copy([theme], {'code': 'YJS-02'})
        self.assertEqual(combined(other), combined(theme))
        self.assertFalse(
            {m.id for m in other.materials} & {m.id for m in theme.materials})

    @with_transaction()
    def test_publication(self):
        """A theme is published with two services and a hall; its steps
        change only in draft, whoever asks"""
        pool = Pool()
        Theme = pool.get('hall.theme')
        Step = pool.get('hall.theme.step')
        data = ThemeData()
        single, = Theme.create([{
                    'company': data.company.id, 'code': 'ONE', 'name': "一",
                    'halls': [('add', [data.hall.id])],
                    'steps': [('create', [{'service': data.birth.id}])],
                    }])
        with self.assertRaises(ThemeError) as cm:
            Theme.publish([single])
        self.assertIn(single.name, cm.exception.message)
        Theme.write([data.theme], {'halls': [('remove', [data.hall.id])]})
        with self.assertRaises(ThemeError):
            Theme.publish([data.theme])
        Theme.write([data.theme], {'halls': [('add', [data.hall.id])]})
        Theme.publish([data.theme])
        self.assertEqual(data.theme.state, 'published')
        self.assertTrue(data.theme.published_date)
        step = data.theme.steps[0]
        for change in [
                lambda: Step.write([step], {'stage': 3}),
                lambda: Step.delete([step]),
                lambda: Step.create([{'theme': data.theme.id,
                            'service': data.licence.id}]),
                ]:
            with self.assertRaises(ThemeError):
                change()
        Theme.draft([data.theme])
        Step.write([step], {'stage': 3})

    @with_transaction()
    def test_theme_application(self):
        """新生儿出生 received once with one material missing, listed once
        though three services ask for it; accepted as four applications
        at their departments, due on the plan; completed with the last"""
        pool = Pool()
        Theme = pool.get('hall.theme')
        ThemeApplication = pool.get('hall.theme.application')
        Line = pool.get('hall.theme.application.material')
        Application = pool.get('hall.application')
        Date = pool.get('ir.date')
        CalendarDay = pool.get('hall.calendar.day')
        data = ThemeData()
        # a theme not published is not applied for
        with self.assertRaises(DomainValidationError):
            data.theme_application()
        Theme.publish([data.theme])
        # nor received once retired
        retired = data.theme_application()
        Theme.retire([data.theme])
        with self.assertRaises(ThemeApplicationError):
            ThemeApplication.receive([retired])
        Theme.draft([data.theme])
        Theme.publish([data.theme])
        # an enterprise is not who a birth is for
        enterprise, = pool.get('party.party').create([{
                    'name': "杭州某某科技有限公司",
                    'identifiers': [('create', [{'type': 'cn_vat',
                                    'code': '91110108MA01KP2K3E'}])],
                    }])
        wrong = data.theme_application(applicant=enterprise.id)
        with self.assertRaises(ThemeApplicationError) as cm:
            ThemeApplication.receive([wrong])
        self.assertIn(enterprise.name, cm.exception.message)

        set_user, set_context = as_user(data.wang_user)
        with set_user, set_context:
            application = data.theme_application()
            ThemeApplication.receive([application])
        application = ThemeApplication(application.id)
        self.assertEqual(application.state, 'received')
        self.assertTrue(application.number.startswith('YJS'))
        self.assertEqual((application.visits, application.clerk),
            (1, data.wang))
        lines = {line.name: line for line in application.materials}
        self.assertEqual(len(lines), 6)
        self.assertEqual(lines["出生医学证明"].status, 'pending')

        # the marriage certificate shown as an electronic licence, the
        # photo is no electronic licence, the birth certificate missing
        marriage, photo = lines["结婚证"], lines["近期免冠白底证件照片"]
        with self.assertRaises(RequiredValidationError):
            Line.write([marriage], {'status': 'electronic'})
        with self.assertRaises(DomainValidationError):
            Line.write([photo], {'status': 'electronic',
                    'licence_number': "X"})
        Line.write([marriage], {'status': 'electronic',
                'licence_number': "330106-JHZ-2019-001234"})
        missing = lines["出生医学证明"]
        Line.write([l for l in lines.values()
                if l not in {marriage, missing}], {'status': 'provided'})
        Line.write([missing], {'status': 'missing',
                'problem': "缺原件"})
        with self.assertRaises(ThemeApplicationError):
            ThemeApplication.accept([application])
        ThemeApplication.request_supplement([application])
        self.assertEqual(application.state, 'supplement')
        set_user, set_context = as_user(data.wang_user)
        with set_user, set_context:
            notice = ThemeMissingNotice(application)
        self.assertEqual(notice.count("出生医学证明"), 1)
        self.assertIn("出生登记、预防接种证办理、城乡居民医保参保登记",
            notice)
        self.assertIn("缺原件", notice)

        # the parent comes back with it
        Line.write([missing], {'status': 'provided'})
        set_user, set_context = as_user(data.wang_user)
        with set_user, set_context:
            ThemeApplication.accept([application])
        application = ThemeApplication(application.id)
        today = Date.today()
        self.assertEqual(application.state, 'accepted')
        # the notice given is kept
        set_user, set_context = as_user(data.wang_user)
        with set_user, set_context:
            self.assertIn("出生医学证明", ThemeMissingNotice(application))
        self.assertEqual(application.visits, 2)
        self.assertEqual(application.promised_due_date,
            CalendarDay.add_working_days(today, 7))
        children = {c.service: c for c in application.children}
        self.assertEqual(set(children), {
                data.birth, data.vaccination, data.medical, data.card})
        for child in children.values():
            self.assertEqual(child.state, 'accepted')
            self.assertTrue(child.number)
            self.assertEqual(child.applicant, data.parent)
            self.assertEqual((child.visits, child.clerk), (0, data.wang))
        self.assertEqual(
            {s.code: children[s].promised_due_date for s in children},
            {'GA-101': CalendarDay.add_working_days(today, 1),
                'WJ-201': CalendarDay.add_working_days(today, 2),
                'YB-301': CalendarDay.add_working_days(today, 3),
                'RS-401': CalendarDay.add_working_days(today, 7)})
        self.assertEqual(children[data.card].window, data.social_window)

        # the departments decide, the theme follows
        def finish(*services):
            records = [children[s] for s in services]
            Application.approve(records)
            Application.complete(records)
            return ThemeApplication(application.id)
        self.assertEqual(finish(data.birth).state, 'partial')
        self.assertIsNone(finish(data.vaccination).completed_date)
        done = finish(data.medical, data.card)
        self.assertEqual(done.state, 'completed')
        self.assertEqual((done.completed_date, done.actual_days), (today, 0))

    @with_transaction()
    def test_rejected_in_part(self):
        "A child rejected makes the theme rejected in part"
        pool = Pool()
        ThemeApplication = pool.get('hall.theme.application')
        Application = pool.get('hall.application')
        data = ThemeData()
        application = data.accepted_application()
        first, *others = application.children
        Application.write([first], {'rejection_reason': "不符合条件"})
        Application.reject([first])
        self.assertEqual(ThemeApplication(application.id).state, 'rejected')
        Application.approve(others)
        Application.complete(others)
        application = ThemeApplication(application.id)
        self.assertEqual(application.state, 'rejected')
        self.assertTrue(application.completed_date)

    @with_transaction()
    def test_figures(self):
        """The figures of a period and a hall, worked out by hand: three
        theme applications received (a draft one is not), two accepted, one
        completed"""
        pool = Pool()
        Theme = pool.get('hall.theme')
        ThemeApplication = pool.get('hall.theme.application')
        Line = pool.get('hall.theme.application.material')
        Application = pool.get('hall.application')
        Figures = pool.get('hall.theme.figures')
        Summary = pool.get('hall.theme.figures.summary')
        Hall = pool.get('hall.hall')
        Date = pool.get('ir.date')
        CalendarDay = pool.get('hall.calendar.day')
        data = ThemeData()
        Theme.publish([data.theme])
        today = Date.today()
        done, partial, withdrawn, _ = [
            data.theme_application() for _ in range(4)]
        ThemeApplication.receive([done, partial, withdrawn])
        Line.write([l for a in [done, partial] for l in a.materials],
            {'status': 'provided'})
        Line.write([partial.materials[0]], {'status': 'missing'})
        ThemeApplication.request_supplement([partial])
        Line.write([partial.materials[0]], {'status': 'provided'})
        ThemeApplication.write([withdrawn], {'withdrawal_reason': "不办了"})
        ThemeApplication.withdraw([withdrawn])
        ThemeApplication.accept([done, partial])
        Application.approve(list(done.children) + [partial.children[0]])
        later = CalendarDay.add_working_days(today, 4)
        with patch.object(Date, 'today', return_value=later):
            Application.complete(
                list(done.children) + [partial.children[0]])
        took = CalendarDay.count_working_days(today, later)
        self.assertEqual(ThemeApplication(done.id).actual_days, took)

        with Transaction().set_context(from_date=today, to_date=today,
                hall=data.hall.id):
            row, = Figures.search([])
            summary, = Summary.search([])
        self.assertEqual(row.theme, data.theme)
        for figures in [row, summary]:
            self.assertEqual(
                (figures.applications, figures.accepted, figures.completed,
                    figures.materials, figures.separate_materials,
                    figures.visits, figures.separate_visits,
                    figures.days, figures.separate_days,
                    figures.concluded, figures.rated),
                # visits: 1 + 2 against 4 services asking one each, twice;
                # days: 9 promised by the four services
                (3, 2, 1, 6, 10, 3, 8, took, 9, 1, 0))
            self.assertAlmostEqual(figures.completion_rate, 0.5)
            self.assertAlmostEqual(figures.materials_saving, 0.4)
            self.assertAlmostEqual(figures.visits_saving, 1 - 3 / 8)
            self.assertAlmostEqual(figures.time_saving, 1 - took / 9)
            self.assertEqual(figures.rating_coverage, 0)
        self.assertEqual(summary.published, 1)
        # another hall: nothing; a later period: the theme published, no
        # application
        other, = Hall.create([{'name': "分厅", 'company': data.company.id}])
        with Transaction().set_context(hall=other.id):
            self.assertEqual(Figures.search([]), [])
            summary, = Summary.search([])
            self.assertEqual((summary.published, summary.applications),
                (0, 0))
        with Transaction().set_context(from_date=later, to_date=later):
            row, = Figures.search([])
            summary, = Summary.search([])
            self.assertEqual((row.applications, row.materials), (0, 6))
            self.assertEqual((summary.published, summary.applications),
                (1, 0))
            self.assertIsNone(summary.completion_rate)
            self.assertAlmostEqual(summary.materials_saving, 0.4)

    @with_transaction()
    def test_guide(self):
        "The guide drawn in the form and printed"
        pool = Pool()
        Guide = pool.get('hall.theme.guide', type='report')
        data = ThemeData()
        self.assertEqual(data.theme.guide[:8], b'\x89PNG\r\n\x1a\n')
        self.assertIn(b'<svg', data.theme.render_guide('svg'))
        set_user, set_context = as_user(data.li_user)
        with set_user, set_context:
            extension, content, _, _ = Guide.execute([data.theme.id], {})
        self.assertEqual(extension, 'odt')
        text = report_text(content)
        for line in ["“新生儿出生”一件事 全流程导办指南", "第2步",
                "社会保障卡申领", "人力资源和社会保障局", "可亮证免交",
                "承诺时限：7个工作日（各事项分别办理共9个工作日）"]:
            self.assertIn(line, text)
        # without Graphviz the form opens without the picture, the print
        # says why
        Theme = pool.get('hall.theme')
        with patch.object(graphviz.Digraph, 'pipe',
                side_effect=graphviz.ExecutableNotFound(['dot'])):
            self.assertIsNone(Theme(data.theme.id).guide)
            set_user, set_context = as_user(data.li_user)
            with set_user, set_context, self.assertRaises(ThemeError):
                Guide.execute([data.theme.id], {})

    @with_transaction()
    def test_roles(self):
        """The manager keeps the themes; a clerk reads them and receives
        theme applications; a department's clerk reads the theme
        application of their child application, not its siblings, and
        writes none of it; the leader reads"""
        pool = Pool()
        Theme = pool.get('hall.theme')
        ThemeApplication = pool.get('hall.theme.application')
        Application = pool.get('hall.application')
        data = ThemeData()
        application = data.accepted_application()
        card, = [c for c in application.children if c.service == data.card]

        set_user, set_context = as_user(data.zhao_user)
        with set_user, set_context:
            self.assertEqual(Application.search([
                        ('theme_application', '=', application.id)]), [card])
            theme_application, = ThemeApplication.search([])
            self.assertEqual(theme_application, application)
            self.assertEqual(list(
                    ThemeApplication.read([application.id], ['children'])[0][
                        'children']), [card.id])
            with self.assertRaises(AccessError):
                ThemeApplication.write([application], {'note': "x"})
            with self.assertRaises(AccessError):
                Theme.write([data.theme], {'name': "x"})
        set_user, set_context = as_user(data.li_user)
        with set_user, set_context:
            self.assertEqual(ThemeApplication.search([]), [])
            self.assertTrue(Theme.search([]))
        set_user, set_context = as_user(data.leader)
        with set_user, set_context:
            self.assertEqual(ThemeApplication.search([]), [application])
            with self.assertRaises(AccessError):
                ThemeApplication.write([application], {'note': "x"})


def ThemeMissingNotice(application):
    Notice = Pool().get(
        'hall.theme.application.missing_materials', type='report')
    _, content, _, _ = Notice.execute([application.id], {})
    return report_text(content)


class ThemePublicTestCase(RouteTestCase):
    "The public list of themes and their guides"
    module = 'hall_theme'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        commit(cls.create_data)
        commit(make_chinese)

    @classmethod
    def create_data(cls):
        data = ThemeData()
        Pool().get('hall.theme').publish([data.theme])
        cls.hall_id, cls.theme_id = data.hall.id, data.theme.id

    def test_pages(self):
        client = self.client()
        db = self.db_name
        response = client.get(f'/{db}/hall/{self.hall_id}/themes')
        self.assertEqual(response.status_code, 200)
        self.assertIn("新生儿出生", response.text)
        self.assertIn("分别办理9个", response.text)
        response = client.get(
            f'/{db}/hall/{self.hall_id}/themes/{self.theme_id}')
        self.assertEqual(response.status_code, 200)
        for text in ["全流程导办指南", "data:image/svg+xml;base64,",
                "社会保障卡申领", "城乡居民医保参保登记"]:
            self.assertIn(text, response.text)
        for path in [f'{self.hall_id}/themes/999999',
                f'{self.hall_id}/themes/abc', '999999/themes',
                f'{self.hall_id}/themes/{"9" * 30}']:
            response = client.get(f'/{db}/hall/{path}')
            self.assertEqual(response.status_code, 404, path)
            self.assertIn("没有", response.text)
