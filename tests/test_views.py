# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The views and menus of every module as sao shows them.

Lists show only columns sao can draw, and menus only entries the user may
run.

sao 8.0 builds a list column from the widget of the field (its type unless
the view names one) and has no list widget for some types, `timestamp` among
them: a list with such a column never loads and its form stays on 正在处理
with "ColumnFactory is not a constructor" in the console.  Every tree view of
every module is read as the client gets it (fields_view_get, inherited views
applied) and each column is checked against sao's list widgets.
"""
import re
import unittest
from pathlib import Path

from lxml import etree
import access_matrix
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)

ROOT = Path(__file__).resolve().parent.parent
SAO_JS = ROOT / 'sao' / 'dist' / 'tryton-sao.js'
MODULES = sorted(path.parent.name
    for path in (ROOT / 'modules').glob('*/tryton.cfg'))
# Sao.View.TreeXMLViewParser.WIDGETS of sao 8.0 (sao/dist/tryton-sao.js)
SAO_TREE_WIDGETS = {
    'binary', 'boolean', 'callto', 'char', 'date', 'dict', 'email', 'float',
    'image', 'integer', 'many2many', 'many2one', 'numeric', 'one2many',
    'one2one', 'progressbar', 'reference', 'selection', 'multiselection',
    'sip', 'text', 'time', 'timedelta', 'url',
    }


def sao_tree_widgets():
    "The list widgets of the sao in sao/ (None when it is not bootstrapped)"
    if not SAO_JS.exists():
        return None
    source = SAO_JS.read_text()
    block = re.search(
        r'Sao\.View\.TreeXMLViewParser\.WIDGETS = \{(.*?)\};', source, re.S)
    return set(re.findall(r"'([\w]+)':", block.group(1)))


def undrawable_columns(arch, fields, widgets):
    "(field, widget) of the columns of a tree arch sao has no widget for"
    for node in etree.fromstring(arch).iter('field'):
        name = node.get('name')
        if name not in fields:
            continue
        widget = node.get('widget') or fields[name]['type']
        if widget not in widgets:
            yield name, widget


class ViewsTestCase(unittest.TestCase):
    "The tree views of every module against sao's list widgets"

    @classmethod
    def setUpClass(cls):
        # as tests/test_rpc_access.py does, in its order: one cached
        # database for both
        assert sorted(access_matrix.MODULES) == MODULES
        drop_db()
        activate_module(access_matrix.MODULES)

    @classmethod
    def tearDownClass(cls):
        # the next test of the worker activates its own (a scenario's
        # restore of the cache refuses a database left here)
        drop_db()

    def test_widget_list_matches_sao(self):
        "SAO_TREE_WIDGETS is the list of the sao in sao/"
        widgets = sao_tree_widgets()
        if widgets is None:
            self.skipTest("sao/ is not bootstrapped")
        self.assertEqual(widgets, SAO_TREE_WIDGETS)
        self.assertNotIn('timestamp', widgets)

    @with_transaction()
    def test_tree_columns_have_a_sao_widget(self):
        "No tree view of the modules shows a column sao cannot draw"
        pool = Pool()
        View = pool.get('ir.ui.view')
        views = View.search([
                ('module', 'in', MODULES),
                ('type', '=', 'tree'),
                ('inherit', '=', None),
                ])
        # trees that extend a view of another module (inherit) are parsed
        # with the view they extend
        extended = View.search([
                ('module', 'in', MODULES),
                ('inherit', '!=', None),
                ('inherit.type', '=', 'tree'),
                ])
        views += [v.inherit for v in extended if v.inherit not in views]
        self.assertTrue(views)
        problems = []
        for view in views:
            Model = pool.get(view.model)
            result = Model.fields_view_get(view_id=view.id, view_type='tree')
            for name, widget in undrawable_columns(
                    result['arch'], result['fields'], SAO_TREE_WIDGETS):
                problems.append(
                    f"{view.module}: view {view.name} ({view.model}): "
                    f"column {name} has widget {widget!r}")
        self.assertFalse(problems,
            "tree columns sao 8.0 cannot draw (give them widget=\"date\" or "
            "another sao list widget):\n"
            + '\n'.join(problems))

    @with_transaction()
    def test_menu_entries_only_for_who_may_run_them(self):
        "A menu entry of an action kept to groups is kept to those groups"
        pool = Pool()
        Menu = pool.get('ir.ui.menu')
        ModelData = pool.get('ir.model.data')
        menu_ids = [d.db_id for d in ModelData.search([
                    ('model', '=', 'ir.ui.menu'),
                    ('module', 'in', MODULES),
                    ])]
        problems = []
        for menu in Menu.browse(menu_ids):
            if not menu.action or not menu.action.action.groups:
                continue
            allowed = set(menu.action.action.groups)
            # a user sees the entry when in one group of each level that
            # has groups: one level within the action's groups suffices
            level, kept = menu, False
            while level and not kept:
                kept = bool(level.groups) and set(level.groups) <= allowed
                level = level.parent
            if not kept:
                problems.append(f"{menu.complete_name}: action "
                    f"{menu.action.rec_name} is kept to "
                    + ', '.join(sorted(g.name for g in allowed)))
        self.assertFalse(problems,
            "menu entries shown to users who may not run their action "
            "(give them ir.ui.menu-res.group records):\n"
            + '\n'.join(problems))

    @with_transaction()
    def test_action_domains_not_on_client_clock(self):
        """No action of the modules filters on PYSON's Date() or DateTime():
        sao evaluates them on the UTC clock (yesterday before 08:00 in
        Beijing); a domain searches a field computed by the server (e.g.
        hall.model.TodayMixin's today) instead"""
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        found = []
        for model, fields in [
                ('ir.action.act_window', ['domain', 'context']),
                ('ir.action.act_window.domain', ['domain']),
                ]:
            Model = pool.get(model)
            records = Model.browse([d.db_id for d in ModelData.search([
                            ('model', '=', model),
                            ('module', 'in', MODULES),
                            ])])
            for record in records:
                for name in fields:
                    value = getattr(record, name) or ''
                    if re.search(r'"__class__":\s*"Date(Time)?"', value):
                        found.append(f"{model} {record.id} "
                            f"({record.rec_name}): {name} {value}")
        self.assertFalse(found, '\n'.join(found))

    def test_undrawable_columns_found(self):
        "The check finds a timestamp column and accepts a date widget"
        fields = {'at': {'type': 'timestamp'}, 'name': {'type': 'char'}}
        self.assertEqual(list(undrawable_columns(
                    '<tree><field name="name"/><field name="at"/></tree>',
                    fields, SAO_TREE_WIDGETS)),
            [('at', 'timestamp')])
        self.assertEqual(list(undrawable_columns(
                    '<tree><field name="at" widget="date"/></tree>',
                    fields, SAO_TREE_WIDGETS)),
            [])
