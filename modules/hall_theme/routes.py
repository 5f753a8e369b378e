# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Public pages of the themes (no login, Chinese, no personal data):

- /<database>/hall/<hall>/themes: the hall's published list of themes
  (主题服务清单), each with its limits, materials and visits against its
  services applied for one by one;
- /<database>/hall/<hall>/themes/<theme>: a theme's "一张图" guide
  (全流程导办指南): the picture, the steps and the one list of materials,
  to read on a phone or print.

Whatever is sent, they answer in Chinese and never 5xx (see hall.public):
an unknown hall or theme, or one the hall does not publish, is 404."""
import base64
import os

from trytond.i18n import gettext
from trytond.modules.hall.outage import public_outage
from trytond.modules.hall.public import (
    PublicPages, model_or_404, public_route, record_id)
from trytond.protocols.wrappers import (
    HTTPStatus, abort, with_pool, with_transaction)
from trytond.wsgi import app

from .exceptions import ThemeError

STATIC = os.path.join(os.path.dirname(__file__), 'static')
PUBLIC_CONTEXT = {'language': 'zh_CN'}

pages = PublicPages(STATIC, 'theme.css')


def _refused(request, message, status):
    return pages.render('error.html', status=status, error=message)


def _unavailable(request, message):
    return pages.render('error.html', status=HTTPStatus.SERVICE_UNAVAILABLE,
        error=message)


outage = public_outage(_unavailable)


def _hall(request, pool, hall):
    "The hall of the address (any string) or 404"
    Hall = model_or_404(pool, 'hall.hall')
    hall_id = record_id(hall)
    halls = Hall.search([('id', '=', hall_id)], limit=1) if hall_id else []
    if not halls:
        abort(_refused(request, gettext('hall_theme.msg_route_hall_unknown'),
                HTTPStatus.NOT_FOUND))
    return halls[0]


def _themes(pool, hall, theme_id=None):
    "The themes `hall` publishes (the one of `theme_id`)"
    Theme = model_or_404(pool, 'hall.theme')
    domain = [('state', '=', 'published'), ('halls', '=', hall.id)]
    if theme_id is not None:
        domain.append(('id', '=', theme_id))
    return Theme.search(domain, order=[('code', 'ASC'), ('id', 'ASC')])


def _summary(theme, selections):
    return {
        'id': theme.id,
        'code': theme.code,
        'name': theme.name,
        'kind': selections['kind'].get(theme.kind, ''),
        'visits': selections['max_visits'].get(theme.max_visits, ''),
        'limit': theme.promised_limit or 0,
        'separate_limit': theme.separate_limit or 0,
        'materials': theme.material_count or 0,
        'separate_materials': theme.separate_material_count or 0,
        'services': len(theme.steps),
        }


def _selections(pool):
    Theme = pool.get('hall.theme')
    fields = Theme.fields_get(['kind', 'max_visits'])
    return {n: dict(f['selection']) for n, f in fields.items()}


@app.route('/<database_name>/hall/<hall>/themes', methods={'GET'})
@public_route(_refused)
@outage
@with_pool
@with_transaction(readonly=True, context=PUBLIC_CONTEXT)
def theme_list(request, pool, hall):
    hall = _hall(request, pool, hall)
    selections = _selections(pool)
    return pages.render('themes.html', hall=hall.name,
        themes=[_summary(t, selections) for t in _themes(pool, hall)])


@app.route('/<database_name>/hall/<hall>/themes/<theme>', methods={'GET'})
@public_route(_refused)
@outage
@with_pool
@with_transaction(readonly=True, context=PUBLIC_CONTEXT)
def theme_guide(request, pool, hall, theme):
    hall = _hall(request, pool, hall)
    theme_id = record_id(theme)
    themes = _themes(pool, hall, theme_id) if theme_id else []
    if not themes:
        abort(_refused(request,
                gettext('hall_theme.msg_route_theme_unknown'),
                HTTPStatus.NOT_FOUND))
    theme, = themes
    try:
        svg = theme.render_guide('svg')
    except ThemeError:
        guide = None
    else:
        guide = 'data:image/svg+xml;base64,' + base64.b64encode(svg).decode()
    selections = _summary(theme, _selections(pool))
    stages = {stage: number
        for number, (stage, _) in enumerate(theme.stages(), 1)}
    return pages.render('theme.html', hall=hall.name, theme=selections,
        description=theme.description or '', guide=guide,
        steps=[{
                'stage': stages[s.stage],
                'service': s.service.name,
                'department': (s.service.department.name
                    if s.service.department else ''),
                'limit': s.service.promised_limit or 0,
                } for s in theme.steps],
        materials=[{
                'name': m.name,
                'services': m.service_names,
                'electronic': bool(m.electronic),
                'mandatory': bool(m.mandatory),
                } for m in theme.materials])
