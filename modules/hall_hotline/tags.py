# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Tags of a work order for the weekly bulletin (舆情快报): repeated (the same
caller or subject within the configured days) and sensitive (a word of the
lexicon in its subject or content)."""
import datetime as dt

from trytond.modules.hall import clock
from trytond.modules.hall.party import unmasked
from trytond.pool import Pool
from trytond.transaction import Transaction

from .hotline_rules import find_words, lexicon, normalize_phone, subject_key


class TagMixin:
    __slots__ = ()

    @classmethod
    def read(cls, ids, fields_names):
        # The order an order repeats may be one the reader may not read (of
        # another department, for a liaison): for them the link is empty,
        # as is what they read through it, and the rest of the order reads
        linked = [n for n in fields_names if n.split('.', 1)[0] == 'repeat_of']
        if not linked or not Transaction().check_access:
            return super().read(ids, fields_names)
        names = [n for n in fields_names if n not in linked]
        rows = super().read(ids, names + ['repeat_of'])
        targets = {r['repeat_of'] for r in rows if r['repeat_of']}
        readable = {o.id for o in cls.search([('id', 'in', list(targets))])}
        through = [n.split('.', 1)[1] for n in linked if '.' in n]
        related = {}
        if readable and through:
            related = {r['id']: r for r in cls.read(list(readable), through)}
        for row in rows:
            if row['repeat_of'] not in readable:
                row['repeat_of'] = None
            if through:
                row['repeat_of.'] = related.get(row['repeat_of'])
            if 'repeat_of' not in fields_names:
                del row['repeat_of']
        return rows

    def find_repeat(self, config):
        """The latest other order of the same caller (phone or party), or
        on the same subject and of the same category but a consultation,
        registered within the configured days"""
        if not config.repeat_days:
            return None
        since = (self.registered_at or clock.utcnow()) - dt.timedelta(
            days=config.repeat_days)
        same = []
        phone = normalize_phone(self.caller_phone)
        if phone:
            same.append(('caller_phone', '=', phone))
        if self.caller:
            same.append(('caller', '=', self.caller.id))
        # the same matter raised again: a question asked by many callers
        # (咨询) is not a repeated order
        if self.subject_key and self.category != 'consultation':
            same.append([('subject_key', '=', self.subject_key),
                    ('category', '=', self.category)])
        if not same:
            return None
        orders = self.__class__.search([
                ('company', '=', self.company.id),
                ('id', '!=', self.id),
                ('registered_at', '>=', since),
                ('state', '!=', 'cancelled'),
                ['OR', *same],
                ], order=[('registered_at', 'DESC'), ('id', 'DESC')], limit=1)
        return orders[0] if orders else None

    def find_sensitive_words(self, config):
        "The sensitive words of the lexicon in the subject and content"
        text = '\n'.join(filter(None, [self.subject, self.content]))
        return find_words(text, self.sensitive_lexicon(config))

    def sensitive_lexicon(self, config):
        "The lexicon of sensitive words of the configuration"
        return lexicon(config.sensitive_words)

    @classmethod
    def tag(cls, orders):
        "Mark the repeated and the sensitive orders"
        Configuration = Pool().get('hall.hotline.configuration')
        config = Configuration(1)
        # the callers compared as stored, whoever registers
        with unmasked():
            orders = cls.browse(orders)
            for order in orders:
                order.subject_key = subject_key(order.subject)
                repeat = order.find_repeat(config)
                order.repeat_of = repeat
                order.repeated = bool(repeat)
                words = order.find_sensitive_words(config)
                order.sensitive = bool(words)
                order.sensitive_words = '、'.join(words) or None
            cls.save(orders)
