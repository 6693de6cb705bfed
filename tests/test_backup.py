"""`lienhiep backup` / `lienhiep restore`: data in every module is backed up, restored into an empty second
instance (a second SQLite file, or a second PostgreSQL database), and every table (all rows, all columns) and
every file (byte for byte) is compared with the original."""

from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.storage import storages
from django.db import connections

from lienhiep import cli
from lienhiep.core.backup import BackupError, backed_up_models, backup, holds_data, restore
from lienhiep.core.models import Union
from tests.advisory import factories as advisory
from tests.contests import factories as contests
from tests.live import empty_instance
from tests.outreach import factories as outreach
from tests.portal import factories as portal

pytestmark = pytest.mark.slow


@pytest.fixture
def second(transactional_db, tmp_path):
    """An empty migrated instance beside the test database, made before the test writes anything."""
    with empty_instance("restored", tmp_path) as alias:
        yield alias


def build_every_module(cast) -> None:
    """Rows in every module, with files: a submitted contest entry with its dossier and a judge's scores, an
    advisory case with its letter and draft, working-session minutes and an action item, a news article with an
    image and a certificate."""
    edition = contests.open_edition(cast)
    entry = contests.accepted(cast, edition)
    judge = contests.judge(cast.union, "Hà Văn Một", user=cast.expert)
    contests.score(contests.seat(cast, entry, judge), 25, 30, 28, submit=False)
    advisory.new_case(cast)
    outreach.action_item(cast, work_session=outreach.approved_minutes(cast).session)
    portal.add_image(cast, portal.make_article(cast, state="published"))
    portal.make_certificate(cast)


def table(model, alias: str) -> list[tuple]:
    fields = [f.attname for f in model._meta.concrete_fields]
    return list(model._base_manager.using(alias).order_by("pk").values_list(*fields))


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_restore_into_an_empty_instance_gives_back_every_row_and_every_file(second, cast, tmp_path):
    build_every_module(cast)
    archive = tmp_path / "backup" / "lienhiep.tar.gz"
    made = backup(archive)
    assert archive.exists() and made.rows > 0 and made.files >= 5
    assert not holds_data(second)

    restored_files = tmp_path / "restored-files"
    done = restore(archive, using=second, files_root=restored_files)

    assert (done.tables, done.rows, done.files) == (made.tables, made.rows, made.files)
    compared = with_rows = 0
    for model in backed_up_models():
        original = table(model, "default")
        assert table(model, second) == original, model._meta.label
        compared += 1
        with_rows += bool(original)
    modules = {m._meta.app_label for m in backed_up_models() if m._base_manager.using(second).exists()}
    assert {"core", "contests", "experts", "advisory", "outreach", "portal"} <= modules
    original_files = files_under(Path(storages["default"].location))
    assert len(original_files) == made.files
    assert files_under(restored_files) == original_files
    # new rows get fresh ids after the restore (the id sequences were moved past the restored rows)
    Union.objects.using(second).create(name="LHH Gia Lai", short_name="LHH Gia Lai", slug="gialai")
    print(f"\nbackup/restore: {compared} tables compared ({with_rows} with rows), {made.rows} rows, "
          f"{made.files} files, {made.bytes} bytes, archive {archive.stat().st_size} bytes")  # fmt: skip


def test_restore_refuses_a_database_that_holds_data_and_changes_nothing(second, cast, tmp_path):
    archive = tmp_path / "b.tar.gz"
    backup(archive)
    portal.make_article(cast, title="Bài viết sau khi sao lưu")
    counts = {m._meta.label: m._base_manager.count() for m in backed_up_models()}
    with pytest.raises(BackupError, match="đã có dữ liệu"):
        restore(archive)
    assert {m._meta.label: m._base_manager.count() for m in backed_up_models()} == counts
    # --force replaces what the database holds with the backup
    restore(archive, force=True, files_root=tmp_path / "files")
    assert not apps.get_model("portal", "Article").objects.filter(title="Bài viết sau khi sao lưu").exists()
    assert Union.objects.count() == 2


def test_a_file_that_is_not_a_backup_is_refused(second, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a backup")
    with pytest.raises(BackupError, match="không đọc được"):
        restore(junk, using=second)
    assert not holds_data(second)
    assert connections[second].vendor == connections["default"].vendor


def test_the_commands_back_up_to_the_given_file(cast, tmp_path, capsys):
    path = tmp_path / "sao-luu.tar.gz"
    cli.main(["backup", str(path)])
    assert path.exists()
    assert "Đã sao lưu" in capsys.readouterr().out
