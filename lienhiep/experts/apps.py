from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "lienhiep.experts"
    label = "experts"
    verbose_name = _("Experts")

    def ready(self) -> None:
        """Imports here, not at the top: they need the models, which are loaded when Django calls ready()."""
        from lienhiep.experts import signals

        signals.connect()
        from lienhiep.core.dashboard import register_section
        from lienhiep.experts.dashboard import section

        register_section(40, "experts", "experts/dashboard.html", section)
