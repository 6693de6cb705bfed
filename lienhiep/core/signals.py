"""A user's access changed: renew their `User.access_key`, so that nothing cached under the old one is read again.

Connected in `CoreConfig.ready()`. Memberships (roles, the agency represented, suspended or restored) and
authenticators (two-factor set up or removed) decide what a user may open; a change of either, saved or deleted
(a queryset's delete() sends these signals too), renews the key in the same transaction. A Union saved renews the
keys of its members, who keep it with their memberships (a Union deleted takes its memberships with it).

Signing in reads the user's access at once (`core.middleware.read_access_at_sign_in`)."""

from allauth.mfa.models import Authenticator
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save

from lienhiep.core.middleware import read_access_at_sign_in
from lienhiep.core.models import Membership, Union, User, new_access_key, renew_access_keys


def renew_access_key(user_id: int | None, instance=None) -> None:
    """Give the user a new access key; a copy of the user loaded on `instance` forgets what it had read."""
    if user_id is None:
        return
    key = new_access_key()
    User.objects.filter(pk=user_id).update(access_key=key)
    if instance is not None and "user" in instance._state.fields_cache:
        user = instance._state.fields_cache["user"]
        if user is not None:
            user.access_key = key
            for name in ("_lienhiep_roles", "_lienhiep_agencies", "_lienhiep_unions"):
                user.__dict__.pop(name, None)


def _access_changed(sender, instance, **kwargs) -> None:
    renew_access_key(instance.user_id, instance)


def _union_changed(sender, instance: Union, **kwargs) -> None:
    """The Union's members keep it with their memberships (core/rules.py `member_union`): renew their keys."""
    renew_access_keys(User.objects.filter(memberships__union=instance))


def _signed_in(sender, request, user, **kwargs) -> None:
    read_access_at_sign_in(user.pk)


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="lienhiep-access-signed-in")
    for model in (Membership, Authenticator):
        post_save.connect(_access_changed, sender=model, dispatch_uid=f"lienhiep-access-{model.__name__}-save")
        post_delete.connect(_access_changed, sender=model, dispatch_uid=f"lienhiep-access-{model.__name__}-delete")
    post_save.connect(_union_changed, sender=Union, dispatch_uid="lienhiep-access-Union-save")
