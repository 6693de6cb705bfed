from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "lienhiep.contests"
    label = "contests"
    verbose_name = _("Contests")

    def ready(self) -> None:
        """Imports here, not at the top: they need the models, which are loaded when Django calls ready()."""
        from lienhiep.contests import glance
        from lienhiep.contests.dashboard import section
        from lienhiep.core.dashboard import register_section
        from lienhiep.core.glance import register_glance

        register_section(20, "contests", "contests/dashboard.html", section)
        register_glance("contests", glance.year_rows, glance.charts, order=20)
        declare_documents()


def declare_documents() -> None:
    """The award decision an edition's approval issues into the register."""
    from lienhiep.contests.award_decision import award_decision
    from lienhiep.paperwork.models import IssuedDocument
    from lienhiep.paperwork.register import DocumentType, declare, file_stem

    declare(
        DocumentType(
            IssuedDocument.Kind.AWARD_DECISION,
            "QĐ",
            build=award_decision,
            file_stem=lambda edition: file_stem("quyet-dinh-trao-giai", edition.code),
        )
    )
