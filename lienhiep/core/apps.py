from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lienhiep.core"
    label = "core"
    verbose_name = _("Registry")

    def ready(self) -> None:
        """Imports here, not at the top: they need the models, which are loaded when Django calls ready()."""
        from lienhiep.core import signals
        from lienhiep.core.fsm import collect_transitions_only_for_real_models

        collect_transitions_only_for_real_models()
        signals.connect()
