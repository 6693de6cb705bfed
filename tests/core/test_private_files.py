"""A private file's address does not tell whether the file exists: to anyone not allowed to see it (the anonymous
visitor included) an existing file and a missing one answer alike, the same status and the same page, whatever
the shape of the address. Asked from outside, as each role, for the two views that serve stored files by their
own id: the Union's attachments (/<union>/files/<id>/) and an advisory case's files."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lienhiep.advisory.models import CaseFile
from lienhiep.core import services
from lienhiep.core.models import Attachment
from tests.authz import world as world_module
from tests.test_url_access import PDF_BYTES

NOT_ALLOWED = ["anonymous", "entrant", "expert", "agency_rep", "outsider_staff"]
TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value=|name="csrf-token" content=)"[^"]*"')


def _attach(cast, name: str, owner):
    upload = SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")
    return services.attach_file(actor=cast.staff, union=cast.union, owner=owner, upload=upload)


def _answer(client, url: str, *, method: str = "get") -> tuple[int, str, str]:
    """(status, where it sends, the page) with the per-request tokens and the asked address taken out."""
    response = getattr(client, method)(url)
    body = TOKENS.sub(r'\1""', response.content.decode()).replace(url.split("?")[0], "«address»")
    location = response.get("Location", "").replace(url.split("?")[0], "«address»")
    return response.status_code, location, body


@pytest.fixture
def files(cast):
    private = _attach(cast, "Kế hoạch nội bộ.pdf", cast.private_document)
    public = _attach(cast, "Quyết định 48.pdf", cast.public_document)
    missing = Attachment.objects.order_by("-pk").first().pk + 1000
    return private, public, missing


def _variants(slug: str, pk: int) -> list[str]:
    return [
        f"/{slug}/files/{pk}/",
        f"/{slug}/files/{pk}",  # no slash: redirected to the slashed address, whatever is there
        f"/{slug}/files/{pk}/?download=1",
        f"/quangngai/files/{pk}/",  # another Union's address
        f"/khong-co/files/{pk}/",  # no such Union
    ]


@pytest.mark.parametrize("role", NOT_ALLOWED)
def test_an_existing_private_file_answers_like_a_missing_one(role, cast, client_for, files):
    private, _public, missing = files
    client = client_for(cast.users_by_role().get(role))
    for existing_url, missing_url in zip(_variants("kontum", private.pk), _variants("kontum", missing), strict=True):
        for method in ("get", "head"):
            exists = _answer(client, existing_url, method=method)
            absent = _answer(client, missing_url, method=method)
            assert exists == absent, f"{role} {method.upper()} {existing_url} and {missing_url} answer differently"
            assert exists[0] in (301, 404), (role, existing_url, exists[0])
    status, _location, page = _answer(client, f"/kontum/files/{private.pk}/")
    assert status == 404 and "Kế hoạch nội bộ" not in page
    if role == "anonymous":  # the same 404 page offers to sign in, back to the address asked
        assert 'href="/accounts/login/?next=«address»"' in page


def test_the_unions_staff_still_download_the_file_and_everyone_the_public_one(cast, client_for, files):
    private, public, missing = files
    assert client_for(cast.staff).get(f"/kontum/files/{private.pk}/").status_code == 200
    assert client_for(cast.staff).get(f"/kontum/files/{missing}/").status_code == 404
    assert client_for(None).get(f"/kontum/files/{public.pk}/").status_code == 200


def test_a_case_file_answers_like_a_missing_one_to_every_row_not_admitted(cast, client_for):
    """The draft of the matrix's case: those refused it (the expert who declared a conflict after being seated
    included, who used to get a 403) get what a missing file's id gets."""
    world = world_module.build(cast)
    draft = world.case.files.get(kind=CaseFile.Kind.DRAFT)
    missing = CaseFile.objects.order_by("-pk").first().pk + 1000
    existing_url = reverse("advisory:file_download", args=[cast.union.slug, draft.pk])
    missing_url = reverse("advisory:file_download", args=[cast.union.slug, missing])
    admitted = {"expert_council", "staff", "leader", "union_admin", "agency_rep"}
    for row, user in world.users.items():
        client = client_for(user)
        if row in admitted:
            assert client.get(existing_url).status_code == 200 and client.get(missing_url).status_code == 404, row
            continue
        exists, absent = _answer(client, existing_url), _answer(client, missing_url)
        assert exists == absent, f"{row}: the draft's address answers {exists[0]}, a missing file's {absent[0]}"
        assert exists[0] in (302, 403, 404), (row, exists[0])
    assert _answer(client_for(world.users["expert_conflicted"]), existing_url)[0] == 404
