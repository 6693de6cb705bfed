"""The `lienhiep` console command: serve, demo, worker and the operator's other tasks.

Help is in Vietnamese, or in English when the environment's language (LANG/LC_ALL/LANGUAGE) is English.

Django and the project are imported inside the commands, on purpose: the settings are chosen first
(DJANGO_SETTINGS_MODULE, the data folder), models can only be imported after `django.setup()`, and `lienhiep --help`
answers without loading Django.
"""

import argparse
import os
import sys

TEXTS = {
    "description": (
        "Lienhiep — nền tảng của Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh.",
        "Lienhiep — the platform of the provincial Unions of Science and Technology Associations.",
    ),
    "serve": (
        "Chạy trang web (gunicorn): áp dụng migration, gom tệp tĩnh rồi phục vụ.",
        "Run the site (gunicorn): apply migrations, collect static files, then serve.",
    ),
    "demo_flag": (
        "Nạp dữ liệu mẫu nếu cơ sở dữ liệu còn trống và in các tài khoản mẫu.",
        "Load the demo data if the database is empty and print the demo logins.",
    ),
    "port": ("Cổng (mặc định 8000).", "Port (default 8000)."),
    "host": ("Địa chỉ lắng nghe (mặc định 127.0.0.1).", "Address to listen on (default 127.0.0.1)."),
    "workers": ("Số tiến trình gunicorn (mặc định 2).", "Number of gunicorn workers (default 2)."),
    "demo": (
        "Nạp dữ liệu mẫu (nếu còn trống) và in các tài khoản mẫu.",
        "Load the demo data (if the database is empty) and print the demo logins.",
    ),
    "worker": (
        "Chạy tiến trình xử lý tác vụ nền (gửi thư, nhắc hạn...).",
        "Run the background task worker (mail, reminders...).",
    ),
    "migrate": ("Áp dụng migration cho cơ sở dữ liệu.", "Apply database migrations."),
    "places": (
        "Nhập danh mục đơn vị hành chính từ tệp CSV/XLSX hoặc từ gói vietnamadminunits.",
        "Import administrative units from a CSV/XLSX file or from the vietnamadminunits package.",
    ),
    "places_file": ("Tệp CSV hoặc XLSX.", "CSV or XLSX file."),
    "places_package": (
        "Lấy dữ liệu từ gói vietnamadminunits (trước và sau 01/7/2025).",
        "Take the data from the vietnamadminunits package (before and after 1 July 2025).",
    ),
    "places_province": (
        'Chỉ nhập tỉnh này (lặp lại được), ví dụ "Kon Tum".',
        'Only this province (repeatable), e.g. "Kon Tum".',
    ),
    "create_admin": (
        "Tạo tài khoản quản trị nền tảng (hỏi mật khẩu).",
        "Create a platform administrator account (asks for the password).",
    ),
    "username": ("Tên đăng nhập.", "User name."),
    "email": ("Thư điện tử.", "E-mail address."),
    "totp": (
        "In mã xác thực hai lớp hiện tại của một tài khoản (chỉ ngoài môi trường production).",
        "Print an account's current two-factor code (not in production).",
    ),
    "check": (
        "Kiểm tra cấu hình (kể cả các kiểm tra triển khai khi ở production).",
        "Check the configuration (with the deployment checks in production).",
    ),
    "manage": (
        "Chạy một lệnh quản trị Django bất kỳ, ví dụ: lienhiep manage createcachetable.",
        "Run any Django management command, e.g.: lienhiep manage createcachetable.",
    ),
    "backup": (
        "Sao lưu toàn bộ cơ sở dữ liệu và mọi tệp vào một tệp .tar.gz (mặc định var/backups/).",
        "Back up the whole database and every file into one .tar.gz (default under var/backups/).",
    ),
    "backup_path": ("Tệp sao lưu sẽ tạo.", "The backup file to write."),
    "restore": (
        "Khôi phục một bản sao lưu vào cơ sở dữ liệu trống (migrate, nạp dữ liệu, chép tệp, đối chiếu).",
        "Restore a backup into an empty database (migrate, load, copy the files, verify).",
    ),
    "restore_path": ("Tệp sao lưu (.tar.gz).", "The backup file (.tar.gz)."),
    "force": (
        "Cho phép ghi đè cơ sở dữ liệu đang có dữ liệu.",
        "Allow replacing a database that holds data.",
    ),
    "backed_up": (
        "Đã sao lưu {tables} bảng ({rows} dòng) và {files} tệp ({size} byte) vào {path}",
        "Backed up {tables} tables ({rows} rows) and {files} files ({size} bytes) to {path}",
    ),
    "restored": (
        "Đã khôi phục và đối chiếu {tables} bảng ({rows} dòng) và {files} tệp ({size} byte).",
        "Restored and verified {tables} tables ({rows} rows) and {files} files ({size} bytes).",
    ),
    "logins": ("Tài khoản mẫu (mật khẩu chung: {password}):", "Demo logins (shared password: {password}):"),
    "demo_signing": (
        "Chữ ký số: chứng thư THỬ NGHIỆM của «Lienhiep DEMO CA» trong {folder} (không có giá trị pháp lý; không có "
        "máy chủ dấu thời gian). Văn bản ban hành được ký bằng chứng thư của từng Liên hiệp hội mẫu.",
        "Digital signatures: DEMO certificates from «Lienhiep DEMO CA» in {folder} (no legal value; no timestamp "
        "authority). Issued documents are signed with each demo Union's certificate.",
    ),
    "demo_mail": (
        "Thư điện tử của bản mẫu không được gửi đi: mỗi thư là một tệp trong {folder}",
        "The demo's e-mail is not sent: each message is a file in {folder}",
    ),
    "totp_note": (
        "  * cần mã xác thực hai lớp: mã bí mật TOTP {secret}, hoặc chạy `uv run lienhiep totp {user}`",
        "  * needs a two-factor code: TOTP secret {secret}, or run `uv run lienhiep totp {user}`",
    ),
    "serving": (
        "Trang web chạy tại http://{host}:{port}/ (Ctrl+C để dừng).",
        "The site runs at http://{host}:{port}/ (Ctrl+C to stop).",
    ),
    "no_user": ("Không có tài khoản {user} hoặc tài khoản chưa bật TOTP.", "No account {user}, or it has no TOTP."),
    "refused": ("Lệnh này không dùng được ở production.", "This command is not available in production."),
    "password": ("Mật khẩu: ", "Password: "),
    "created": ("Đã tạo quản trị nền tảng {user}.", "Platform administrator {user} created."),
}


def english() -> bool:
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        value = os.environ.get(name)
        if value:
            return value.lower().startswith("en")
    return False


def t(key: str, **kwargs) -> str:
    vi, en = TEXTS[key]
    return (en if english() else vi).format(**kwargs)


ARGPARSE_VI = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện trợ giúp này rồi thoát",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "lựa chọn không hợp lệ: %(value)r (chọn trong %(choices)s)",
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "invalid %(type)s value: %(value)r": "giá trị %(type)s không hợp lệ: %(value)r",
}


def build_parser() -> argparse.ArgumentParser:
    argparse._ = (lambda text: text) if english() else (lambda text: ARGPARSE_VI.get(text, text))
    parser = argparse.ArgumentParser(prog="lienhiep", description=t("description"))
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help=t("serve"), description=t("serve"))
    serve.add_argument("--demo", action="store_true", help=t("demo_flag"))
    serve.add_argument("--port", type=int, default=8000, help=t("port"))
    serve.add_argument("--host", default="127.0.0.1", help=t("host"))
    serve.add_argument("--workers", type=int, default=2, help=t("workers"))

    sub.add_parser("demo", help=t("demo"), description=t("demo"))
    sub.add_parser("worker", help=t("worker"), description=t("worker"))
    sub.add_parser("migrate", help=t("migrate"), description=t("migrate"))
    sub.add_parser("check", help=t("check"), description=t("check"))

    places = sub.add_parser("places", help=t("places"), description=t("places"))
    places.add_argument("file", nargs="?", help=t("places_file"))
    places.add_argument("--package", action="store_true", help=t("places_package"))
    places.add_argument("--province", action="append", default=[], help=t("places_province"))

    admin = sub.add_parser("create-admin", help=t("create_admin"), description=t("create_admin"))
    admin.add_argument("username", help=t("username"))
    admin.add_argument("email", help=t("email"))

    totp = sub.add_parser("totp", help=t("totp"), description=t("totp"))
    totp.add_argument("username", help=t("username"))

    backup = sub.add_parser("backup", help=t("backup"), description=t("backup"))
    backup.add_argument("path", nargs="?", help=t("backup_path"))
    restore = sub.add_parser("restore", help=t("restore"), description=t("restore"))
    restore.add_argument("path", help=t("restore_path"))
    restore.add_argument("--force", action="store_true", help=t("force"))

    manage = sub.add_parser("manage", help=t("manage"), description=t("manage"))
    manage.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lienhiep.settings")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)


def print_demo_logins() -> None:
    from lienhiep.devdata.demo import DEMO_PASSWORD, load_demo

    print(t("logins", password=DEMO_PASSWORD))
    for login in load_demo():
        print(
            f"  {login.username:<18} {login.role:<28} /{login.union}/"
            if login.union != "*"
            else f"  {login.username:<18} {login.role:<28} (toàn nền tảng)"
            if not english()
            else f"  {login.username:<18} {login.role:<28} (whole platform)"
        )
        if login.totp_secret:
            print(t("totp_note", secret=login.totp_secret, user=login.username))
    from django.conf import settings

    print(t("demo_signing", folder=settings.LIENHIEP_SIGNING_DIR))
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        print(t("demo_mail", folder=settings.EMAIL_FILE_PATH))


def start_demo_worker() -> None:
    """On a laptop, one command runs everything: the background worker (PDFs of issued documents, certificates,
    mail) starts beside the web server and stops with it. Production runs `lienhiep worker` as its own service."""
    import atexit
    import subprocess

    # at a lower priority: the first conversions (LibreOffice) never slow down the pages being served
    worker = subprocess.Popen(
        [sys.executable, "-c", "from lienhiep.cli import main; main(['worker'])"], preexec_fn=lambda: os.nice(10)
    )
    server = os.getpid()

    def stop() -> None:
        if os.getpid() == server:  # not in a forked web worker that happens to exit
            worker.terminate()

    atexit.register(stop)


def serve(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    migrate()
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.demo:
        print_demo_logins()
    print(t("serving", host=args.host, port=args.port), flush=True)

    from gunicorn.app.base import BaseApplication

    from lienhiep.wsgi import application

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)
            self.cfg.set("graceful_timeout", 10)
            if args.demo:  # once the site answers: its first page never waits for the worker's start-up
                self.cfg.set("when_ready", lambda arbiter: start_demo_worker())

        def load(self):
            return application

    Server().run()


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    setup_django()
    from django.core.management import CommandError

    try:
        run(args)
    except CommandError as error:
        sys.exit(str(error))


def run(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.core.management import call_command

    if args.command == "serve":
        serve(args)
    elif args.command == "demo":
        migrate()
        print_demo_logins()
    elif args.command == "worker":
        from lienhiep.core.worker import requeue_stale_tasks
        from lienhiep.paperwork.register import queue_unfinished

        migrate()
        requeue_stale_tasks()  # tasks a killed worker left running are run again, not silently lost
        queue_unfinished()  # issued documents whose PDF is still to be made
        call_command("db_worker")
    elif args.command == "migrate":
        call_command("migrate", interactive=False)
        call_command("createcachetable")
    elif args.command == "check":
        call_command("check", deploy=settings.PRODUCTION)
    elif args.command == "places":
        options = {"package": args.package, "province": args.province}
        call_command("import_places", *([args.file] if args.file else []), **options)
    elif args.command == "create-admin":
        import getpass

        from lienhiep.core.models import Membership, Role, User

        password = os.environ.get("LIENHIEP_ADMIN_PASSWORD") or getpass.getpass(t("password"))
        user = User.objects.create_user(
            username=args.username, email=args.email, password=password, full_name=args.username
        )
        Membership.objects.create(user=user, role=Role.PLATFORM_ADMIN)
        print(t("created", user=args.username))
    elif args.command == "totp":
        if settings.PRODUCTION:
            sys.exit(t("refused"))
        from lienhiep.core.mfa import current_code, totp_secret
        from lienhiep.core.models import User

        user = User.objects.filter(username=args.username).first()
        secret = totp_secret(user) if user else None
        if not secret:
            sys.exit(t("no_user", user=args.username))
        print(current_code(secret))
    elif args.command == "backup":
        from pathlib import Path

        from django.utils import timezone

        from lienhiep.core.backup import backup

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = Path(args.path or settings.VAR_DIR / "backups" / f"lienhiep-{stamp}.tar.gz")
        done = backup(path)
        print(t("backed_up", tables=done.tables, rows=done.rows, files=done.files, size=done.bytes, path=path))
    elif args.command == "restore":
        from pathlib import Path

        from lienhiep.core.backup import restore

        done = restore(Path(args.path), force=args.force)
        print(t("restored", tables=done.tables, rows=done.rows, files=done.files, size=done.bytes))
    elif args.command == "manage":
        from django.core.management import execute_from_command_line

        execute_from_command_line(["lienhiep", *args.args])


if __name__ == "__main__":
    main()
