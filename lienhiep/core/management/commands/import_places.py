"""`manage.py import_places FILE` or `manage.py import_places --package [--province "Kon Tum" ...]`."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_lazy as _

from lienhiep.core.places import UnitsFileError, import_units, package_rows, read_units_file


class Command(BaseCommand):
    help = _("Import administrative units from a CSV/XLSX file or from the vietnamadminunits package.")

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = str(self.help)  # argparse wants a real str, not a lazy translation
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help=_("CSV or XLSX file with the columns Mã, Tên, Cấp, ..."))
        parser.add_argument(
            "--package",
            action="store_true",
            help=_("Take the units from the vietnamadminunits package (before and after 1 July 2025)."),
        )
        parser.add_argument(
            "--province",
            action="append",
            default=[],
            help=_('With --package: only this province and the provinces merged with it (repeatable), e.g. "Kon Tum".'),
        )

    def handle(
        self, *args, file: str | None = None, package: bool = False, province: list[str] | None = None, **options
    ) -> None:
        if bool(file) == bool(package):
            raise CommandError("Hãy chỉ ra một nguồn: một tệp CSV/XLSX hoặc --package.")
        if province and not package:
            raise CommandError("--province chỉ dùng cùng với --package.")
        started = time.monotonic()
        try:
            rows = package_rows(province or None) if package else read_units_file(file)
        except (UnitsFileError, ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        report = import_units(rows)
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Có {len(report.errors)} lỗi; chưa nhập đơn vị nào. Sửa tệp rồi nhập lại.")
        self.stdout.write(self.style.SUCCESS(report.summary()) + f" ({time.monotonic() - started:.1f} giây)")
