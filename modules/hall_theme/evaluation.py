# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""With hall_evaluation: one 好差评 rating covers a theme application.  The
rating of any of its applications is the theme's: it rates them all, and a
second is refused; the figures count the theme applications rated
(评价覆盖率)."""
from sql import Null

from trytond.i18n import gettext
from trytond.model import Index, Unique, fields
from trytond.pool import Pool, PoolMeta

from .exceptions import ThemeApplicationError


class Evaluation(metaclass=PoolMeta):
    __name__ = 'hall.evaluation'

    theme_application = fields.Many2One(
        'hall.theme.application', "Theme Application", readonly=True,
        ondelete='RESTRICT',
        help="The theme (一件事) the rating covers: one rating a theme.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('theme_application_unique', Unique(t, t.theme_application),
                'hall_theme.msg_evaluation_theme_application_unique'),
            ]
        cls._sql_indexes.add(
            Index(t, (t.theme_application, Index.Equality())))

    @classmethod
    def create(cls, vlist):
        pool = Pool()
        Application = pool.get('hall.application')
        # refused before the insert, which the unique constraint would
        # refuse with the transaction spoiled
        for values in vlist:
            if values.get('application'):
                theme = Application(values['application']).theme_application
                if theme and theme.evaluations:
                    raise ThemeApplicationError(gettext(
                            'hall_theme.msg_evaluation_theme_rated',
                            application=theme.rec_name))
        return super().create(vlist)

    def _source_values(self):
        values = super()._source_values()
        application = getattr(self, 'application', None)
        if application and application.theme_application:
            values['theme_application'] = application.theme_application
        return values

    @classmethod
    def copy(cls, evaluations, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('theme_application', None)
        return super().copy(evaluations, default=default)


class Application(metaclass=PoolMeta):
    __name__ = 'hall.application'

    def get_rated(self, name):
        theme = self.theme_application
        return super().get_rated(name) or bool(theme and any(
                e.validity != 'invalid' for e in theme.evaluations))


class ThemeApplication(metaclass=PoolMeta):
    __name__ = 'hall.theme.application'

    evaluations = fields.One2Many(
        'hall.evaluation', 'theme_application', "Ratings", readonly=True)


class ThemeFiguresRated:
    "The theme applications rated (valid ratings)"
    __slots__ = ()

    @classmethod
    def _rated_applications(cls):
        Evaluation = Pool().get('hall.evaluation')
        evaluation = Evaluation.__table__()
        return evaluation.select(evaluation.theme_application,
            where=(evaluation.theme_application != Null)
            & (evaluation.validity != 'invalid'))


class ThemeFigures(ThemeFiguresRated, metaclass=PoolMeta):
    __name__ = 'hall.theme.figures'


class ThemeFiguresSummary(ThemeFiguresRated, metaclass=PoolMeta):
    __name__ = 'hall.theme.figures.summary'
