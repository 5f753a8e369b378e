# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The weekly bulletin of the 12345 hotline (舆情快报) for the city's
leaders: the repeated and sensitive orders of a week (Monday to Sunday in
the company's time zone) by subject, by place and by sensitive word, each
with its count the week before and the trend, and the list of those
orders.  Every figure is a grouped query; no caller's data is printed."""
import datetime as dt

from sql import Literal, Null, Values
from sql.aggregate import Max, Min, Sum
from sql.conditionals import Case
from sql.operators import Concat, Like

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.modules.hall import clock
from trytond.modules.hall.exceptions import ArgumentError
from trytond.modules.hall.model import CheckedWizardMixin, ServerReadonlyMixin
from trytond.modules.hall.period import company_timezone, local_offset
from trytond.modules.hall.report import HallReport
from trytond.pool import Pool
from trytond.tools import escape_wildcard
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from . import hotline_rules as rules

WEEK = dt.timedelta(days=7)
# What the tables print of a subject and of a place
SUBJECT_LENGTH = 30
PLACE_LENGTH = 20
WORDS_SEPARATOR = '、'


def _count(condition):
    return Sum(Case((condition, 1), else_=0))


def default_week_day(company=None):
    "A day of the week before the current one, in the company's time zone"
    timezone = company.timezone if company else company_timezone()
    today = clock.local_now(timezone).date()
    return rules.previous_week(today)[0]


class BulletinStart(ServerReadonlyMixin, ModelView):
    "Weekly Public Opinion Bulletin"
    __name__ = 'hall.hotline.bulletin.start'

    company = fields.Many2One('company.company', "Company", required=True)
    date = fields.Date(
        "Week of", required=True,
        help="Any day of the week (Monday to Sunday) the bulletin covers.")
    from_date = fields.Function(
        fields.Date("From Date"), 'on_change_with_from_date')
    to_date = fields.Function(
        fields.Date("To Date"), 'on_change_with_to_date')
    week = fields.Function(
        fields.Char("Week"), 'on_change_with_week')

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        company_id = cls.default_company()
        company = (Pool().get('company.company')(company_id)
            if company_id is not None and company_id >= 0 else None)
        return default_week_day(company)

    @fields.depends('date')
    def on_change_with_from_date(self, name=None):
        if self.date:
            return rules.week_of(self.date)[0]

    @fields.depends('date')
    def on_change_with_to_date(self, name=None):
        if self.date:
            return rules.week_of(self.date)[1]

    @fields.depends('date')
    def on_change_with_week(self, name=None):
        if self.date:
            year, number = rules.week_number(self.date)
            return f'{year}-W{number:02d}'


class BulletinPrint(CheckedWizardMixin, Wizard):
    "Print the weekly public opinion bulletin"
    __name__ = 'hall.hotline.bulletin.print'

    start = StateView('hall.hotline.bulletin.start',
        'hall_hotline.bulletin_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('hall.hotline.bulletin')

    def do_print_(self, action):
        return action, {
            'company': self.start.company.id,
            'date': self.start.date,
            }


class Bulletin(HallReport):
    """The weekly bulletin (舆情快报).  Its data: the `company` (one of the
    user's) and a `date` in the week; without a date, the week before the
    current one."""
    __name__ = 'hall.hotline.bulletin'

    @classmethod
    def execute(cls, ids, data):
        pool = Pool()
        User = pool.get('res.user')
        transaction = Transaction()
        data = dict(data or {})
        # who may print it, before what they ask
        data['action_id'] = cls.own_action(data.get('action_id'))
        company = data.get('company', transaction.context.get('company'))
        if transaction.user and company not in User.get_companies():
            raise AccessError(gettext('hall_hotline.msg_bulletin_company'))
        day = data.get('date')
        if isinstance(day, dt.datetime):
            day = day.date()
        if day is not None and not isinstance(day, dt.date):
            raise ArgumentError(gettext('hall_hotline.msg_bulletin_date'))
        data['date'] = day
        data['company'] = company
        with transaction.set_context(company=company):
            return super().execute(ids, data)

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        company = context['company']
        day = data.get('date') or default_week_day(company)
        monday, sunday = rules.week_of(day)
        year, number = rules.week_number(monday)
        figures = cls.figures(company.id, monday)
        context.update(figures)
        context.update({
                'from_date': monday,
                'to_date': sunday,
                'week_year': year,
                'week_number': number,
                'trend': rules.trend_text,
                'change': rules.change_text,
                'shorten': rules.shorten,
                })
        return context

    @classmethod
    def figures(cls, company, monday):
        """The figures of the week from `monday` of `company`, compared with
        the week before, by name: totals, subjects, places, words, orders"""
        Order = Pool().get('hall.hotline.order')
        order = Order.__table__()
        offset = local_offset(company_timezone())
        start = dt.datetime.combine(monday, dt.time()) - offset
        # both weeks, in UTC: the bounds are shifted, not the column
        where = ((order.company == company)
            & (order.state != 'cancelled')
            & (order.registered_at >= start - WEEK)
            & (order.registered_at < start + WEEK))
        this = order.registered_at >= start
        last = order.registered_at < start
        repeated = order.repeated == Literal(True)
        sensitive = order.sensitive == Literal(True)
        tagged = where & (repeated | sensitive)
        return {
            'totals': cls._totals(order, where, this, last, repeated,
                sensitive),
            'subjects': cls._by_subject(order, tagged, this, last),
            'places': cls._by_place(order, tagged, this, last),
            'words': cls._by_word(order, where & sensitive, this, last),
            'orders': cls._orders(company, start),
            }

    @staticmethod
    def _fetch(query):
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        return cursor.fetchall()

    @classmethod
    def _totals(cls, order, where, this, last, repeated, sensitive):
        """The orders received, repeated and sensitive: {name: (this week,
        last week)}"""
        row, = cls._fetch(order.select(
                _count(this), _count(last),
                _count(this & repeated), _count(last & repeated),
                _count(this & sensitive), _count(last & sensitive),
                where=where))
        row = [int(v or 0) for v in row]
        return {
            'received': (row[0], row[1]),
            'repeated': (row[2], row[3]),
            'sensitive': (row[4], row[5]),
            }

    @classmethod
    def _by_subject(cls, order, where, this, last):
        """The tagged orders of the week by subject (as compared for the
        repeated orders): (subject, this week, last week), most first"""
        Order = Pool().get('hall.hotline.order')
        latest = Order.__table__()
        count_this, count_last = _count(this), _count(last)
        groups = order.select(
            Max(order.id).as_('latest'),
            count_this.as_('this'), count_last.as_('last'),
            where=where, group_by=[order.subject_key],
            having=count_this > 0)
        # the subject as the latest order of the group words it
        rows = cls._fetch(groups.join(latest,
                condition=latest.id == groups.latest).select(
                latest.subject, groups.this, groups.last,
                order_by=[groups.this.desc, groups.last.desc,
                    groups.latest.asc]))
        return [(rules.shorten(s, SUBJECT_LENGTH), int(t), int(l))
            for s, t, l in rows]

    @classmethod
    def _by_place(cls, order, where, this, last):
        """The tagged orders of the week by division, else by place:
        (place, this week, last week), most first"""
        pool = Pool()
        Subdivision = pool.get('country.subdivision')
        count_this, count_last = _count(this), _count(last)
        place = Case((order.subdivision == Null, order.place), else_=Null)
        rows = cls._fetch(order.select(
                order.subdivision, place, count_this, count_last,
                where=where, group_by=[order.subdivision, place],
                having=count_this > 0,
                order_by=[count_this.desc, count_last.desc,
                    Min(order.id).asc]))
        names = {s.id: s.name for s in Subdivision.browse(
                {r[0] for r in rows if r[0] is not None})}
        return [(
                names[s] if s is not None
                else rules.shorten(p, PLACE_LENGTH) or '未注明',
                int(t), int(l)) for s, p, t, l in rows]

    @classmethod
    def _by_word(cls, order, where, this, last):
        """The sensitive words found in the week's orders: (word, this week,
        last week), most first"""
        found = set()
        for words, in cls._fetch(order.select(order.sensitive_words,
                    where=where & (order.sensitive_words != Null),
                    group_by=[order.sensitive_words])):
            found.update(w for w in words.split(WORDS_SEPARATOR) if w)
        if not found:
            return []
        # a word matches the whole of one of the words stored
        words = Values([
                [i, w, f'%{WORDS_SEPARATOR}{escape_wildcard(w)}'
                    f'{WORDS_SEPARATOR}%']
                for i, w in enumerate(sorted(found))])
        stored = Concat(Concat(WORDS_SEPARATOR, order.sensitive_words),
            WORDS_SEPARATOR)
        count_this, count_last = _count(this), _count(last)
        rows = cls._fetch(words.join(order,
                condition=Like(stored, words.column3, escape='\\')
            ).select(
                words.column2, count_this, count_last,
                where=where,
                group_by=[words.column1, words.column2],
                having=count_this > 0,
                order_by=[count_this.desc, count_last.desc,
                    words.column1.asc]))
        return [(w, int(t), int(l)) for w, t, l in rows]

    @classmethod
    def _orders(cls, company, start):
        """The repeated and sensitive orders of the week, as the list
        prints them: the fields read are those printed, no caller's"""
        Order = Pool().get('hall.hotline.order')
        orders = Order.search([
                ('company', '=', company),
                ('state', '!=', 'cancelled'),
                ('registered_at', '>=', start),
                ('registered_at', '<', start + WEEK),
                ['OR', ('repeated', '=', True), ('sensitive', '=', True)],
                ], order=[('registered_at', 'ASC'), ('id', 'ASC')])
        rows = Order.read([o.id for o in orders], [
                'number', 'registered_at', 'category:string', 'subject',
                'subdivision.name', 'place', 'lead_department.rec_name',
                'state:string', 'repeated', 'sensitive'])
        lines = []
        for row in rows:
            subdivision = row.get('subdivision.') or {}
            department = row.get('lead_department.') or {}
            tags = [label for name, label in [
                    ('repeated', '重复'), ('sensitive', '敏感')]
                if row[name]]
            lines.append({
                    'number': row['number'],
                    'registered_at': row['registered_at'],
                    'category': row['category:string'],
                    'subject': rules.shorten(row['subject'], SUBJECT_LENGTH),
                    'place': (subdivision.get('name')
                        or rules.shorten(row['place'], PLACE_LENGTH)),
                    'department': department.get('rec_name') or '',
                    'state': row['state:string'],
                    'tags': '、'.join(tags),
                    })
        return lines
