# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The yearly work report: the statistics section of a bureau's 工作总结,
written as the bureau writes it, from the records"""
from trytond.model import ModelView
from trytond.modules.hall.company import company_today
from trytond.modules.hall.model import CheckedWizardMixin, ServerReadonlyMixin
from trytond.modules.hall.period import CompanyPeriodContextMixin
from trytond.modules.hall.report import HallReport
from trytond.pool import Pool
from trytond.transaction import Transaction, inactive_records
from trytond.wizard import Button, StateReport, StateView, Wizard

from . import indicator_rules as rules
from .indicator import ScopeContextMixin


class WorkReportStart(
        ScopeContextMixin, CompanyPeriodContextMixin, ServerReadonlyMixin,
        ModelView):
    "The period and halls of the yearly work report"
    __name__ = 'hall.indicator.work_report.start'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.from_date.required = True
        cls.to_date.required = True

    @classmethod
    def default_from_date(cls):
        return rules.report_period(company_today())[0]

    @classmethod
    def default_to_date(cls):
        return rules.report_period(company_today())[1]


class WorkReportPrint(CheckedWizardMixin, Wizard):
    "Print the yearly work report"
    __name__ = 'hall.indicator.work_report.print'

    start = StateView('hall.indicator.work_report.start',
        'hall_indicators.work_report_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('hall.indicator.work_report')

    def do_print_(self, action):
        return action, {
            'company': self.start.company.id,
            'from_date': self.start.from_date,
            'to_date': self.start.to_date,
            'hall': self.start.hall.id if self.start.hall else None,
            'sub_halls': bool(self.start.sub_halls),
            }


class WorkReport(HallReport):
    "The statistics of a bureau's yearly work report (工作总结)"
    __name__ = 'hall.indicator.work_report'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        ByMonth = pool.get('hall.indicator.application.month')
        context = super().get_context(records, header, data)
        scope = {k: data.get(k) for k in [
                'company', 'from_date', 'to_date', 'hall', 'sub_halls']}
        period = rules.period_text(
            scope['from_date'], scope['to_date'], context['today'])
        context['period'] = period
        context['scope'] = cls.scope_text(scope)
        with Transaction().set_context(**scope):
            sections = cls.sections(period, context['scope'])
            months = ByMonth.search([])
        context['sections'] = [
            (f'{rules.CHINESE_NUMERALS[i]}、{title}', sentence)
            for i, (title, sentence) in enumerate(
                sections[area] for area in rules.REPORT_AREAS
                if area in sections)]
        context['months'] = months
        context['percent'] = rules.percent_text
        return context

    @classmethod
    def sections(cls, period, scope):
        """The sections of the report by area: (title, sentence); the
        context holds the period and the halls"""
        pool = Pool()
        Application = pool.get('hall.indicator.application')
        Catalogue = pool.get('hall.indicator.catalogue')
        total = Application.search([])
        sections = {
            'application': ('办件情况',
                rules.application_sentence(period, scope, cls.counts(total[0]))
                if total else f'{period}，{scope}未收件。'),
            }
        with Transaction().set_context(
                date=Transaction().context.get('to_date')):
            catalogue = Catalogue.search([])
        if catalogue:
            sections['catalogue'] = ('事项清单',
                rules.catalogue_sentence(cls.counts(catalogue[0])))
        return sections

    @classmethod
    def add_company_section(cls, sections, area, board, title, sentence):
        """Add the section of `area` whose records are the company's, not a
        hall's: the `sentence` of the figures of the period's row of
        `board`; none in a report on some halls"""
        context = Transaction().context
        if context.get('hall'):
            return
        Board = Pool().get(board)
        cursor = Transaction().connection.cursor()
        cursor.execute(*Board._board_figures(
                context.get('from_date'), context.get('to_date'), 1))
        names = [d[0] for d in cursor.description]
        sections[area] = (
            title, sentence(dict(zip(names, cursor.fetchone()))))

    @staticmethod
    def counts(row):
        "The integer figures of an indicator row, by name"
        return {name: getattr(row, name) or 0
            for name, field in row._fields.items()
            if field._type == 'integer'}

    @staticmethod
    def scope_text(scope):
        "The halls the report covers, as the summary names them"
        pool = Pool()
        Hall = pool.get('hall.hall')
        with inactive_records():
            if scope.get('hall'):
                hall = Hall(scope['hall'])
                if scope.get('sub_halls') and hall.children:
                    return f'{hall.name}及下级大厅'
                return hall.name
            halls = Hall.search([('company', '=', scope['company'])])
        levels = sorted({h.level for h in halls},
            key=rules.LEVEL_RANKS.__getitem__)
        return rules.ALL_HALLS[levels[0] if levels else 'district']
