"""The correction to django-fsm-2 in lienhiep/core/fsm.py."""


def test_migration_states_leave_no_transition_collectors_connected(db) -> None:
    """django-fsm-2 connects every state field to class_prepared, the copies in the models a migration state
    renders included; lienhiep/core/fsm.py disconnects those copies (they made `migrate` a third slower)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.models.signals import class_prepared

    before = len(class_prepared.receivers)
    rendered = MigrationLoader(connection).project_state().apps  # every historical model, FSM fields included
    assert rendered.get_model("advisory", "Case")._meta.get_field("status")
    assert len(class_prepared.receivers) == before
