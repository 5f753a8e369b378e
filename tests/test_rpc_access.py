# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The access of every role to every model, over HTTP JSON-RPC, against the
access matrix docs/access.csv (see tests/access_matrix.py).

All the modules are activated; a user is made for each role of the modules
(res.role) and logged in; what the server answers to sao's own calls
(`ir.model.access.get_access`, `fields_get`) and what
it does with the calls sao would not make (a create, write or delete the
matrix refuses) is compared with the matrix, cell by cell.

ACCESS_MATRIX=write rewrites docs/access.csv from the server instead."""
import os
import re
from collections import defaultdict

import access_matrix
from trytond.model import ModelSingleton, ModelSQL, ModelView
from trytond.modules.hall.tests.tools import (
    CHINESE, SKIP, RPCTestMixin, commit, other_value)
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase
from trytond.transaction import Transaction


class AccessMatrixTestCase(RPCTestMixin, RouteTestCase):
    "Every role's access to every model, as the matrix has it"
    module = 'hall'
    # activated in English and made Chinese by RPCTestMixin (make_chinese):
    # the database tests/test_views.py activates too, restored from the
    # cache by whichever of the two comes second
    extras = [m for m in access_matrix.MODULES if m != 'hall']

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        commit(cls.create_users, user=0)

    @classmethod
    def create_users(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        IrModel = pool.get('ir.model')
        Role = pool.get('res.role')
        User = pool.get('res.user')
        Button = pool.get('ir.model.button')
        Lang = pool.get('ir.lang')

        zh_cn, = Lang.search([('code', '=', 'zh_CN')])
        roles = {}
        for data in ModelData.search([
                    ('model', '=', 'res.role'),
                    ('module', 'in', access_matrix.MODULES),
                    ]):
            roles[f'{data.module}.{data.fs_id}'] = Role(data.db_id)
        users = User.create([{
                    'login': name.replace('.', '_'),
                    'name': name,
                    'language': zh_cn.id,
                    'roles': [('create', [{'role': role.id}])],
                    } for name, role in sorted(roles.items())])
        cls.sessions = {
            user.name: cls.session(user) for user in users}
        cls.groups = {user.name: {g.id for g in user.groups}
            for user in User.browse(users)}
        # The models that store records (not the forms of wizards)
        cls.models = sorted(
            m for m in [m.name for m in IrModel.search([
                        ('module', 'in', access_matrix.MODULES)])]
            + access_matrix.PERSONAL_MODELS
            if issubclass(pool.get(m), ModelSQL))
        # The buttons of each model and the groups that may press them
        cls.buttons = defaultdict(dict)
        cls.fields = {}
        for model in cls.models:
            Model = pool.get(model)
            cls.fields[model] = set(Model._fields)
            for name in getattr(Model, '_buttons', {}):
                cls.buttons[model][name] = set(
                    Button.get_groups(model, name))
        cls.rpc_models = {m for m in cls.models
            if issubclass(pool.get(m), ModelView)}
        # Deleting a singleton (a configuration) deletes nothing
        cls.singletons = {m for m in cls.models
            if issubclass(pool.get(m), ModelSingleton)}

    def actual(self):
        "The matrix as the server grants it to each role"
        rows = []
        for role, session in sorted(self.sessions.items()):
            access = self.assertRPC(session,
                'model.ir.model.access.get_access', self.models)
            for model in self.models:
                granted = access[model]
                buttons = [name for name, groups in sorted(
                        self.buttons[model].items())
                    if (groups & self.groups[role] if groups
                        else granted['write'])]
                hidden = []
                if granted['read']:
                    # sao reads the fields of a model from fields_get, which
                    # leaves out those the user may not read
                    readable = self.assertRPC(session,
                        f'model.{model}.fields_get', None)
                    hidden = sorted(self.fields[model] - readable.keys())
                rows.append({
                        'role': role,
                        'model': model,
                        **{p: access_matrix.cell(granted[p])
                            for p in access_matrix.PERMISSIONS},
                        'buttons': ' '.join(
                            buttons if granted['read'] else []),
                        'hidden_fields': ' '.join(hidden),
                        })
        return rows

    def test_matrix(self):
        "The server grants each role what the matrix says, no more"
        actual = self.actual()
        if os.environ.get('ACCESS_MATRIX') == 'write':
            access_matrix.write(actual)
            access_matrix.update_readme(rows=actual)
        expected = access_matrix.read()
        self.assertEqual(
            {m for r in expected for m in [r['model']]}, set(self.models),
            "every model is in the matrix")
        self.assertEqual(
            {r['role'] for r in expected}, set(self.sessions),
            "every role is in the matrix")
        expected = {access_matrix.row_key(r): r for r in expected}
        for row in actual:
            with self.subTest(role=row['role'], model=row['model']):
                self.assertEqual(row, expected[access_matrix.row_key(row)])

    def test_readme(self):
        "The README's access table is the one of the matrix"
        rows = access_matrix.read()
        text = access_matrix.README.read_text(encoding='utf-8')
        self.assertEqual(
            access_matrix.readme_with_table(text, rows), text,
            "run scripts/access")

    def test_refused_calls(self):
        """What the matrix refuses is refused over JSON-RPC, in Chinese, and
        changes nothing: a search where read is refused, a create, a delete
        of an existing record, a write of its name"""
        matrix = access_matrix.read()
        tried = 0
        for row in matrix:
            model, session = row['model'], self.sessions[row['role']]
            prefix = f'model.{model}'
            if model not in self.rpc_models:
                # a relation table: no call reaches it but through its
                # models'
                continue
            with self.subTest(role=row['role'], model=model):
                if not row['read']:
                    self.assertRefused(session, f'{prefix}.search',
                        [], 0, 1, None)
                    tried += 1
                    continue
                ids = self.existing(model)
                if not row['create']:
                    count = self.count(model)
                    self.assertRefused(session, f'{prefix}.create', [{}])
                    self.assertEqual(self.count(model), count)
                    tried += 1
                if (ids and not row['delete']
                        and model not in self.singletons):
                    self.assertRefused(session, f'{prefix}.delete', ids[:1])
                    self.assertEqual(self.existing(model)[:1], ids[:1])
                    tried += 1
                if ids and not row['write']:
                    self.assertRefused(session, f'{prefix}.write',
                        ids[:1], {})
                    tried += 1
        self.assertGreater(tried, len(matrix) // 2)

    def test_owned_fields_refused_on_create(self):
        """Every role that may create a model is refused, over JSON-RPC and
        in Chinese, a new record with its state or a field its code owns
        (stamped by a transition) other than the default; nothing is
        created"""
        tried = 0
        for model, values in sorted(self.owned_values().items()):
            for row in access_matrix.read():
                if row['model'] != model or not row['create']:
                    continue
                session = self.sessions[row['role']]
                count = self.count(model)
                for name, value in values.items():
                    with self.subTest(
                            role=row['role'], model=model, field=name):
                        message = self.assertRefused(session,
                            f'model.{model}.create', [{name: value}])
                        self.assertIn('不能', message)
                        tried += 1
                self.assertEqual(self.count(model), count)
        self.assertGreater(tried, 100)

    def owned_values(self):
        "Model → owned field → a value other than its default"
        result = {}
        with Transaction().start(self.db_name, 0, readonly=True):
            pool = Pool()
            for model in self.rpc_models:
                Model = pool.get(model)
                owned = getattr(Model, '_owned_fields', None)
                if owned is None or callable(
                        getattr(Model, 'table_query', None)):
                    continue
                names = sorted(owned())
                defaults = Model.default_get(names, with_rec_name=False)
                values = {n: other_value(Model, n, defaults.get(n))
                    for n in names}
                values = {n: v for n, v in values.items() if v is not SKIP}
                if values:
                    result[model] = values
        return result

    def test_party_form_opens(self):
        """Every role opens a citizen's and an enterprise's form as sao
        does: the form with the identifiers first and a page of each
        module's records the role reads, and none of those it does not,
        every field read without error and in Chinese, and the lists of
        the pages; the ID number masked for the roles that read it masked"""
        citizen_id, enterprise_id = commit(self.create_parties)
        matrix = {access_matrix.row_key(r): r for r in access_matrix.read()}
        pages = {
            'applications': 'hall.application',
            'tickets': 'hall.ticket',
            'evaluations': 'hall.evaluation',
            'rectifications': 'hall.evaluation.rectification',
            'deliveries': 'hall.delivery',
            'green_channel_projects': 'hall.green_channel.project',
            'proxy_cases': 'hall.proxy.case',
            }
        for role, session in sorted(self.sessions.items()):
            if not matrix[(role, 'party.party')]['read']:
                continue
            with self.subTest(role=role):
                view = self.assertRPC(session,
                    'model.party.party.fields_view_get', None, 'form')
                arch, fields = view['arch'], view['fields']
                self.assertLess(arch.index('name="identifiers"'),
                    arch.index('id="general"'))
                self.assertNotIn('lang', fields)
                for name, model in pages.items():
                    self.assertEqual(name in fields,
                        bool(matrix[(role, model)]['read']), name)
                for name, field in fields.items():
                    if name != 'id':
                        self.assertRegex(field['string'], CHINESE, name)
                rows = self.assertRPC(session, 'model.party.party.read',
                    [citizen_id, enterprise_id], list(fields))
                # the lists of the pages, with the views the form names
                for name, view_ids in re.findall(
                        r'name="(\w+)"[^>]*?view_ids="([\d,]+)"', arch):
                    relation = fields[name]['relation']
                    view_id = int(view_ids.split(',')[0])
                    tree = self.assertRPC(session,
                        f'model.{relation}.fields_view_get', view_id, 'tree')
                    for field_name, field in tree['fields'].items():
                        if field_name != 'id':
                            self.assertRegex(
                                field['string'], CHINESE, field_name)
                    ids = [i for r in rows for i in r[name]]
                    self.assertRPC(session, f'model.{relation}.read',
                        ids, list(tree['fields']))
                citizen = next(r for r in rows if r['id'] == citizen_id)
                identifier, = self.assertRPC(session,
                    'model.party.identifier.read', citizen['identifiers'],
                    ['code', 'type'])
                self.assertEqual(identifier['type'], 'cn_ric')
                self.assertEqual(identifier['code'],
                    '11010519491231002X' if self.sees_personal_data(role)
                    else '110105********002X')

    def test_untyped_identifier_refused(self):
        """A party with an identifier of no type is refused over JSON-RPC,
        in Chinese, to every role that registers parties; nothing is
        created"""
        matrix = access_matrix.read()
        count = self.count('party.identifier')
        tried = 0
        for row in matrix:
            if row['model'] != 'party.party' or not row['create']:
                continue
            with self.subTest(role=row['role']):
                message = self.assertRefused(self.sessions[row['role']],
                    'model.party.party.create', [{
                            'name': "滨江市鲜味餐饮有限公司",
                            'identifiers': [['create', [{
                                            'code': '91110108MA01KP2K3E',
                                            }]]],
                            }])
                self.assertIn('证件类型', message)
                tried += 1
        self.assertGreater(tried, 0)
        self.assertEqual(self.count('party.identifier'), count)

    @classmethod
    def create_parties(cls):
        "A citizen and an enterprise with their numbers"
        Party = Pool().get('party.party')
        citizen, enterprise = Party.create([{
                    'name': "张建明",
                    'identifiers': [('create', [{
                                    'type': 'cn_ric',
                                    'code': '11010519491231002X',
                                    }])],
                    }, {
                    'name': "滨江市鲜味餐饮有限公司",
                    'identifiers': [('create', [{
                                    'type': 'cn_vat',
                                    'code': '91110108MA01KP2K3E',
                                    }])],
                    }])
        return citizen.id, enterprise.id

    def sees_personal_data(self, role):
        _, user_id, _ = self.sessions[role]
        with Transaction().start(self.db_name, user_id, readonly=True):
            return Pool().get('party.party').sees_personal_data()

    def test_reports_refused(self):
        """A role out of a document's groups is refused it in Chinese, also
        when the request names the action of another report (of no group)
        or no action at all"""
        with Transaction().start(self.db_name, 0, readonly=True):
            pool = Pool()
            ActionReport = pool.get('ir.action.report')
            actions = ActionReport.search([
                    ('module', 'in', access_matrix.MODULES)])
            groups = {a.report_name: {g.id for g in a.groups}
                for a in actions}
            own = {a.report_name: a.id for a in actions}
            open_ = [a.id for a in actions if not a.groups]
        self.assertTrue(open_)
        tried = 0
        for report, report_groups in sorted(groups.items()):
            if not report_groups:
                continue
            for role, session in sorted(self.sessions.items()):
                if self.groups[role] & report_groups:
                    continue
                for data in [{'action_id': own[report]},
                        {'action_id': open_[0]}, {}]:
                    with self.subTest(report=report, role=role, data=data):
                        self.assertRefused(session,
                            f'report.{report}.execute', [], data)
                        tried += 1
        self.assertGreater(tried, 0)

    def test_core_strings_chinese(self):
        """The menus and the party forms the roles open name the core
        fields in Chinese (the hall translates those the core leaves in
        English)"""
        with Transaction().start(self.db_name, 0, readonly=True), \
                Transaction().set_context(language='zh_CN'):
            pool = Pool()
            ModelData = pool.get('ir.model.data')
            Menu = pool.get('ir.ui.menu')
            Address = pool.get('party.address')
            Identifier = pool.get('party.identifier')
            menu = Menu(ModelData.get_id('party', 'menu_identifier_form'))
            self.assertEqual(menu.name, '证件号码')
            for Model, view in [
                    (Address, 'address_view_form_simple'),
                    (Identifier, 'identifier_list_sequence'),
                    ]:
                fields = Model.fields_view_get(
                    ModelData.get_id('party', view))['fields']
                for name, field in fields.items():
                    if name == 'id':
                        continue
                    with self.subTest(model=Model.__name__, field=name):
                        self.assertRegex(field['string'], CHINESE)

    def existing(self, model):
        "Ids of records of model (as root)"
        with Transaction().start(self.db_name, 0, readonly=True):
            Model = Pool().get(model)
            if callable(getattr(Model, 'table_query', None)):
                return []
            return [r.id for r in Model.search(
                        [], limit=1, order=[('id', 'ASC')])]

    def count(self, model):
        with Transaction().start(self.db_name, 0, readonly=True):
            Model = Pool().get(model)
            if callable(getattr(Model, 'table_query', None)):
                return None
            return Model.search_count([])
