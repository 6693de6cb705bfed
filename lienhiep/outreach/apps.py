from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "lienhiep.outreach"
    label = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        """Imports here, not at the top: they need the models, which are loaded when Django calls ready()."""
        from lienhiep.core.dashboard import register_section
        from lienhiep.core.glance import register_glance
        from lienhiep.outreach import glance
        from lienhiep.outreach.dashboard import section

        register_section(30, "outreach", "outreach/dashboard.html", section)
        register_glance("outreach", glance.year_rows, glance.charts, order=30)
        declare_documents()


def declare_documents() -> None:
    """The conclusion notice a working session's approved minutes issue into the register."""
    from lienhiep.outreach.notice import conclusion_notice
    from lienhiep.paperwork.models import IssuedDocument
    from lienhiep.paperwork.register import DocumentType, declare, file_stem

    declare(
        DocumentType(
            IssuedDocument.Kind.CONCLUSION_NOTICE,
            "TB",
            build=conclusion_notice,
            file_stem=lambda minutes: file_stem("thong-bao-ket-luan", f"{minutes.session.title} v{minutes.version}"),
        )
    )
