# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import os
import re
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager
from unittest.mock import patch

import polib

from proteus import Model
from proteus.config import get_config
from trytond import backend, config
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.tools import find_path
from trytond.transaction import Transaction

__all__ = ['set_language', 'TranslatedTestMixin', 'unreachable', 'LOST',
    'shared_database']

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
