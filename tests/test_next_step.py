# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Every workflow that tells the user what happens next
(hall.model.NextStepMixin) has a Chinese message for each of its states."""
import unittest

import access_matrix
from trytond.model.fields import Selection
from trytond.modules.hall.model import NextStepMixin
from trytond.modules.hall.tests.tools import CHINESE, commit, make_chinese
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction


class NextStepTestCase(unittest.TestCase):
    "The next step of every state of every workflow"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the activation of tests/test_rpc_access.py and tests/test_views.py
        # (English, from the cache), made Chinese
        drop_db()
        activate_module(access_matrix.MODULES)
        commit(make_chinese)

    @classmethod
    def tearDownClass(cls):
        # the next test of the worker activates its own (a scenario's
        # restore of the cache refuses a database left here)
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def test_next_step_messages(self):
        pool = Pool()
        models = [Model for _, Model in pool.iterobject()
            if issubclass(Model, NextStepMixin)]
        self.assertGreaterEqual(len(models), 5)
        with Transaction().set_context(language='zh_CN'):
            for Model in models:
                field = Model._fields['state']
                self.assertIsInstance(field, Selection)
                record = Model()
                for state, _ in field.selection:
                    with self.subTest(model=Model.__name__, state=state):
                        record.state = state
                        for name in Model._fields:
                            if name.endswith('_date'):
                                setattr(record, name, None)
                        text = record.get_next_step('next_step')
                        self.assertRegex(text, CHINESE)
                        self.assertNotIn('msg_', text)
