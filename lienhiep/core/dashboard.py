"""The dashboard's sections: each app registers its own from its AppConfig.ready(), and the core's dashboard
view shows them in that order. The core knows no app by name."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Section:
    name: str  # the key its template reads (`{{ experts.my_work }}`)
    template: str
    build: Callable[[HttpRequest], dict]  # what the viewer of request.union sees; {} shows nothing


SECTIONS: list[Section] = []


def register_section(name: str, template: str, build: Callable[[HttpRequest], dict]) -> None:
    if not any(section.name == name for section in SECTIONS):
        SECTIONS.append(Section(name, template, build))
