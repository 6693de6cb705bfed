"""The national body's side of the demo: last year's annual reports sent through the platform, one of each state —
the first Union's accepted, the second's returned with a comment, the others not sent (late once the due date has
passed) — so that the national pages show every case on a laptop."""

import datetime

from django.utils import timezone

from lienhiep.advisory import annual
from lienhiep.core.models import Membership, Role, Union
from lienhiep.core.text import sort_key
from lienhiep.national import services
from lienhiep.national.models import AnnualSubmission

RETURN_COMMENT = (
    "Đề nghị bổ sung số liệu về giám định xã hội và tỷ lệ tiếp thu kiến nghị theo từng cơ quan, "
    "gửi lại trước ngày 31/01."
)


def _leader_and_staff(union: Union):
    members = Membership.objects.active().filter(union=union).select_related("user")
    leader = next((m.user for m in members if m.role == Role.LEADER), None)
    staff = next((m.user for m in members if m.role == Role.STAFF), None)
    return leader, staff


def load() -> None:
    national_user = Membership.objects.active().filter(role=Role.NATIONAL).select_related("user").first()
    if national_user is None:
        return
    national_user = national_user.user
    year = timezone.localdate().year - 1
    unions = sorted(Union.objects.filter(is_active=True), key=lambda u: sort_key(u.name))
    # Kon Tum first (the demo's own story), then the others in name order.
    unions.sort(key=lambda u: u.slug != "kontum")
    for position, union in enumerate(unions[:2]):
        leader, staff = _leader_and_staff(union)
        if leader is None or staff is None:
            continue
        annual.sign_annual_report(union, year, actor=leader, today=datetime.date(year + 1, 1, 8 + position))
        submission = services.submit(union, year, actor=staff)
        sent_at = timezone.make_aware(datetime.datetime(year + 1, 1, 12 + position, 9, 30))
        AnnualSubmission.objects.filter(pk=submission.pk).update(submitted_at=sent_at)
        if position == 0:
            services.answer(submission, "accept", actor=national_user, comment="")
        else:
            services.answer(submission, "return_to_union", actor=national_user, comment=RETURN_COMMENT)
