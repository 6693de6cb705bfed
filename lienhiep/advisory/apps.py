from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisoryConfig(AppConfig):
    name = "lienhiep.advisory"
    label = "advisory"
    verbose_name = _("Consulting, critique and social assessment")

    def ready(self) -> None:
        """Imports here, not at the top: they need the models, which are loaded when Django calls ready()."""
        from lienhiep.advisory import glance
        from lienhiep.advisory.dashboard import section
        from lienhiep.core.dashboard import register_section
        from lienhiep.core.glance import register_glance

        register_section(10, "advisory", "advisory/dashboard.html", section)
        register_glance("advisory", glance.year_rows, glance.charts, order=10)
        declare_documents()


def declare_documents() -> None:
    """The documents a case issues into the Union's register, and how each is built."""
    from lienhiep.advisory import annual, documents
    from lienhiep.paperwork.models import IssuedDocument
    from lienhiep.paperwork.register import DocumentType, declare, file_stem

    Kind = IssuedDocument.Kind
    declare(
        DocumentType(
            Kind.COUNCIL_DECISION,
            "QĐ",
            build=documents.council_decision,
            file_stem=lambda case: file_stem("quyet-dinh-hoi-dong", case.code),
        )
    )
    declare(
        DocumentType(
            Kind.CASE_REPORT,
            "BC",
            build=documents.case_report,
            file_stem=lambda case: file_stem("bao-cao", case.code),
        )
    )
    declare(
        DocumentType(
            Kind.MEETING_MINUTES,
            "BB",
            build=lambda meeting, issue: documents.meeting_minutes(meeting.case, meeting, issue),
            file_stem=lambda meeting: file_stem("bien-ban-hop", meeting.case.code),
            collective=None,
        )
    )
    declare(
        DocumentType(
            Kind.ANNUAL_REPORT,
            "BC",
            build=annual.issued_annual_report,
            file_stem=lambda report: f"bao-cao-tvpb-nam-{report.year}",
        )
    )
