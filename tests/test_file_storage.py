"""Shared file storage: the folder var/private by default, an S3-compatible bucket when LIENHIEP_S3_BUCKET is set,
and the code reads and writes files only through Django's storage API (so either works, without a network here)."""

from pathlib import Path

from django.core.files.storage import FileSystemStorage, InMemoryStorage, StorageHandler
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from storages.backends.s3 import S3Storage

from lienhiep.core import services
from lienhiep.settings import file_storage
from tests.advisory import factories as advisory_f

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def storage_from(environ: dict[str, str]):
    return StorageHandler({"default": file_storage(environ, Path("/srv/lienhiep/var"))})["default"]


def test_without_a_bucket_files_stay_in_the_private_folder():
    storage = storage_from({})
    assert isinstance(storage, FileSystemStorage)
    assert Path(storage.location) == Path("/srv/lienhiep/var/private")


def test_a_bucket_switches_to_s3_with_its_endpoint_keys_and_prefix():
    storage = storage_from(
        {
            "LIENHIEP_S3_BUCKET": "lienhiep-tep",
            "LIENHIEP_S3_ENDPOINT_URL": "https://s3.example.vn",
            "LIENHIEP_S3_REGION": "hn-1",
            "LIENHIEP_S3_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "LIENHIEP_S3_SECRET_ACCESS_KEY": "bi-mat",
            "LIENHIEP_S3_PREFIX": "/kontum/",
        }
    )
    assert isinstance(storage, S3Storage)
    assert storage.bucket_name == "lienhiep-tep"
    assert storage.endpoint_url == "https://s3.example.vn"
    assert storage.region_name == "hn-1"
    assert (storage.access_key, storage.secret_key) == ("AKIDEXAMPLE", "bi-mat")
    assert storage.location == "kontum"
    assert storage.default_acl == "private" and storage.querystring_auth and not storage.file_overwrite


def test_empty_optional_s3_settings_fall_back_to_boto3_defaults():
    storage = storage_from({"LIENHIEP_S3_BUCKET": "lienhiep-tep", "LIENHIEP_S3_ENDPOINT_URL": " "})
    assert isinstance(storage, S3Storage)
    assert storage.endpoint_url is None and storage.access_key is None and storage.location == ""


def test_uploads_and_downloads_go_through_the_storage_api(cast, client_for, settings):
    """With an in-memory storage (no folder at all), an attachment and an advisory case file are stored and
    served back: nothing reaches the files by a path on disk."""
    settings.STORAGES = settings.STORAGES | {"default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    upload = SimpleUploadedFile("kế hoạch.pdf", PDF_BYTES, content_type="application/pdf")
    attachment = services.attach_file(actor=cast.staff, union=cast.union, owner=cast.private_document, upload=upload)
    assert isinstance(attachment.file.storage, InMemoryStorage)
    url = reverse("core:attachment_download", args=[cast.union.slug, attachment.pk])
    response = client_for(cast.staff).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES

    case = advisory_f.new_case(cast)
    letter = case.files.get(original_name="công văn 215.pdf")
    url = reverse("advisory:file_download", args=[cast.union.slug, letter.pk])
    response = client_for(cast.agency_rep).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
