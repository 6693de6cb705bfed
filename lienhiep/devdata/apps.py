from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Installed for its management command (`generate_scale_data`); it has no models."""

    name = "lienhiep.devdata"
    label = "devdata"
    verbose_name = "Demo and scale data"
