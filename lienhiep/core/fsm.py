"""A correction to django-fsm-2 (4.2): every FSMField connects itself to `class_prepared` to collect its model's
transitions, and so does each copy of the field in the historical models that `migrate` renders. Those copies stay
connected while the migration states live, so every model class rendered afterwards is offered to hundreds of
them: a third of the time of `migrate` on an empty database (21 s → 14 s here), paid by every deployment, every
`lienhiep serve --demo` on a new machine and every test run. Historical models have no transitions to collect."""

from django.apps import apps as global_apps
from django.db.models.signals import class_prepared
from django_fsm import FSMFieldMixin

_contribute_to_class = FSMFieldMixin.contribute_to_class


def _contribute_to_class_collecting_only_for_real_models(self, cls, name, private_only=False, **kwargs) -> None:
    _contribute_to_class(self, cls, name, private_only=private_only, **kwargs)
    if cls._meta.apps is not global_apps:  # a model rendered from a migration state
        class_prepared.disconnect(self._collect_transitions)


def collect_transitions_only_for_real_models() -> None:
    FSMFieldMixin.contribute_to_class = _contribute_to_class_collecting_only_for_real_models
