"""Every write that matters in the registry: one function per use case, atomic, permission-checked,
recorded in the activity log (simple-history keeps the field-level audit)."""

import logging
import tempfile
from collections.abc import Iterable

from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils.translation import gettext as _

from lienhiep.core import places
from lienhiep.core.fsm import why_not
from lienhiep.core.models import ActivityLog, Attachment, Membership, Role, Union, User
from lienhiep.core.uploads import ALLOWED, XLSX, FileKind, check_csv_upload, check_upload, safe_display_name, sha256_of


def log_activity(
    *, union: Union | None, actor: User | None, verb: str, message: str, target: models.Model | None = None
) -> ActivityLog:
    return ActivityLog.objects.create(
        union=union,
        actor=actor if actor and actor.is_authenticated else None,
        verb=verb,
        message=message[:500],
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
    )


logger = logging.getLogger("lienhiep.files")


# The helpers every app's services are built from: check, lock, transition, log (above), mail after commit. -------


def check(actor: User, permission: str, obj=None) -> None:
    """Refuse (PermissionDenied) unless the actor holds `permission` (an app's `rules.py`) on `obj`."""
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


def check_same_union(union: Union, *objects) -> None:
    """Refuse (PermissionDenied) an object of another Union handed to a service of this one (None is skipped)."""
    for obj in objects:
        if obj is not None and obj.union_id != union.pk:
            raise PermissionDenied


def locked[M: models.Model](obj: M, *related: str) -> M:
    """The object's row read again under a lock held to the end of the transaction (`related`: joined, unlocked)."""
    rows = type(obj).objects.select_for_update(of=("self",))
    return (rows.select_related(*related) if related else rows).get(pk=obj.pk)


def transition(obj: models.Model, name: str, *, actor: User, field: str = "status") -> None:
    """Take the step `name` (a transition of the model) for the actor: refused unless the actor holds its
    permission; explained unless the object's state allows it and its conditions are met."""
    method = getattr(obj, name)
    meta = method._django_fsm
    state = getattr(obj, field)
    if not meta.has_transition(state):
        display = getattr(obj, f"get_{field}_display")()
        raise ValidationError(_("This step is not possible while it is “%(status)s”.") % {"status": display})
    if not meta.has_transition_perm(obj, state, actor):
        raise PermissionDenied
    waiting = [why_not(condition, obj) for condition in meta.get_transition(state).conditions if not condition(obj)]
    if waiting:
        raise ValidationError(waiting)
    method()


def mail_after_commit(subject: str, body: str, recipients: Iterable[str]) -> None:
    """Send a mail once the transaction commits; a mail server failure is logged, never shown as the user's error."""
    to = sorted({r for r in recipients if r})
    if not to:
        return

    def send() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        except OSError:
            mail_logger.exception("Could not send mail to %s", to)

    transaction.on_commit(send)


mail_logger = logging.getLogger("lienhiep.mail")


class EditConflict(ValidationError):
    """Someone else saved the record after this form was opened (optimistic locking)."""


def check_version(current_version: int, expected: int | None) -> None:
    """Optimistic locking: the caller holds the row lock (select_for_update) and passes the version the form was
    opened on; an older one is refused instead of silently overwriting the other person's change."""
    if expected is not None and expected != current_version:
        raise EditConflict(
            _(
                "Someone else changed this record while you were editing it, so your changes were not saved. "
                "Reload the page, check their changes, then make yours again."
            )
        )


def form_version(data) -> int | None:
    """The `version` a form was opened on (a hidden field), or None when the form did not send one."""
    try:
        return int(data.get("version", ""))
    except (TypeError, ValueError):
        return None


@transaction.atomic
def create_union(union: Union, *, actor: User) -> Union:
    check(actor, "core.manage_platform")
    union.save()
    log_activity(
        union=union, actor=actor, verb="core.union.created", message=_("Union created: %s") % union.name, target=union
    )
    return union


@transaction.atomic
def update_letterhead(union: Union, *, actor: User) -> Union:
    check(actor, "core.manage_members", union)
    union.save()
    log_activity(
        union=union,
        actor=actor,
        verb="core.union.letterhead_changed",
        message=_("Letterhead and contact details changed"),
        target=union,
    )
    return union


@transaction.atomic
def save_registry_record(union: Union, *, actor: User, record: models.Model) -> models.Model:
    """Create or change an agency, member association or person of the Union."""
    check(actor, "core.change_registry", union)
    if record.union_id != union.pk:
        raise PermissionDenied
    created = record.pk is None
    record.save()
    label = record._meta.verbose_name
    verb = f"core.{record._meta.model_name}.{'created' if created else 'changed'}"
    message = (_("%(kind)s added: %(name)s") if created else _("%(kind)s changed: %(name)s")) % {
        "kind": str(label).capitalize(),
        "name": str(record),
    }
    log_activity(union=union, actor=actor, verb=verb, message=message, target=record)
    return record


@transaction.atomic
def register_entrant(user: User, *, union: Union) -> Membership:
    """Self-registration: the only role anyone can give themselves."""
    membership, _created = Membership.objects.get_or_create(user=user, union=union, role=Role.ENTRANT)
    log_activity(
        union=union,
        actor=user,
        verb="core.membership.entrant_registered",
        message=_("Entrant registered: %s") % user.get_full_name(),
        target=membership,
    )
    return membership


@transaction.atomic
def add_member(
    union: Union, *, actor: User, username: str, full_name: str, email: str, role: str, agency=None, request=None
) -> Membership:
    """Give a person a role in the Union, creating their account if needed (they set a password by e-mail)."""
    check(actor, "core.manage_members", union)
    if agency is not None and agency.union_id != union.pk:
        raise PermissionDenied
    user = User.objects.filter(username__iexact=username).first()
    new_account = user is None
    if new_account:
        user = User(username=username, email=email, full_name=full_name)
        user.set_unusable_password()
        user.save()

        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    membership = Membership.objects.create(user=user, union=union, role=role, agency=agency)
    log_activity(
        union=union,
        actor=actor,
        verb="core.membership.added",
        message=_("%(name)s became %(role)s") % {"name": user.get_full_name(), "role": membership.get_role_display()},
        target=membership,
    )
    if new_account and request is not None:
        transaction.on_commit(lambda: send_password_setup(request, user))
    return membership


def send_password_setup(request, user: User) -> None:
    """Send the password-setting e-mail (allauth's reset flow): nobody is ever sent a password."""

    form = ResetPasswordForm(data={"email": user.email})
    with request_context(request):
        if form.is_valid():
            form.save(request)


@transaction.atomic
def set_membership_active(membership: Membership, *, actor: User, active: bool) -> Membership:
    check(actor, "core.manage_members", membership.union)
    if membership.user_id == actor.pk and membership.role == Role.UNION_ADMIN and not active:
        raise PermissionDenied(_("You cannot remove your own administrator role."))
    membership.is_active = active
    membership.save(update_fields=["is_active"])
    log_activity(
        union=membership.union,
        actor=actor,
        verb="core.membership.reactivated" if active else "core.membership.deactivated",
        message=(_("Role restored: %s") if active else _("Role withdrawn: %s")) % membership,
        target=membership,
    )
    return membership


@transaction.atomic
def attach_file(
    union: Union,
    *,
    actor: User,
    owner: models.Model,
    upload: UploadedFile,
    description: str = "",
    allowed: tuple[FileKind, ...] | None = None,
) -> Attachment:
    """Check an upload by its content and store it privately under a random name."""
    check(actor, "core.attach_files", union)
    attachment = store_attachment(
        actor=actor, union=union, owner=owner, upload=upload, description=description, allowed=allowed
    )
    log_activity(
        union=union,
        actor=actor,
        verb="core.attachment.added",
        message=_("File attached: %s") % attachment.original_name,
        target=owner,
    )
    return attachment


def store_attachment(
    union: Union,
    *,
    actor: User,
    owner: models.Model,
    upload: UploadedFile,
    description: str = "",
    allowed: tuple[FileKind, ...] | None = None,
) -> Attachment:
    """The storing half of attach_file, for modules whose own service decided who may attach (an entrant to
    their entry): checks the content, stores privately under a random name; logs nothing."""
    if getattr(owner, "union_id", None) != union.pk:
        raise PermissionDenied
    kind = check_upload(upload, allowed or ALLOWED)
    attachment = Attachment(
        union=union,
        owner=owner,
        original_name=safe_display_name(upload.name, kind),
        extension=kind.extension,
        mime_type=kind.mime_type,
        size=upload.size,
        sha256=sha256_of(upload),
        description=description,
        uploaded_by=actor,
    )
    try:
        attachment.file.save("upload", upload, save=False)
    except OSError as error:  # disk full (ENOSPC), quota, read-only or missing folder
        logger.error("Storing an upload failed: %s", error)
        raise ValidationError(
            _(
                "The file could not be stored: the server's disk is full or cannot be written. Nothing was saved; "
                "try again later or tell the administrator."
            )
        ) from error
    try:
        attachment.save()
    except BaseException:  # no row, no file: never leave an orphan file behind
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, *, actor: User) -> None:
    check(actor, "core.attach_files", attachment.union)
    owner = attachment.owner
    name = attachment.original_name
    stored = attachment.file.name
    attachment.delete()
    log_activity(
        union=attachment.union,
        actor=actor,
        verb="core.attachment.removed",
        message=_("File removed: %s") % name,
        target=owner,
    )
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))


def import_admin_units(upload: UploadedFile, *, actor: User):
    """Import administrative units from an uploaded CSV or XLSX: every row is checked first; any error and
    nothing is applied (the report lists row, column and reason)."""

    check(actor, "core.manage_platform")
    name = (upload.name or "").lower()
    if name.endswith(".csv"):
        check_csv_upload(upload)
        suffix = ".csv"
    else:
        check_upload(upload, (XLSX,))
        suffix = ".xlsx"
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            rows = places.read_units_file(handle.name)
        except places.UnitsFileError as error:
            raise ValidationError(str(error)) from error
    report = places.import_units(rows)
    if report.ok:
        log_activity(union=None, actor=actor, verb="core.adminunit.imported", message=report.summary())
    return report
