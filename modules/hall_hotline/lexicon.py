# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""12345 work orders with content_review: the words of its lexicon of
sensitive words (敏感词库, content.sensitive_word) mark the orders sensitive
too, beside the hotline's own lexicon (the configuration's).

They are found by content_review's own checker: `scan` with the rules that
`get_rules` builds once from the lexicons and keeps until one changes (the
Aho-Corasick automaton of a large lexicon is not built again per order),
so that an order and an article are checked by the same words the same
way."""
from trytond.modules.content_review.checks import scan
from trytond.modules.content_review.lexicon import get_rules
from trytond.pool import PoolMeta
from trytond.transaction import without_check_access


class Order(metaclass=PoolMeta):
    __name__ = 'hall.hotline.order'

    def find_sensitive_words(self, config):
        "The words of the hotline's lexicon, then those of content_review's"
        words = super().find_sensitive_words(config)
        text = '\n'.join(filter(None, [self.subject, self.content]))
        if not text:
            return words
        # the lexicons are the system's: whoever registers the order
        with without_check_access():
            rules = get_rules()
        for finding in scan(text, rules):
            if finding.kind == 'sensitive_word' and finding.text not in words:
                words.append(finding.text)
        return words
