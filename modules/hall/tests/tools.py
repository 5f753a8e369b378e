# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import re
from unittest.mock import patch

import polib

from proteus import Model
from proteus.config import get_config
from trytond import backend
from trytond.tools import find_path

__all__ = ['set_language', 'TranslatedTestMixin', 'unreachable', 'LOST']

# psycopg's message when the server goes away in the middle of a request
LOST = 'server closed the connection unexpectedly'


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
