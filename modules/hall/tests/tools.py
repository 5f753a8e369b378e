# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import base64
import datetime as dt
import glob
import html
import io
import json
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import zipfile
from contextlib import contextmanager
from decimal import Decimal
from unittest.mock import patch

import polib

from proteus import Model
from proteus.config import get_config
from trytond import backend, config
from trytond.modules.company.tests import create_company, create_employee
from trytond.pool import Pool
from trytond.protocols.jsonrpc import JSONEncoder
from trytond.tests.test_tryton import DB_NAME, with_transaction
from trytond.tools import find_path
from trytond.transaction import (
    Transaction, TransactionError, inactive_records)

__all__ = ['HallData', 'report_text', 'create_user', 'as_user', 'on',
    'without_views', 'set_language', 'TranslatedTestMixin', 'unreachable', 'LOST',
    'shared_database', 'RPCTestMixin', 'commit', 'ServerReadonlyTestMixin',
    'make_chinese', 'other_value', 'SKIP']


def report_text(content):
    "The text of an OpenDocument report, a line per paragraph or cell"
    with zipfile.ZipFile(io.BytesIO(content)) as document:
        xml = document.read('content.xml').decode('utf-8')
    xml = re.sub(r'</text:(p|h)>', '\n', xml)
    lines = html.unescape(re.sub(r'<[^>]+>', '', xml)).splitlines()
    return '\n'.join(line.strip() for line in lines if line.strip()) + '\n'


class HallData:
    """A hall with two windows, three clerks, a leader and a manager (in a
    transaction); the other modules' test data extend it"""

    def __init__(self):
        pool = Pool()
        Hall = pool.get('hall.hall')
        Window = pool.get('hall.window')

        self.company = create_company()
        self.hall, = Hall.create([{
                    'name': "测试大厅",
                    'company': self.company.id,
                    'address': "杭州市上城区解放东路18号",
                    'phone': "0571-87000000",
                    }])
        services = self.create_services()
        self.a01, self.a02 = Window.create([{
                    'hall': self.hall.id, 'number': number,
                    'services': [('add', [service.id])],
                    } for number, service in zip(['A01', 'A02'], services)])
        self.create_staff()
        self.create_parties()

    def create_services(self):
        "Create the services; return those of the windows A01 and A02"
        pool = Pool()
        Department = pool.get('hall.department')
        Service = pool.get('hall.service')
        self.department, = Department.create([{
                    'name': "市场监督管理局", 'code': 'SCJG'}])
        self.licence, self.registration = Service.create([{
                    'code': 'SC-001', 'name': "食品经营许可",
                    'department': self.department.id,
                    'legal_limit': 20, 'promised_limit': 5,
                    }, {
                    'code': 'SC-002', 'name': "个体工商户登记",
                    'department': self.department.id,
                    'legal_limit': 15, 'promised_limit': 0,
                    }])
        return self.licence, self.registration

    def create_staff(self):
        "Create the employees and the users"
        self.wang = create_employee(self.company, "王丽")
        self.li = create_employee(self.company, "李强")
        self.zhao = create_employee(self.company, "赵敏")
        self.wang.hall_services = [self.licence, self.registration]
        self.li.hall_services = [self.licence]
        self.zhao.hall_services = [self.registration]
        for employee in [self.wang, self.li, self.zhao]:
            employee.save()
        self.wang_user = self.user('wang', ['group_window_clerk'], self.wang)
        self.li_user = self.user('li', ['group_window_clerk'], self.li)
        self.zhao_user = self.user('zhao', ['group_window_clerk'], self.zhao)
        self.leader = self.user('leader', ['group_hall_leader'])
        self.manager = self.user('manager', ['group_hall_manager'])

        # Take the roster lock up front, as the RPC layer does on retry.
        Pool().get('hall.roster.shift').lock()

    def create_parties(self):
        "Create the citizens"
        Party = Pool().get('party.party')
        self.citizen, = Party.create([{
                    'name': "张建明",
                    'identifiers': [('create', [{
                                    'type': 'cn_ric',
                                    'code': '11010519491231002X',
                                    }])],
                    }])

    def user(self, login, groups, employee=None, module='hall'):
        "A user of the company in the `groups` (XML ids of `module`)"
        return create_user(self.company, login,
            [(module, g) for g in groups], employee, name=login)

    def roster(self, date=dt.date(2025, 9, 22)):
        Shift = Pool().get('hall.roster.shift')
        return Shift.create([{
                    'date': date, 'period': 'full_day',
                    'hall': self.hall.id, 'window': self.a01.id,
                    'employee': self.li.id,
                    }, {
                    'date': date, 'period': 'full_day',
                    'hall': self.hall.id, 'window': self.a02.id,
                    'employee': self.zhao.id,
                    }])

    def application(self, window=None, service=None, **values):
        Application = Pool().get('hall.application')
        window = window or self.a01
        service = service or window.services[0]
        application, = Application.create([{
                    'company': self.company.id,
                    'hall': self.hall.id,
                    'applicant': self.citizen.id,
                    'service': service.id,
                    'window': window.id,
                    **values,
                    }])
        return application


def create_user(company, login, groups, employee=None, **values):
    """A user of `company` in the `groups`, XML ids as (module, fs_id), and
    of `employee` if given"""
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    if employee:
        values['employees'] = [('add', [employee.id])]
        values['employee'] = employee.id
    user, = User.create([{
                'login': login,
                'companies': [('add', [company.id])],
                'company': company.id,
                'groups': [('add', [ModelData.get_id(*g) for g in groups])],
                **values,
                }])
    return user


def as_user(user):
    """Run as `user` with access rights and record rules checked, in the
    context sao gives: the user's company and employee"""
    transaction = Transaction()
    return transaction.set_user(user.id), transaction.set_context(
        _check_access=True, company=user.company.id,
        employee=user.employee.id if user.employee else None)


@contextmanager
def on(day):
    "Make `day` the date of today"
    Date = Pool().get('ir.date')
    with patch.object(Date, 'today', return_value=day):
        yield


@contextmanager
def without_views(names):
    """Run ModuleTestCase.test_view without the view files `names`: those
    extending a module that is not activated (its own test case, with that
    module activated, checks them)"""
    glob_ = glob.glob

    def glob_without(pathname, **kwargs):
        return [f for f in glob_(pathname, **kwargs)
            if os.path.basename(f) not in names]
    with patch.object(glob, 'glob', glob_without):
        yield


# psycopg's message when the server goes away in the middle of a request
LOST = 'server closed the connection unexpectedly'


@contextmanager
def shared_database(name='shared'):
    """The name of a database that several threads can use at once, with
    what the test database holds (commit first).  On PostgreSQL the test
    database itself.  On SQLite the tests run in memory, a database per
    thread: a copy in a file, which the threads share as the embedded
    default's server threads do (SQLite's own locking, no row locks)."""
    if backend.name != 'sqlite' or DB_NAME != ':memory:':
        yield DB_NAME
        return
    directory = tempfile.mkdtemp(prefix='hall-shared-')
    path = config.get('database', 'path')
    config.set('database', 'path', directory)
    try:
        with Transaction().start(DB_NAME, 0) as transaction:
            target = sqlite3.connect(os.path.join(directory, f'{name}.sqlite'))
            transaction.connection.backup(target)
            target.close()
        with Transaction().start(name, 0, readonly=True):
            Pool(name).init()
        yield name
    finally:
        Pool.stop(name)
        config.set('database', 'path', path)
        shutil.rmtree(directory, ignore_errors=True)


def unreachable():
    "Every new transaction fails to connect, as with PostgreSQL stopped"
    return patch.object(backend.Database, 'get_connection',
        side_effect=backend.DatabaseOperationalError(
            'connection failed: the connection is lost'))


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
    from trytond.model import fields
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
    `rpc(session, 'model.hall.application.write', ...)`."""

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

    def assertRPC(self, session, method, *params, context=None):
        "The call succeeds; return its result"
        kind, value = self.rpc(session, method, *params, context=context)
        self.assertEqual(kind, 'result', value)
        return value

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

    def read_all(self, model, names):
        "The stored values of every record of `model` (as root)"
        with Transaction().start(DB_NAME, 0, readonly=True):
            Model = Pool().get(model)
            return Model.read(
                [r.id for r in Model.search([], order=[('id', 'ASC')])],
                names)

    def read(self, model, ids, names):
        "The stored values (as root)"
        with Transaction().start(DB_NAME, 0, readonly=True):
            return Pool().get(model).read(ids, names)


class ServerReadonlyTestMixin:
    """Every model the module defines holds its workflow on the server: its
    requests (create, write, copy, import_data and buttons) go through the
    guards of hall.model.ServerReadonlyMixin (or content_review's twin)"""
    readonly_mixins = ()

    @with_transaction()
    def test_models_held_on_server(self):
        from trytond.model import ModelSQL, ModelView, fields
        from trytond.modules.hall.model import ServerReadonlyMixin
        from trytond.tools import is_instance_method
        pool = Pool()
        Model = pool.get('ir.model')
        mixins = (ServerReadonlyMixin, *self.readonly_mixins)
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
                self.assertTrue(issubclass(Class, mixins))
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


def in_parallel(target, arguments):
    "Run target(argument) in one thread each, started at the same instant"
    start = threading.Barrier(len(arguments), timeout=60)
    results, errors = {}, []

    def worker(argument):
        start.wait()
        try:
            results[argument] = target(argument)
        except Exception as error:  # reported by the test
            errors.append((argument, error))

    threads = [threading.Thread(target=worker, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results, errors


def run_committed(func, *args, attempts=10):
    """Run `func` in its own transaction as the server does: a transaction
    that fails to serialize, or asks for a table lock, is run again."""
    extras = {}
    for attempt in range(attempts):
        with Transaction().start(DB_NAME, 0, **extras) as transaction:
            try:
                result = func(*args)
                transaction.commit()
                return result
            except TransactionError as error:
                transaction.rollback()
                error.fix(extras)
            except backend.DatabaseOperationalError:
                transaction.rollback()
    raise RuntimeError(f"{func.__name__} gave up after {attempts} attempts")
