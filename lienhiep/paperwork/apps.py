from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaperworkConfig(AppConfig):
    name = "lienhiep.paperwork"
    label = "paperwork"
    verbose_name = _("Official documents")

    def ready(self) -> None:
        from lienhiep.paperwork import rules  # noqa: F401  (declares the permissions)
