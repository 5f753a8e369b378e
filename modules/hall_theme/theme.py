# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Themes (主题服务, "一件事"): several services of several departments that
a citizen or an enterprise applies for as one thing, with one combined list
of materials, one combined form, a plan of steps run side by side, a
promised limit and the "一张图" guide drawn from them."""
import logging
from collections import defaultdict

import graphviz
from sql import Literal, Null
from sql.aggregate import Count, Max, Min
from sql.conditionals import Case, Coalesce

from trytond.i18n import gettext
from trytond.model import (
    ModelSQL, ModelView, Unique, Workflow, fields, sequence_ordered)
from trytond.modules.hall.model import ServerReadonlyMixin
from trytond.modules.hall.report import HallReport
from trytond.modules.hall.service import MAX_VISITS
from trytond.modules.hall.workflow import strict_transition
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import guide_rules, theme_rules
from .exceptions import ThemeError

STATES = [
    ('draft', "Draft"),
    ('published', "Published"),
    ('retired', "Retired"),
    ]
KINDS = [
    ('person', "Citizens"),
    ('enterprise', "Enterprises"),
    ]
# The rows of the combined lists are a theme's and a group's: their id holds
# the theme's and that of the group's first member (an id of 31 bits)
ROW_ID_FACTOR = 2 ** 31

_draft_only = {'readonly': Eval('state') != 'draft'}
logger = logging.getLogger(__name__)


def row_id(theme, member):
    return theme * Literal(ROW_ID_FACTOR) + member


class Theme(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    "Theme Service"
    __name__ = 'hall.theme'

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_draft_only)
    code = fields.Char("Code", required=True, states=_draft_only)
    name = fields.Char("Name", required=True, states=_draft_only)
    kind = fields.Selection(
        KINDS, "For", required=True, states=_draft_only,
        help="Whom the theme serves: the applicant is a citizen with a "
        "resident identity card or an enterprise with a unified social "
        "credit code.")
    description = fields.Text(
        "Description", states=_draft_only,
        help="The situations the theme covers, as the guide tells them.")
    halls = fields.Many2Many(
        'hall.theme-hall.hall', 'theme', 'hall', "Halls",
        domain=[('company', '=', Eval('company', -1))],
        help="The halls that receive the theme: it is on their published "
        "list of themes (主题服务清单).")
    steps = fields.One2Many(
        'hall.theme.step', 'theme', "Steps", states=_draft_only,
        help="The services of the theme; the steps of one stage run side "
        "by side (并联), a stage starts when the one before has ended.")
    max_visits = fields.Selection(
        MAX_VISITS, "Max Visits", required=True, states=_draft_only,
        help="The visits the applicant makes for the whole theme.")
    materials = fields.One2Many(
        'hall.theme.material', 'theme', "Materials", readonly=True,
        help="The materials of the theme's services, each once.")
    data_items = fields.One2Many(
        'hall.theme.data_item', 'theme', "Data Items", readonly=True,
        help="The items of the theme's services' forms, each asked once.")
    promised_limit = fields.Function(fields.Integer(
            "Promised Limit", help="In working days: the longest step of "
            "each stage added up (parallel steps count once)."),
        'get_plan')
    separate_limit = fields.Function(fields.Integer(
            "Limit Applied Separately",
            help="The promised limits of the services added up."),
        'get_plan')
    material_count = fields.Function(fields.Integer(
            "Materials", help="The materials the theme asks for, each once."),
        'get_counts')
    separate_material_count = fields.Function(fields.Integer(
            "Materials Applied Separately",
            help="The materials of the services added up."),
        'get_counts')
    guide = fields.Function(fields.Binary(
            "Guide", help="The \"一张图\" guide of the whole flow."),
        'get_guide')
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    published_date = fields.Date("Published", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_code_unique', Unique(t, t.company, t.code),
                'hall_theme.msg_theme_code_unique'),
            ]
        cls._order = [('code', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('draft', 'published'),
            ('published', 'draft'),
            ('published', 'retired'),
            ('retired', 'draft'),
            }
        cls._buttons.update({
                'publish': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') == 'draft',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'retire': {
                    'invisible': Eval('state') != 'published',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_kind(cls):
        return 'person'

    @classmethod
    def default_max_visits(cls):
        return 'one'

    @classmethod
    def default_state(cls):
        return 'draft'

    def get_rec_name(self, name):
        return self.name

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause[:3]
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op,
            ('name', operator, value),
            ('code', operator, value),
            ]

    @classmethod
    def copy(cls, themes, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('code', None)
        default.setdefault('published_date', None)
        default.setdefault('state', 'draft')
        return super().copy(themes, default=default)

    def plan_steps(self):
        "(step, stage, promised limit) of the theme's steps"
        return [(s, s.stage, s.service.promised_limit or 0)
            for s in self.steps]

    @classmethod
    def get_plan(cls, themes, names):
        result = {n: {} for n in names}
        for theme in themes:
            steps = theme.plan_steps()
            if 'promised_limit' in result:
                result['promised_limit'][theme.id] = theme_rules.theme_limit(
                    [(stage, limit) for _, stage, limit in steps])
            if 'separate_limit' in result:
                result['separate_limit'][theme.id] = sum(
                    limit for _, _, limit in steps)
        return result

    @classmethod
    def get_counts(cls, themes, names):
        pool = Pool()
        ThemeMaterial = pool.get('hall.theme.material')
        Step = pool.get('hall.theme.step')
        Material = pool.get('hall.service.material')
        cursor = Transaction().connection.cursor()
        ids = [t.id for t in themes]
        result = {n: dict.fromkeys(ids, 0) for n in names}
        if 'material_count' in names:
            combined = ThemeMaterial.table_query()
            cursor.execute(*combined.select(
                    combined.theme, Count(combined.id),
                    where=combined.theme.in_(ids),
                    group_by=[combined.theme]))
            result['material_count'].update(cursor)
        if 'separate_material_count' in names:
            step, material = Step.__table__(), Material.__table__()
            cursor.execute(*step.join(material,
                    condition=material.service == step.service).select(
                    step.theme, Count(material.id),
                    where=step.theme.in_(ids),
                    group_by=[step.theme]))
            result['separate_material_count'].update(cursor)
        return result

    def stages(self):
        "[(stage, [steps])] in the order of the stages"
        stages = defaultdict(list)
        for step in self.steps:
            stages[step.stage].append(step)
        return sorted(stages.items())

    def guide_graph(self):
        "The guide as a graphviz.Digraph"
        stages = [(stage, [(s.service.name,
                        s.service.department.name if s.service.department
                        else '', s.service.promised_limit)
                    for s in steps])
            for stage, steps in self.stages()]
        materials = [(m.name, m.service_count, m.electronic, m.mandatory)
            for m in self.materials]
        return guide_rules.guide_graph(self.name, stages, materials,
            self.promised_limit or 0, self.separate_limit or 0,
            self.max_visits)

    def render_guide(self, format='png'):
        "The guide drawn by Graphviz, in `format` (png, svg)"
        try:
            return self.guide_graph().pipe(format=format)
        except graphviz.ExecutableNotFound:
            raise ThemeError(gettext('hall_theme.msg_theme_guide_graphviz'))

    @classmethod
    def get_guide(cls, themes, name):
        guides = {}
        for theme in themes:
            try:
                guides[theme.id] = theme.render_guide() if theme.steps else None
            except ThemeError:
                # the form opens without the picture; printing it says why
                logger.warning("Graphviz is not installed: no guide drawn")
                guides[theme.id] = None
        return guides

    @classmethod
    @ModelView.button
    @strict_transition('published')
    def publish(cls, themes):
        for theme in themes:
            theme.check_publishable()
        cls.write(themes, {'published_date': Pool().get('ir.date').today()})

    def check_publishable(self):
        services = [s.service for s in self.steps]
        if len(services) < 2:
            raise ThemeError(gettext(
                    'hall_theme.msg_theme_publish_steps', theme=self.rec_name))
        for service in services:
            if not service.active:
                raise ThemeError(gettext(
                        'hall_theme.msg_theme_publish_inactive',
                        theme=self.rec_name, service=service.rec_name))
        if not self.halls:
            raise ThemeError(gettext(
                    'hall_theme.msg_theme_publish_halls',
                    theme=self.rec_name))

    @classmethod
    @ModelView.button
    @strict_transition('draft')
    def draft(cls, themes):
        pass

    @classmethod
    @ModelView.button
    @strict_transition('retired')
    def retire(cls, themes):
        pass


class ThemeHall(ModelSQL):
    "Theme - Hall"
    __name__ = 'hall.theme-hall.hall'

    theme = fields.Many2One(
        'hall.theme', "Theme", required=True, ondelete='CASCADE')
    hall = fields.Many2One(
        'hall.hall', "Hall", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('theme_hall_unique', Unique(t, t.theme, t.hall),
                'hall_theme.msg_theme_hall_unique'),
            ]


class ThemeStep(ServerReadonlyMixin, sequence_ordered(), ModelSQL, ModelView):
    "Theme Step"
    __name__ = 'hall.theme.step'

    theme = fields.Many2One(
        'hall.theme', "Theme", required=True, ondelete='CASCADE')
    service = fields.Many2One(
        'hall.service', "Service", required=True, ondelete='RESTRICT',
        domain=[('active', '=', True)])
    stage = fields.Integer(
        "Stage", required=True, domain=[('stage', '>=', 1)],
        help="The steps of one stage run side by side (并联); stage 2 "
        "starts when stage 1 has ended.")
    department = fields.Function(
        fields.Many2One('hall.department', "Department"),
        'on_change_with_department')
    promised_limit = fields.Function(
        fields.Integer("Promised Limit"), 'on_change_with_promised_limit')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('theme_service_unique', Unique(t, t.theme, t.service),
                'hall_theme.msg_theme_step_service_unique'),
            ]
        cls._order = [('theme', 'ASC'), ('stage', 'ASC')] + cls._order

    @classmethod
    def default_stage(cls):
        return 1

    @fields.depends('service')
    def on_change_with_department(self, name=None):
        return self.service.department if self.service else None

    @fields.depends('service')
    def on_change_with_promised_limit(self, name=None):
        return self.service.promised_limit if self.service else None

    @classmethod
    def check_modification(cls, mode, steps, values=None, external=False):
        super().check_modification(
            mode, steps, values=values, external=external)
        if mode == 'create':
            return
        for step in steps:
            step.check_theme_draft()

    @classmethod
    def create(cls, vlist):
        steps = super().create(vlist)
        for step in steps:
            step.check_theme_draft()
        return steps

    def check_theme_draft(self):
        if self.theme.state != 'draft':
            raise ThemeError(gettext(
                    'hall_theme.msg_theme_step_draft',
                    theme=self.theme.rec_name))


class CombinedMixin(ServerReadonlyMixin):
    "A combined list of a theme: each member once, with its services"
    __slots__ = ()

    theme = fields.Many2One('hall.theme', "Theme", readonly=True)
    mandatory = fields.Boolean(
        "Mandatory", readonly=True,
        help="Mandatory for one of the services at least.")
    service_count = fields.Integer(
        "Services", readonly=True, help="The services that ask for it.")
    services = fields.Function(fields.Many2Many(
            'hall.service', None, None, "Services"), 'get_services')
    service_names = fields.Function(fields.Char(
            "Services", help="The services that ask for it."),
        'get_services')

    @classmethod
    def _members(cls):
        "The members' table, their service and the group's key columns"
        raise NotImplementedError

    @classmethod
    def get_services(cls, rows, names):
        pool = Pool()
        Service = pool.get('hall.service')
        Step = pool.get('hall.theme.step')
        step = Step.__table__()
        members, key = cls._members()
        cursor = Transaction().connection.cursor()
        result = {r.id: [] for r in rows}
        by_theme = defaultdict(list)
        for row in rows:
            by_theme[row.theme.id].append(row)
        for theme, theme_rows in by_theme.items():
            cursor.execute(*step.join(members,
                    condition=members.service == step.service).select(
                    *key(members), step.service,
                    where=step.theme == theme,
                    order_by=[step.sequence, step.id]))
            services = defaultdict(list)
            for *group, service in cursor:
                services[tuple(group)].append(service)
            for row in theme_rows:
                result[row.id] = list(dict.fromkeys(
                        services[cls._row_key(row)]))
        names_of = {}
        if 'service_names' in names:
            names_of = {s.id: s.name for s in Service.browse(
                    {i for ids in result.values() for i in ids})}
        values = {
            'services': result,
            'service_names': {i: '、'.join(names_of.get(s, '') for s in ids)
                for i, ids in result.items()},
            }
        return {n: values[n] for n in names}


class ThemeMaterial(CombinedMixin, ModelSQL, ModelView):
    "Theme Material"
    __name__ = 'hall.theme.material'

    type = fields.Many2One('hall.material.type', "Type", readonly=True)
    name = fields.Char("Material", readonly=True)
    electronic = fields.Boolean(
        "Electronic Licence", readonly=True,
        help="Shown as an electronic licence (亮码办) instead of brought.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('theme', 'ASC'), ('service_count', 'DESC'),
            ('name', 'ASC'), ('id', 'ASC')]

    @classmethod
    def _members(cls):
        Material = Pool().get('hall.service.material')
        material = Material.__table__()

        def key(table):
            return [table.type, Case((table.type == Null, table.name),
                    else_=Null)]
        return material, key

    @classmethod
    def _row_key(cls, row):
        return (row.type.id, None) if row.type else (None, row.name)

    @classmethod
    def table_query(cls):
        pool = Pool()
        Step = pool.get('hall.theme.step')
        MaterialType = pool.get('hall.material.type')
        step = Step.__table__()
        type_ = MaterialType.__table__()
        material, key = cls._members()
        untyped_name = key(material)[1]
        electronic = Case(((type_.licence == Literal(True))
                & (type_.licence_kind != Null), Literal(1)),
            else_=Literal(0))
        return step.join(material,
            condition=material.service == step.service
            ).join(type_, 'LEFT', condition=material.type == type_.id
            ).select(
                row_id(step.theme, Min(material.id)).as_('id'),
                step.theme.as_('theme'),
                material.type.as_('type'),
                Coalesce(Max(type_.name), untyped_name).as_('name'),
                (Max(electronic) == Literal(1)).as_('electronic'),
                (Max(Case((material.mandatory == Literal(True), Literal(1)),
                            else_=Literal(0))) == Literal(1)
                    ).as_('mandatory'),
                Count(step.service, distinct=True).as_('service_count'),
                group_by=[step.theme, material.type, untyped_name])


class ThemeDataItem(CombinedMixin, ModelSQL, ModelView):
    "Theme Data Item"
    __name__ = 'hall.theme.data_item'

    item = fields.Many2One('hall.data.item', "Data Item", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('theme', 'ASC'), ('service_count', 'DESC'),
            ('id', 'ASC')]

    @classmethod
    def _members(cls):
        ServiceItem = Pool().get('hall.service.data_item')

        def key(table):
            return [table.item]
        return ServiceItem.__table__(), key

    @classmethod
    def _row_key(cls, row):
        return (row.item.id,)

    @classmethod
    def table_query(cls):
        Step = Pool().get('hall.theme.step')
        step = Step.__table__()
        item, _ = cls._members()
        return step.join(item, condition=item.service == step.service
            ).select(
                row_id(step.theme, item.item).as_('id'),
                step.theme.as_('theme'),
                item.item.as_('item'),
                (Max(Case((item.mandatory == Literal(True), Literal(1)),
                            else_=Literal(0))) == Literal(1)
                    ).as_('mandatory'),
                Count(step.service, distinct=True).as_('service_count'),
                group_by=[step.theme, item.item])


class ThemeGuide(HallReport):
    "Theme guide (\"一张图\"全流程导办指南)"
    __name__ = 'hall.theme.guide'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Theme = pool.get('hall.theme')
        context = super().get_context(records, header, data)
        selections = Theme.fields_get(['kind', 'max_visits'])
        context['kinds'] = dict(selections['kind']['selection'])
        context['visits'] = dict(selections['max_visits']['selection'])

        def stage_number(theme, step):
            return [s for s, _ in theme.stages()].index(step.stage) + 1

        def guide_image(theme):
            if not theme.steps:
                return None
            image = theme.render_guide()
            width, height = guide_rules.image_size(
                image, max_width=17, max_height=20)
            return (image, 'image/png', f'{width:.2f}cm', f'{height:.2f}cm')

        def material_note(material):
            notes = []
            if material.electronic:
                notes.append("可亮证免交")
            if not material.mandatory:
                notes.append("非必需")
            return '、'.join(notes)
        context['stage_number'] = stage_number
        context['guide_image'] = guide_image
        context['material_note'] = material_note
        return context
