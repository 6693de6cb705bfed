"""The certificate check: valid, unknown and revoked codes say so in Vietnamese; look-ups are rate limited;
codes are random and unguessable; staff issue and revoke by hand."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lienhiep.paperwork.codes import CODE_ALPHABET, CODE_LENGTH, clean_code
from lienhiep.portal import services
from lienhiep.portal.models import Certificate

from .factories import make_certificate

pytestmark = pytest.mark.django_db


def check(client, cast, code: str):
    return client.get(f"/{cast.union.slug}/certificates/{code}/")


def test_a_valid_code_shows_who_received_what_and_when(cast, client):
    certificate = make_certificate(cast)
    response = check(client, cast, certificate.code)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Giấy chứng nhận này là thật." in html
    assert "Nguyễn Thị Ánh" in html and "Giải Nhì Hội thi Sáng tạo kỹ thuật" in html and "20/12/2021" in html
    assert response["Cache-Control"] == "no-store"
    # typed with dashes, spaces and lower case, through the form
    typed = " " + certificate.display_code().lower() + " "
    response = client.get(f"/{cast.union.slug}/certificates/", {"code": typed}, follow=True)
    assert "Giấy chứng nhận này là thật." in response.content.decode()


def test_an_unknown_code_says_so_plainly(cast, client):
    make_certificate(cast)
    html = check(client, cast, "ABCDEFGHJKLM").content.decode()
    assert "Không có giấy chứng nhận nào mang mã này." in html
    assert "Nguyễn Thị Ánh" not in html


def test_a_code_of_another_union_is_unknown_here(cast, client):
    theirs = make_certificate(cast, union=cast.outsider_union, actor=cast.outsider_staff)
    assert "Không có giấy chứng nhận nào mang mã này." in check(client, cast, theirs.code).content.decode()


def test_a_revoked_code_says_it_is_no_longer_valid(cast, client):
    certificate = make_certificate(cast, revoked=True)
    html = check(client, cast, certificate.code).content.decode()
    assert "Giấy chứng nhận này đã bị thu hồi và không còn giá trị." in html
    assert "Cấp nhầm" in html and "Giấy chứng nhận này là thật." not in html


def test_lookups_are_rate_limited_per_address_with_a_vietnamese_message(cast, client):
    from django.core.cache import cache

    cache.clear()
    certificate = make_certificate(cast)
    for i in range(20):
        assert check(client, cast, f"WRONGCODE{i:03d}").status_code == 200
    response = check(client, cast, certificate.code)
    assert response.status_code == 429
    assert "Đã tra cứu quá nhiều lần trong thời gian ngắn" in response.content.decode()
    assert "Nguyễn Thị Ánh" not in response.content.decode()
    assert response["Retry-After"] == "600"
    # another address is not affected
    assert (
        check(
            client,
            cast,
            certificate.code,
        ).status_code
        == 429
    )
    other = client.get(f"/{cast.union.slug}/certificates/{certificate.code}/", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200
    cache.clear()


def test_codes_are_random_long_and_unambiguous(cast):
    codes = {make_certificate(cast).code for _ in range(30)}
    assert len(codes) == 30
    for code in codes:
        assert len(code) == CODE_LENGTH >= 10 and set(code) <= set(CODE_ALPHABET)
    assert not set("01IO") & set(CODE_ALPHABET)
    assert clean_code(" abcd-efgh jklm ") == "ABCDEFGHJKLM"


def test_certificates_are_never_searchable(cast, client):
    make_certificate(cast)
    html = client.get(f"/{cast.union.slug}/search/", {"q": "nguyen thi anh"}).content.decode()
    assert "Nguyễn Thị Ánh" not in html and "Không tìm thấy kết quả" in html


def test_staff_issue_and_revoke_by_hand(cast, client_for):
    staff = client_for(cast.staff)
    response = staff.post(
        f"/{cast.union.slug}/app/certificates/",
        {"holder_name": "Y Blong", "title": "Giải Ba Hội thi Sáng tạo kỹ thuật", "issued_on": "2021-12-20"},
    )
    certificate = Certificate.objects.get()
    assert response.status_code == 302 and certificate.issuer == cast.union.name
    response = staff.post(f"/{cast.union.slug}/app/certificates/{certificate.pk}/revoke/", {"reason": ""})
    assert response.status_code == 400 and "Trường này là bắt buộc" in response.content.decode()
    staff.post(f"/{cast.union.slug}/app/certificates/{certificate.pk}/revoke/", {"reason": "Trùng giải"})
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoke_reason == "Trùng giải"
    with pytest.raises(ValidationError):
        services.revoke_certificate(actor=cast.staff, certificate=certificate, reason="lần nữa")


def test_a_future_date_is_refused_in_vietnamese_and_others_cannot_issue(cast, client_for):
    future = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    response = client_for(cast.staff).post(
        f"/{cast.union.slug}/app/certificates/", {"holder_name": "A", "title": "B", "issued_on": future}
    )
    assert (
        response.status_code == 400 and "Ngày cấp giấy chứng nhận không thể ở tương lai." in response.content.decode()
    )
    assert (
        client_for(cast.leader)
        .post(f"/{cast.union.slug}/app/certificates/", {"holder_name": "A", "title": "B", "issued_on": "2021-01-01"})
        .status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        make_certificate(cast, actor=cast.entrant)
    assert not Certificate.objects.exists()
