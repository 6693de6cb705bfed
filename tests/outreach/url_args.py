"""Sample URL arguments for the security harness (tests/test_url_access.py): Kon Tum objects the agency
representative of the cast may see (their agency took part / owns the item)."""

from lienhiep.outreach import services

from . import factories as f


def _minutes(cast):
    return f.approved_minutes(cast)


URL_ARGS = {
    **{
        f"outreach:{name}": lambda c, a: {}
        for name in [
            "plan_list",
            "plan_create",
            "calendar",
            "calendar_ics",
            "calendar_token",
            "session_list",
            "session_create",
            "action_list",
            "action_overdue",
            "action_create",
            "project_list",
            "project_create",
            "localities",
        ]
    },
    "outreach:plan_detail": lambda c, a: {"pk": f.plan(c).pk},
    "outreach:plan_edit": lambda c, a: {"pk": f.plan(c).pk},
    "outreach:visit_create": lambda c, a: {"pk": f.plan(c).pk},
    "outreach:visit_edit": lambda c, a: {"pk": f.visit(c).pk},
    "outreach:calendar_feed": lambda c, a: {"token": services.calendar_feed_for(actor=c.staff, union=c.union).token},
    "outreach:session_detail": lambda c, a: {"pk": f.session(c).pk},
    "outreach:session_edit": lambda c, a: {"pk": f.session(c).pk},
    "outreach:session_photo": lambda c, a: {"pk": f.session(c).pk},
    "outreach:minutes_edit": lambda c, a: {"pk": f.session(c).pk},
    "outreach:promotion_create": lambda c, a: {"pk": f.session(c).pk},
    "outreach:minutes_version": lambda c, a: {"pk": _minutes(c).pk},
    "outreach:minutes_action": lambda c, a: {"pk": _minutes(c).pk, "action": "revise"},
    "outreach:minutes_notice": lambda c, a: {"pk": _minutes(c).pk},
    "outreach:minutes_notice_pdf": lambda c, a: {"pk": _minutes(c).pk},
    "outreach:action_detail": lambda c, a: {"pk": f.action_item(c).pk},
    "outreach:action_edit": lambda c, a: {"pk": f.action_item(c).pk},
    "outreach:action_evidence_file": lambda c, a: {"pk": f.action_item(c).pk},
    "outreach:action_step": lambda c, a: {"pk": f.action_item(c).pk, "action": "start"},
    "outreach:project_detail": lambda c, a: {"pk": f.local_project(c).pk},
    "outreach:project_edit": lambda c, a: {"pk": f.local_project(c).pk},
}
