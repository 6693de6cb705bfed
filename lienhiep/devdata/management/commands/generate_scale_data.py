"""Generate the national-scale data set (benchmarks): `lienhiep manage generate_scale_data [--scale F] [--seed N]`."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lienhiep.devdata import scale_data


class Command(BaseCommand):
    help = "Generate a national-scale data set (34 Unions at scale 1) into an empty database, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 = the national figures; 0.01 = 1 %%")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data")

    def handle(self, *args, scale: float, seed: int, **options):
        if settings.PRODUCTION:
            raise CommandError(_("Generated data is never loaded in production."))
        if not 0 < scale <= 10:
            raise CommandError(_("The scale must be more than 0 and at most 10."))
        try:
            report = scale_data.generate(scale, seed, out=self.stdout.write)
        except scale_data.UnionsExist as error:
            raise CommandError(_("The database already has Unions: generate into an empty database.")) from error
        total = 0
        for table, count in scale_data.row_counts(report):
            self.stdout.write(f"{table:<50} {count:>9,}")
            if "(" not in table:
                total += count
        self.stdout.write(f"{'rows':<50} {total:>9,}  in {report.seconds:.1f} s")
        self.stdout.write(f"password of every account: {scale_data.SCALE_PASSWORD}")
        for username, role, union in report.logins[:8]:
            self.stdout.write(f"  {username:<32} {role:<16} {union}")
        self.stdout.write(f"  … {len(report.logins)} accounts: <role>.<union slug>, e.g. canbo.hanoi")
