# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Reusable model helpers of the suite"
from functools import wraps

from trytond.i18n import gettext

from .exceptions import DocumentStateError


def strict_transition(state):
    """Workflow.transition that refuses records it cannot move.

    Workflow.transition silently skips records whose state has no
    transition to `state`: issuing an issued document or registering a
    refused one would succeed without doing anything. Users must be told,
    and nothing must change, so the whole call is refused instead. The
    allowed states come from _transitions, so modules that add
    transitions are followed.

    The method may save the new state itself together with its own
    changes (one write instead of two); the state of the other records is
    written afterwards. Each move is logged like Workflow does.
    """
    def decorator(func):
        @wraps(func)
        def wrapper(cls, records, *args, **kwargs):
            assert len(records) == len(set(records)), "Duplicate records"
            check_transition(cls, records, state)
            name = cls._transition_state
            previous = {r: getattr(r, name) for r in records}
            result = func(cls, records, *args, **kwargs)
            unchanged = [r for r in records
                if getattr(r, name) == previous[r] != state]
            if unchanged:
                cls.write(unchanged, {name: state})
            moved = [r for r in records
                if previous[r] != state and getattr(r, name) == state]
            if moved:
                cls.log(moved, 'transition', f'{name}:{state}')
            return result
        return wrapper
    return decorator


def check_transition(Model, records, state):
    "Raise if one of records cannot move to state"
    labels = None
    for record in records:
        current = getattr(record, Model._transition_state)
        if (current, state) not in Model._transitions:
            if labels is None:
                name = Model._transition_state
                labels = dict(Model.fields_get([name])[name]['selection'])
            raise DocumentStateError(gettext(
                    'vb_document.msg_wrong_transition',
                    record=record.rec_name,
                    state=labels.get(current, current),
                    target=labels.get(state, state)))
