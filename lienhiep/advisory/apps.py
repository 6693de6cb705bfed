from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisoryConfig(AppConfig):
    name = "lienhiep.advisory"
    label = "advisory"
    verbose_name = _("Consulting, critique and social assessment")

    def ready(self) -> None:
        """Imports here, not at the top: they need the models, which are loaded when Django calls ready()."""
        from lienhiep.advisory.dashboard import section
        from lienhiep.core.dashboard import register_section

        register_section("advisory", "advisory/dashboard.html", section)
