"""The document library: effective and end dates, status links between documents, fields, filters."""

import datetime

import pytest

from lienhiep.portal import services
from lienhiep.portal.models import LegalDocument

pytestmark = pytest.mark.django_db


def add(cast, number, **kw):
    data = dict(
        doc_type="decision", issuer="UBND tỉnh Kon Tum", issued_on=datetime.date(2017, 1, 1), summary="Trích yếu"
    )
    data.update(kw)
    return services.save_document(
        actor=cast.staff, union=cast.union, document=LegalDocument(number_symbol=number, **data)
    )


def test_filters_by_type_issuer_year_and_field(cast, client):
    add(
        cast,
        "14/2014/QĐ-TTg",
        issuer="Thủ tướng Chính phủ",
        issued_on=datetime.date(2014, 2, 14),
        fields="Tư vấn phản biện",
    )
    add(cast, "05/KH-UBND", doc_type="plan", issued_on=datetime.date(2021, 3, 1), fields="Khoa học và công nghệ")
    base = f"/{cast.union.slug}/documents/"

    def numbers(**params):
        html = client.get(base, params).content.decode()
        return {n for n in ("48/2017/QĐ-UBND", "14/2014/QĐ-TTg", "05/KH-UBND", "01/KH-LHH") if n in html}

    assert numbers() == {"48/2017/QĐ-UBND", "14/2014/QĐ-TTg", "05/KH-UBND"}  # the private plan never shows
    assert numbers(type="plan") == {"05/KH-UBND"}
    assert numbers(issuer="Thủ tướng Chính phủ") == {"14/2014/QĐ-TTg"}
    assert numbers(year="2017") == {"48/2017/QĐ-UBND"}
    assert numbers(field="Khoa học và công nghệ") == {"05/KH-UBND"}
    assert numbers(q="thu tuong") == {"14/2014/QĐ-TTg"}
    assert numbers(year="abcd", type="nonsense") == {"48/2017/QĐ-UBND", "14/2014/QĐ-TTg", "05/KH-UBND"}


def test_status_links_between_documents(cast, client_for):
    new = add(cast, "20/2023/QĐ-UBND", issued_on=datetime.date(2023, 5, 1), effective_on=datetime.date(2023, 5, 15))
    old = cast.public_document
    form = {
        "number_symbol": old.number_symbol,
        "doc_type": "decision",
        "issuer": old.issuer,
        "issued_on": "2017-09-27",
        "effective_on": "2017-10-07",
        "status": "replaced",
        "summary": old.summary,
        "fields": "Tư vấn, phản biện",
        "is_public": "on",
    }
    staff = client_for(cast.staff)
    response = staff.post(f"/{cast.union.slug}/app/documents/{old.pk}/edit/", form)
    assert response.status_code == 200
    assert "Vui lòng cho biết văn bản sửa đổi hoặc thay thế văn bản này." in response.content.decode()
    staff.post(f"/{cast.union.slug}/app/documents/{old.pk}/edit/", {**form, "replaced_by": new.pk})
    old.refresh_from_db()
    assert old.status == "replaced" and old.replaced_by == new and old.effective_on == datetime.date(2017, 10, 7)
    anonymous = client_for(None)
    html = anonymous.get(f"/{cast.union.slug}/documents/{old.pk}/").content.decode()
    assert f'href="/{cast.union.slug}/documents/{new.pk}/"' in html
    html = anonymous.get(f"/{cast.union.slug}/documents/{new.pk}/").content.decode()
    assert "48/2017/QĐ-UBND" in html and "15/05/2023" in html


def test_expired_needs_an_end_date_and_dates_in_order(cast, client_for):
    response = client_for(cast.staff).post(
        f"/{cast.union.slug}/app/documents/new/",
        {
            "number_symbol": "1/QĐ",
            "doc_type": "decision",
            "issuer": "UBND",
            "issued_on": "2020-01-10",
            "effective_on": "2020-01-01",
            "status": "expired",
            "summary": "x",
        },
    )
    html = response.content.decode()
    assert "Ngày hiệu lực không được trước ngày ban hành." in html
    assert "Hãy nhập ngày văn bản hết hiệu lực." in html
    assert not LegalDocument.objects.filter(number_symbol="1/QĐ").exists()
