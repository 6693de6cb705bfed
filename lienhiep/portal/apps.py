from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "lienhiep.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        """Imports here, not at the top: they need the models, which are loaded when Django calls ready()."""
        from lienhiep.core.dashboard import register_section
        from lienhiep.portal import search
        from lienhiep.portal.dashboard import section

        search.connect()

        register_section(50, "portal", "portal/dashboard.html", section)
