"""Sample URL arguments of the contest pages for the security harness (tests/test_url_access.py): Kon Tum
objects the cast's entrant (who registered the entry) and expert (who judges it) may see."""

import datetime

from lienhiep.contests.models import Award, Edition
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.register import issue_document, signer_of
from tests.contests import factories as f
from tests.contests.factories import url_objects

_cache: dict = {}


def _objects(cast) -> dict:
    key = (cast.union.pk, id(cast))
    if key not in _cache:
        _cache.clear()
        _cache[key] = url_objects(cast)
    return _cache[key]


def _pk(name: str, **extra):
    return lambda cast, attachment: {"pk": _objects(cast)[name].pk, **extra}


def _approved_edition(cast, attachment) -> dict:
    """An edition whose awards the leader approved, with its award decision issued (its PDF is served as stored)."""
    objects = _objects(cast)
    if "approved_edition" not in objects:
        ed = f.open_edition(cast, code="QD9")
        entry = f.accepted(cast, ed, "Giải pháp đã trao giải")
        Award.objects.create(entry=entry, tier=ed.tiers.first(), proposed_tier=ed.tiers.first(), score=90)
        Edition.objects.filter(pk=ed.pk).update(status=Edition.Status.APPROVED)  # judged and approved, in short
        ed = Edition.objects.get(pk=ed.pk)
        issue_document(
            ed,
            kind=IssuedDocument.Kind.AWARD_DECISION,
            union=cast.union,
            actor=cast.leader,
            day=datetime.date(2022, 9, 1),
            signer=signer_of(None, name="Nguyễn Văn Sơn"),
        )
        objects["approved_edition"] = ed
    return {"pk": objects["approved_edition"].pk}


def _judge_file(cast, attachment) -> dict:
    """The judge's sheet and a file of an item shown to judges (the description, not the registration form)."""
    objects = _objects(cast)
    shown = objects["entry"].files.filter(item__shown_to_judges=True, attachment__isnull=False).first()
    return {"pk": objects["assignment"].pk, "file_pk": shown.pk}


URL_ARGS = {
    "contests:decision_pdf": _approved_edition,
    "contests:editions": lambda c, a: {},
    "contests:edition_create": lambda c, a: {},
    "contests:my_entries": lambda c, a: {},
    "contests:workplaces_pick": lambda c, a: {},
    "contests:my_judging": lambda c, a: {},
    **{
        f"contests:{name}": _pk("edition")
        for name in [
            "edition",
            "edition_edit",
            "edition_copy",
            "edition_typical",
            "stats",
            "entries",
            "entry_create",
            "results",
            "awards",
            "awards_apply",
            "awards_approve",
            "awards_withdraw",
            "decision_docx",
            "publish",
            "certificates",
            "certificates_start",
            "certificates_zip",
            "nominate",
            "nomination_zip",
        ]
    },
    "contests:edition_setup": _pk("edition", part="fields"),
    "contests:edition_move": _pk("edition", move="start_review"),
    "contests:export": _pk("edition", kind="entries"),
    **{
        f"contests:{name}": _pk("round")
        for name in [
            "rubric",
            "round",
            "round_propose",
            "round_confirm",
            "round_close",
            "judge_place",
            "scores_export",
            "scores_template",
            "scores_import",
        ]
    },
    "contests:jury_set": lambda c, a: {"pk": _objects(c)["round"].pk, "field_pk": _objects(c)["field"].pk},
    **{
        f"contests:{name}": _pk("entry")
        for name in [
            "entry",
            "entry_edit",
            "entry_submit",
            "receipt",
            "entry_file_add",
            "entry_screen",
            "entry_reopen",
            "entry_dossier",
            "extra_judge",
        ]
    },
    "contests:entry_file_remove": _pk("file"),
    "contests:judge_remove": _pk("assignment"),
    "contests:sheet": _pk("assignment"),
    "contests:recuse": _pk("assignment"),
    "contests:judge_file": _judge_file,
    "contests:award_adjust": _pk("award"),
    "contests:certificate_pdf": _pk("certificate"),
    "contests:certificate_revoke": _pk("certificate"),
}
