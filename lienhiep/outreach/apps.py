from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "lienhiep.outreach"
    label = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        """Imports here, not at the top: they need the models, which are loaded when Django calls ready()."""
        from lienhiep.core.dashboard import register_section
        from lienhiep.outreach.dashboard import section

        register_section("outreach", "outreach/dashboard.html", section)
