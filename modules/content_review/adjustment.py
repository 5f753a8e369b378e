# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Column adjustments (栏目调整): merge, rename, archive, after review."
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import clock
from .exceptions import AdjustmentError
from .model import ServerReadonlyMixin
from .workflow import strict_transition

KINDS = [
    ('rename', "Rename"),
    ('merge', "Merge into Another Column"),
    ('archive', "Archive"),
    ]
STATES = [
    ('draft', "Draft"),
    ('submitted', "Submitted"),
    ('done', "Approved and Done"),
    ('rejected', "Rejected"),
    ]

_draft = {'readonly': Eval('state') != 'draft'}


class Adjustment(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    "Column adjustment (栏目调整)"
    __name__ = 'content.channel.adjustment'
    _history = True

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_draft)
    column = fields.Many2One(
        'content.channel', "Column", required=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('kind', '=', 'column'),
            ],
        context={'active_test': False},
        states=_draft)
    kind = fields.Selection(KINDS, "Adjustment", required=True, states=_draft)
    new_name = fields.Char(
        "New Name",
        states={
            'required': Eval('kind') == 'rename',
            'invisible': Eval('kind') != 'rename',
            'readonly': Eval('state') != 'draft',
            })
    old_name = fields.Char(
        "Former Name", readonly=True,
        states={'invisible': Eval('kind') != 'rename'})
    target = fields.Many2One(
        'content.channel', "Merge Into", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('kind', '=', 'column'),
            ('id', '!=', Eval('column', -1)),
            ],
        states={
            'required': Eval('kind') == 'merge',
            'invisible': Eval('kind') != 'merge',
            'readonly': Eval('state') != 'draft',
            })
    reason = fields.Text("Reason", required=True, states=_draft)
    requested_by = fields.Many2One(
        'res.user', "Requested By", required=True, readonly=True,
        ondelete='RESTRICT')
    reviewed_by = fields.Many2One(
        'res.user', "Reviewed By", readonly=True, ondelete='RESTRICT')
    reviewed_at = fields.Timestamp("Reviewed At", readonly=True)
    review_note = fields.Text(
        "Review Note",
        states={'readonly': Eval('state') != 'submitted'},
        help="Required to reject.")
    moved_articles = fields.Integer("Articles Moved", readonly=True)
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'submitted'),
            ('submitted', 'draft'),
            ('submitted', 'done'),
            ('submitted', 'rejected'),
            }
        cls._buttons.update({
                'submit': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'submitted',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'submitted',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': Eval('state') != 'submitted',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_kind(cls):
        return 'rename'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_requested_by(cls):
        return Transaction().user

    def get_rec_name(self, name):
        kind = dict(self.fields_get(['kind'])['kind']['selection'])
        return f'{kind[self.kind]}：{self.column.name}'

    @classmethod
    def check_modification(
            cls, mode, adjustments, values=None, external=False):
        super().check_modification(
            mode, adjustments, values=values, external=external)
        if mode == 'delete':
            for adjustment in adjustments:
                if adjustment.state != 'draft':
                    raise AdjustmentError(gettext(
                            'content_review.msg_adjustment_delete',
                            adjustment=adjustment.rec_name))

    @classmethod
    @ModelView.button
    @strict_transition('submitted')
    def submit(cls, adjustments):
        for adjustment in adjustments:
            if adjustment.kind == 'merge' and (
                    adjustment.target.site != adjustment.column.site):
                raise AdjustmentError(gettext(
                        'content_review.msg_adjustment_merge_site',
                        adjustment=adjustment.rec_name))

    @classmethod
    @ModelView.button
    @strict_transition('draft')
    def draft(cls, adjustments):
        pass

    @classmethod
    def _check_reviewer(cls, adjustments):
        user_id = Transaction().user
        for adjustment in adjustments:
            if adjustment.requested_by.id == user_id:
                raise AdjustmentError(gettext(
                        'content_review.msg_adjustment_review_own',
                        adjustment=adjustment.rec_name))

    @classmethod
    @ModelView.button
    @strict_transition('done')
    def approve(cls, adjustments):
        "Approve and apply the adjustments to the columns"
        cls._check_reviewer(adjustments)
        for adjustment in adjustments:
            adjustment.apply()
        cls.write(list(adjustments), {
                'reviewed_by': Transaction().user,
                'reviewed_at': clock.utcnow(),
                })

    @classmethod
    @ModelView.button
    @strict_transition('rejected')
    def reject(cls, adjustments):
        cls._check_reviewer(adjustments)
        for adjustment in adjustments:
            if not (adjustment.review_note or '').strip():
                raise AdjustmentError(gettext(
                        'content_review.msg_adjustment_rejection_note',
                        adjustment=adjustment.rec_name))
        cls.write(list(adjustments), {
                'reviewed_by': Transaction().user,
                'reviewed_at': clock.utcnow(),
                })

    def apply(self):
        pool = Pool()
        Channel = pool.get('content.channel')
        ArticleChannel = pool.get('content.article-content.channel')
        column = self.column
        if self.kind == 'rename':
            self.old_name = column.name
            Channel.write([column], {'name': self.new_name})
        elif self.kind == 'merge':
            # the articles of the column now belong to the target; the
            # relation is changed directly so that published articles keep
            # their state
            links = ArticleChannel.search([('channel', '=', column.id)])
            in_target = {l.article for l in ArticleChannel.search([
                        ('channel', '=', self.target.id)])}
            moved = [l for l in links if l.article not in in_target]
            duplicate = [l for l in links if l.article in in_target]
            if moved:
                ArticleChannel.write(moved, {'channel': self.target.id})
            if duplicate:
                ArticleChannel.delete(duplicate)
            self.moved_articles = len(moved)
            children = Channel.search([('parent', '=', column.id)])
            if children:
                Channel.write(children, {'parent': self.target.id})
            Channel.write([column], {'active': False})
        elif self.kind == 'archive':
            column.check_no_unpublished()
            Channel.write([column], {'active': False})
        self.save()
