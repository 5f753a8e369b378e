# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from functools import wraps

from trytond.i18n import gettext
from trytond.model import Workflow

from .exceptions import WorkflowError
from .locking import check_current


def strict_transition(state):
    """Like Workflow.transition but refuse, with a translated message,
    records that cannot go to `state` instead of skipping them silently.

    The states are those stored when the transition runs (see
    locking.check_current): of two users pressing at once, one changes the
    record.  A record already in `state` is left as it is, so a button
    pressed again (a retried request) changes nothing twice."""
    def decorator(func):
        transition = Workflow.transition(state)(func)

        @wraps(func)
        def wrapper(cls, records, *args, **kwargs):
            field = cls._transition_state
            check_current(records, field)
            pending = []
            for record in records:
                current = getattr(record, field)
                if (current, state) in cls._transitions:
                    pending.append(record)
                elif current != state:
                    selection = dict(
                        cls.fields_get([field])[field]['selection'])
                    raise WorkflowError(gettext(
                            'hall.msg_invalid_transition',
                            record=record.rec_name,
                            current=selection.get(current, current),
                            target=selection.get(state, state)))
            return transition(cls, pending, *args, **kwargs)
        return wrapper
    return decorator
