# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The problems of an imported file (see table_file_rules) as the user
reads them, line by line."""
from trytond.i18n import gettext

from .table_file_rules import COMMON_REASONS

# The problems a refusal lists; past them it tells how many there are
SHOWN_PROBLEMS = 50


def problem_text(problem, prefix):
    """第N行「列名」：原因, in the user's language: the reason is the message
    hall.msg_table_file_<reason> of the shared reasons, else the message
    <prefix>_<reason> of the reader (e.g. 'hall.msg_service_import')"""
    if problem.reason in COMMON_REASONS:
        message = f'hall.msg_table_file_{problem.reason}'
    else:
        message = f'{prefix}_{problem.reason}'
    reason = gettext(message, **(problem.params or {}))
    if problem.row is None:
        return reason
    return gettext('hall.msg_table_file_problem',
        row=problem.row, column=problem.column, reason=reason)


def raise_problems(problems, exception, rejected, prefix):
    """Raise `exception` with the message `rejected` (given the count) and
    the problems, one per line, as its description"""
    lines = [problem_text(p, prefix) for p in problems]
    shown = lines[:SHOWN_PROBLEMS]
    if len(lines) > SHOWN_PROBLEMS:
        shown.append(gettext('hall.msg_table_file_more', count=len(lines)))
    raise exception(gettext(rejected, count=len(lines)), '\n'.join(shown))
