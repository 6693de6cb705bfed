"""A correction to django-fsm-2 (4.2): every FSMField connects itself to `class_prepared` to collect its model's
transitions, and so does each copy of the field in the historical models that `migrate` renders. Those copies stay
connected while the migration states live, so every model class rendered afterwards is offered to hundreds of
them: a third of the time of `migrate` on an empty database (21 s → 14 s here), paid by every deployment, every
`lienhiep serve --demo` on a new machine and every test run. Historical models have no transitions to collect."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.apps import apps as global_apps
from django.db.models.signals import class_prepared
from django.utils.translation import gettext as _
from django_fsm import FSMFieldMixin, Transition

_contribute_to_class = FSMFieldMixin.contribute_to_class


def _contribute_to_class_collecting_only_for_real_models(self, cls, name, private_only=False, **kwargs) -> None:
    _contribute_to_class(self, cls, name, private_only=private_only, **kwargs)
    if cls._meta.apps is not global_apps:  # a model rendered from a migration state
        class_prepared.disconnect(self._collect_transitions)


def collect_transitions_only_for_real_models() -> None:
    FSMFieldMixin.contribute_to_class = _contribute_to_class_collecting_only_for_real_models


# Steps: the transitions a viewer may take, and what each still waits for ---------------------------------------
#
# A model declares each step once, on its transition:
#
#     @transition(field=status, source=Status.REVIEWING, target=Status.CONSOLIDATING,
#                 permission="advisory.manage_case", conditions=[reviews_in],
#                 custom={"label": gettext_lazy("Start the consolidation")})
#
# `permission` names a permission of the app's rules.py (its target is the object); each condition is made with
# `requirement` and says what is missing. A transition without a label is taken by a service as part of another
# step (recording the answers moves a case on) and is never offered as a button.


def requirement(why_not: Callable[[Any], str | None]) -> Callable[[Any], bool]:
    """A transition condition made from a function that says what is still missing (None when nothing is)."""

    @wraps(why_not)
    def condition(obj) -> bool:
        return why_not(obj) is None

    condition.why_not = why_not
    return condition


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    style: str = "primary"  # the button's Bootstrap colour
    reason: str = ""  # the placeholder of the box asking why; empty when the step asks no reason
    confirm: str = ""  # the question asked before the step is taken
    notice: str = ""  # what the person should know before taking it (e.g. reviews still missing)
    date_name: str = ""  # the date the step asks for, as the service's keyword (empty: none)
    date_label: str = ""
    date_value: Any = None  # pre-filled with the object's present value of that name
    text_name: str = ""  # a text the step may be given besides (e.g. what was done), as the service's keyword
    text_label: str = ""
    tucked: bool = False  # rarely taken (withdrawing): shown folded, under its label
    url: str = ""  # where its form posts
    waiting_for: tuple[str, ...] = ()  # what is missing before it can be taken (the button is then disabled)


def _transitions_from_here(obj, field: str, only: str | None = None) -> list[Transition]:
    state = getattr(obj, field)
    transitions = getattr(obj, f"get_all_{field}_transitions")()
    return [
        t
        for t in transitions
        if t.source in (state, "*", "+") and t.custom.get("label") and (only is None or t.name == only)
    ]


def why_not(condition: Callable[[Any], bool], obj) -> str:
    why_not = getattr(condition, "why_not", None)
    return str(why_not(obj)) if why_not else _("A condition of this step is not met yet.")


def _about(text_or_function, obj) -> str:
    """A step's confirmation or notice: fixed text, or a function of the object (empty when nothing to say)."""
    return str((text_or_function(obj) if callable(text_or_function) else text_or_function) or "")


def steps_for(
    obj, user, field: str = "status", url: Callable[[str], str] | None = None, only: str | None = None
) -> list[Step]:
    """The steps the user may take from the object's state, in the order the model declares them; a step whose
    conditions are not met yet is listed with what it waits for. `url(name)` is where the step's form posts."""
    steps = []
    for t in _transitions_from_here(obj, field, only):
        if not t.has_perm(obj, user):
            continue
        waiting = tuple(why_not(condition, obj) for condition in t.conditions if not condition(obj))
        custom = t.custom
        date_name, date_label = custom.get("date", ("", ""))
        text_name, text_label = custom.get("text", ("", ""))
        steps.append(
            Step(
                name=t.name,
                label=str(custom["label"]),
                style=custom.get("style", "primary"),
                reason=str(custom.get("reason", "")),
                confirm=_about(custom.get("confirm", ""), obj),
                notice=_about(custom.get("notice", ""), obj),
                date_name=date_name,
                date_label=str(date_label),
                date_value=getattr(obj, date_name, None) if date_name else None,
                text_name=text_name,
                text_label=str(text_label),
                tucked=bool(custom.get("tucked")),
                url=url(t.name) if url else "",
                waiting_for=waiting,
            )
        )
    return steps


def step_named(obj, user, name: str, field: str = "status") -> Step | None:
    """The step `name` if the user may take it from the object's present state (its conditions aside)."""
    return next(iter(steps_for(obj, user, field, only=name)), None)
