from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "lienhiep.contests"
    label = "contests"
    verbose_name = _("Contests")

    def ready(self) -> None:
        """Imports here, not at the top: they need the models, which are loaded when Django calls ready()."""
        from lienhiep.contests.dashboard import section
        from lienhiep.core.dashboard import register_section

        register_section("contests", "contests/dashboard.html", section)
