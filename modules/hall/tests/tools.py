# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from proteus import Model
from proteus.config import get_config

__all__ = ['set_language']


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
