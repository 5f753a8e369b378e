# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Helpers of content_review's tests (the twins of the helpers of hall's
tests that they use: content_review does not depend on hall)"""
import base64
import datetime as dt
import json
import re
from contextlib import contextmanager
from decimal import Decimal

import polib

from proteus import Model
from proteus.config import get_config
from trytond import backend
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.company.tests import create_company
from trytond.modules.content_review.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.protocols.jsonrpc import JSONEncoder
from trytond.tests.test_tryton import DB_NAME, with_transaction
from trytond.tools import find_path, is_instance_method
from trytond.transaction import (
    Transaction, TransactionError, inactive_records)

__all__ = ['set_language', 'TranslatedTestMixin', 'commit', 'make_chinese',
    'other_value', 'SKIP', 'RPCTestMixin', 'ServerReadonlyTestMixin',
    'ContentData', 'as_user']


def set_language(lang='zh_CN', config=None):
    "Load the translations of `lang` and make it the admin's language"
    if config is None:
        config = get_config()
    Lang = Model.get('ir.lang', config=config)
    User = Model.get('res.user', config=config)

    language, = Lang.find([('code', '=', lang)])
    language.click('load_translations')

    user = User(config.user)
    user.language = language
    user.save()
    config._context = User.get_preferences(True, {})


class TranslatedTestMixin:
    "Every string and message of the module has a zh_CN translation"

    def test_translated(self):
        po = polib.pofile(find_path(f'{self.module}/locale/zh_CN.po'))
        self.assertEqual(po.untranslated_entries(), [])
        self.assertEqual(po.fuzzy_entries(), [])
        translated = {
            e.msgctxt.rsplit(':', 1)[-1] for e in po
            if e.msgctxt.startswith('model:ir.message,text:')}
        with open(find_path(f'{self.module}/message.xml')) as fp:
            ids = set(re.findall(r'id="(msg_[a-z_]+)"', fp.read()))
        self.assertEqual(ids - translated, set())

    @with_transaction()
    def test_every_string_in_po(self):
        """Every string the module shows (models, fields, selections, menus,
        actions, views, buttons) has its zh_CN entry: one added without is
        shown in English. The reports are written in Chinese."""
        if backend.name != 'sqlite':
            self.skipTest("the strings do not depend on the database")
        pool = Pool()
        Translation = pool.get('ir.translation')
        SetWizard = pool.get('ir.translation.set', type='wizard')
        session_id, _, _ = SetWizard.create()
        SetWizard(session_id).transition_set_()
        exported = Translation.translation_export('en', self.module)
        if isinstance(exported, bytes):
            exported = exported.decode('utf-8')
        po = polib.pofile(find_path(f'{self.module}/locale/zh_CN.po'))
        translated = {(e.msgctxt, e.msgid) for e in po if e.msgstr}
        missing = sorted(f'{e.msgctxt} {e.msgid!r}'
            for e in polib.pofile(exported)
            if not e.msgctxt.startswith('report:')
            and (e.msgctxt, e.msgid) not in translated)
        self.assertEqual(missing, [])


def commit(func, *args, user=0):
    """Run func in a transaction and commit it; as with_transaction, start
    again when a table must be locked first"""
    extras = {}
    while True:
        with Transaction().start(DB_NAME, user, **extras) as transaction:
            try:
                return func(*args)
            except TransactionError as exception:
                transaction.rollback()
                exception.fix(extras)
                continue


def make_chinese():
    """Make the test database Chinese as a test case's `language = 'zh_CN'`
    does, but on the database activated in English, whose cached copy the
    module's other tests restore too: the zh_CN translations loaded, the
    default language and the users' zh_CN (in a transaction to commit)"""
    pool = Pool()
    Lang = pool.get('ir.lang')
    Configuration = pool.get('ir.configuration')
    User = pool.get('res.user')
    zh_cn, = Lang.search([('code', '=', 'zh_CN')])
    zh_cn.translatable = True
    zh_cn.save()
    Lang.load_translations([zh_cn])
    configuration = Configuration(1)
    configuration.language = zh_cn.code
    configuration.save()
    User.write(User.search([('login', '!=', 'root')]),
        {'language': zh_cn.id})
    return zh_cn


# other_value's answer for a field it has no other value for
SKIP = object()


def other_value(Model, name, current):
    """A value of the field `name` of `Model` other than `current`, of the
    kind a client sends (in a transaction), or SKIP"""
    field = Model._fields[name]
    if isinstance(field, fields.Function) and not field.setter:
        return SKIP
    if isinstance(field, fields.Selection):
        selection = field.selection
        if isinstance(selection, str):
            selection = getattr(Model, selection)()
        keys = [k for k, _ in selection if k != current and k is not None]
        return keys[0] if keys else SKIP
    if isinstance(field, fields.Boolean):
        return not current
    if isinstance(field, fields.Integer):
        return (current or 0) + 7
    if isinstance(field, fields.Numeric):
        return (current or Decimal(0)) + Decimal(7)
    if isinstance(field, fields.Float):
        return (current or 0) + 7.5
    if isinstance(field, (fields.Timestamp, fields.DateTime)):
        return dt.datetime(2099, 1, 2, 3, 4, 5)
    if isinstance(field, fields.Date):
        return dt.date(2099, 1, 2)
    if isinstance(field, fields.TimeDelta):
        return (current or dt.timedelta(0)) + dt.timedelta(days=3)
    if isinstance(field, fields.Time):
        return dt.time(3, 4, 5)
    if isinstance(field, fields.Char):
        return (current or '') + '改'
    if isinstance(field, fields.Many2One):
        Target = field.get_target()
        current = getattr(current, 'id', current)
        others = Target.search([('id', '!=', current)], limit=1)
        if others:
            return others[0].id
        return None if current is not None else SKIP
    return SKIP


# A message a user reads: Chinese, without a method's or field's code name
CHINESE = re.compile(r'[\u4e00-\u9fff]')
CODE_NAME = re.compile(r'\b[a-z]+_[a-z_]+\b')


class RPCTestMixin:
    """Plain JSON-RPC calls through the WSGI application, as sao sends
    them, for a RouteTestCase: log users in with `session(user)`, then call
    `rpc(session, 'model.content.article.write', ...)`."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        commit(cls.create_data, user=1)
        if getattr(cls, 'language', 'en') != 'zh_CN':
            # the users read the server's messages in Chinese
            commit(make_chinese)

    @classmethod
    def create_data(cls):
        "Create the records of the tests (committed) and the sessions"

    @staticmethod
    def session(user):
        "A session of `user` (in a transaction to commit)"
        Session = Pool().get('ir.session')
        with Transaction().set_user(user.id):
            return (user.login, user.id, Session.new())

    def rpc(self, session, method, *params, context=None):
        "The JSON-RPC answer: ('result', value) or ('error', [...])"
        login, user_id, key = session
        token = base64.b64encode(f'{login}:{user_id}:{key}'.encode()).decode()
        response = self.client().post(
            f'/{DB_NAME}/rpc/',
            data=json.dumps({
                    'id': 1, 'method': method,
                    'params': [
                        *params, {'language': 'zh_CN', **(context or {})}]},
                cls=JSONEncoder),
            headers={
                'Content-Type': 'application/json',
                'Authorization': f'Session {token}',
                })
        self.assertLess(response.status_code, 500, response.text)
        self.assertEqual(response.status_code, 200, response.text)
        answer = response.json
        if 'error' in answer:
            return 'error', answer['error']
        return 'result', answer['result']

    def assertRefused(self, session, method, *params, context=None):
        """The call is refused with a message in Chinese that names no code;
        return the message"""
        kind, value = self.rpc(session, method, *params, context=context)
        self.assertEqual(kind, 'error', f'{method} {params} was accepted')
        exception, args = value
        self.assertIn(exception, {'UserError', 'AccessError'}, value)
        message = args[0]
        self.assertRegex(message, CHINESE, value)
        self.assertNotRegex(message, CODE_NAME, value)
        return message

    def assertOwnedRefused(self, session, model, record_id):
        """As `session`, writing each field that the code of `model` owns
        (its state, the fields its transitions stamp) on the record is
        refused in Chinese and the record is unchanged; return the number
        of writes tried"""
        with Transaction().start(DB_NAME, 0, readonly=True):
            Model = Pool().get(model)
            owned = sorted(Model._owned_fields())
            record = Model(record_id)
            values = {n: other_value(Model, n, getattr(record, n))
                for n in owned}
        values = {n: v for n, v in values.items() if v is not SKIP}
        self.assertTrue(values, f'{model} owns no field to try')
        before = self.read(model, [record_id], list(values))
        for name, value in values.items():
            with self.subTest(model=model, field=name, user=session[0]):
                message = self.assertRefused(session,
                    f'model.{model}.write', [record_id], {name: value})
                self.assertIn('不能', message)
        self.assertEqual(self.read(model, [record_id], list(values)), before)
        return len(values)

    def count(self, model):
        "The number of records of model (as root, archived ones too)"
        with Transaction().start(DB_NAME, 0, readonly=True), \
                inactive_records():
            return Pool().get(model).search_count([])

    def read(self, model, ids, names):
        "The stored values (as root)"
        with Transaction().start(DB_NAME, 0, readonly=True):
            return Pool().get(model).read(ids, names)


class ServerReadonlyTestMixin:
    """Every model the module defines holds its workflow on the server: its
    requests (create, write, copy, import_data and buttons) go through the
    guards of content_review.model.ServerReadonlyMixin"""

    @with_transaction()
    def test_models_held_on_server(self):
        pool = Pool()
        Model = pool.get('ir.model')
        models = Model.search([('module', '=', self.module)])
        self.assertTrue(models)
        for model in models:
            Class = pool.get(model.name)
            if (not issubclass(Class, ModelSQL)
                    or not issubclass(Class, ModelView)
                    or callable(getattr(Class, 'table_query', None))
                    or not Class.__rpc__.get('write')
                    or Class.__name__.split('.')[0] in {
                        'ir', 'res', 'party', 'company'}):
                continue
            with self.subTest(model=model.name):
                self.assertTrue(issubclass(Class, ServerReadonlyMixin))
                owned = Class._owned_fields()
                if hasattr(Class, '_transition_state'):
                    self.assertIn(Class._transition_state, owned)
                for name, field in Class._fields.items():
                    if field.readonly and not hasattr(field, 'getter'):
                        self.assertIn(name, owned)
                    if (isinstance(field, fields.Char)
                            and field.size is None
                            and not field.readonly
                            and not hasattr(field, 'getter')):
                        self.fail(f'{name} has no size')
                guarded = ['create', 'write', 'copy', 'import_data'] + [
                    b for b in Class._buttons
                    if not is_instance_method(Class, b)]
                for name in guarded:
                    self.assertIsNotNone(
                        Class.__rpc__[name].decorator, name)


class ContentData:
    "A website with columns, a WeChat account, editors, reviewers, manager"

    def __init__(self):
        pool = Pool()
        Group = pool.get('res.group')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        Site = pool.get('content.site')
        Channel = pool.get('content.channel')
        Leader = pool.get('content.leader')
        Department = pool.get('content.department')

        self.company = create_company()

        def group(fs_id):
            return Group(ModelData.get_id('content_review', fs_id))

        def user(login, groups):
            return User.create([{
                        'login': login,
                        'name': login,
                        'companies': [('add', [self.company.id])],
                        'company': self.company.id,
                        'groups': [('add', [group(g).id for g in groups])],
                        }])[0]
        self.editor = user('editor', ['group_web_editor'])
        self.editor2 = user('editor2', ['group_web_editor'])
        self.rev1 = user('rev1', ['group_reviewer_first'])
        self.rev2 = user('rev2', ['group_reviewer_second'])
        self.rev3 = user('rev3', ['group_reviewer_final'])
        self.rev_all = user('rev_all', ['group_reviewer_first',
                'group_reviewer_second', 'group_reviewer_final'])
        # an editor who is also a first reviewer
        self.editor_rev = user(
            'editor_rev', ['group_web_editor', 'group_reviewer_first'])
        self.manager = user('manager', ['group_content_manager'])

        self.office, = Department.create([{
                    'company': self.company.id, 'name': "办公室",
                    'code': 'BGS', 'responsible': self.manager.id}])
        self.site, = Site.create([{
                    'company': self.company.id,
                    'name': "滨江市人民政府门户网站",
                    'code': '3301000001',
                    'responsible': self.manager.id,
                    }])
        self.news, self.notices = Channel.create([{
                    'company': self.company.id, 'kind': 'column',
                    'site': self.site.id, 'name': "政务要闻",
                    'code': 'YW', 'update_class': 'dynamic',
                    'department': self.office.id,
                    'editors': [('add', [
                                self.editor.id, self.editor_rev.id])],
                    }, {
                    'company': self.company.id, 'kind': 'column',
                    'site': self.site.id, 'name': "通知公告",
                    'code': 'TZGG', 'update_class': 'notice',
                    'editors': [('add', [self.editor2.id])],
                    }])
        self.wechat, = Channel.create([{
                    'company': self.company.id, 'kind': 'account',
                    'name': "滨江发布", 'code': 'WX01',
                    'platform': 'wechat', 'account_name': 'binjiangfabu',
                    'department': self.office.id,
                    'editors': [('add', [self.editor.id])],
                    }])
        Leader.create([{
                    'name': "王建国", 'title': "副市长",
                    'start_date': dt.date(2019, 1, 1),
                    'end_date': dt.date(2022, 12, 31),
                    }, {
                    'name': "王建国", 'title': "市长",
                    'start_date': dt.date(2023, 1, 1),
                    }])

    def article(self, body, author=None, channels=None, title="政务动态"):
        Article = Pool().get('content.article')
        author = author or self.editor
        channels = channels or [self.news]
        article, = Article.create([{
                    'company': self.company.id,
                    'title': title,
                    'body': body,
                    'author': author.id,
                    'channels': [('add', [c.id for c in channels])],
                    }])
        return article


@contextmanager
def as_user(user):
    "Run as `user` with access rights and record rules checked"
    transaction = Transaction()
    with transaction.set_user(user.id), transaction.set_context(
            _check_access=True, company=user.company.id):
        yield
