# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelSQL, ModelView, fields

from .model import ServerReadonlyMixin

REVIEW_ACTIONS = [
    ('submit', "Submitted"),
    ('first', "First Review"),
    ('second', "Second Review"),
    ('final', "Final Review"),
    ('reject', "Rejected"),
    ('edit', "Edited under Review"),
    ('publish', "Published"),
    ('withdraw', "Withdrawn"),
    ]


class ArticleReview(ServerReadonlyMixin, ModelSQL, ModelView):
    "Review log of an article: who did what and when"
    __name__ = 'content.article.review'

    article = fields.Many2One(
        'content.article', "Article", required=True, ondelete='CASCADE',
        readonly=True)
    action = fields.Selection(
        REVIEW_ACTIONS, "Action", required=True, readonly=True, sort=False)
    user = fields.Many2One('res.user', "User", readonly=True)
    date = fields.Timestamp("Date", required=True, readonly=True)
    comment = fields.Text("Comment", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('article')
        cls._order = [('date', 'ASC'), ('id', 'ASC')]
