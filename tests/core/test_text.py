import datetime
import unicodedata

import pytest

from lienhiep.core.text import fold, format_number, normalize, official_date, person_sort_key, sort_key


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Huyện Đăk Tô", "huyen dak to"),
        ("NGUYỄN Văn Ánh", "nguyen van anh"),
        ("  Tu   Mơ  Rông ", "tu mo rong"),
        ("Ia H'Drai", "ia h'drai"),
        ("Đắk Glei", "dak glei"),
    ],
)
def test_fold_strips_every_mark_including_d_bar(text, folded):
    assert fold(text) == folded


def test_nfd_and_nfc_spellings_fold_and_normalise_alike():
    nfc = "Nguyễn Thị Ánh"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert fold(nfd) == fold(nfc)
    assert normalize(nfd) == nfc
    assert sort_key(nfd) == sort_key(nfc)


def test_vietnamese_alphabet_order():
    words = ["đa", "da", "ăn", "ân", "an", "ôm", "ơn", "om", "ưa", "ua", "ba"]
    assert sorted(words, key=sort_key) == ["an", "ăn", "ân", "ba", "da", "đa", "om", "ôm", "ơn", "ua", "ưa"]


def test_tones_decide_only_between_otherwise_equal_words():
    assert sorted(["bạ", "bá", "bã", "bả", "bà", "ba"], key=sort_key) == ["ba", "bà", "bả", "bã", "bá", "bạ"]
    # a tone never beats a letter: "bá" (b-a) sorts before "bac" (b-a-c)
    assert sorted(["bac", "bá"], key=sort_key) == ["bá", "bac"]


def test_people_sort_by_given_name_then_family_name():
    names = ["Nguyễn Văn Bình", "Trần Thị Ánh", "Lê An", "Phạm Thị An", "Đỗ Văn Dũng", "Hoàng Đức"]
    assert sorted(names, key=person_sort_key) == [
        "Lê An",
        "Phạm Thị An",
        "Trần Thị Ánh",
        "Nguyễn Văn Bình",
        "Đỗ Văn Dũng",
        "Hoàng Đức",
    ]


def test_sort_keys_are_digits_so_any_database_collation_orders_them_alike():
    assert sort_key("Đăk Tô ĐẮK 9").replace("0", "").isdigit()


def test_official_date_follows_decree_30():
    assert official_date(datetime.date(2021, 11, 11), "Kon Tum") == "Kon Tum, ngày 11 tháng 11 năm 2021"
    assert official_date(datetime.date(2021, 2, 5)) == "ngày 05 tháng 02 năm 2021"
    assert official_date(datetime.date(2017, 9, 7)) == "ngày 07 tháng 9 năm 2017"


def test_vietnamese_number_format():
    assert format_number(15000000) == "15.000.000"
    assert format_number(1234.5, 1) == "1.234,5"


def test_django_formats_dates_and_numbers_the_vietnamese_way():
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("vi"):
        out = Template('{% load humanize %}{{ d|date:"SHORT_DATE_FORMAT" }} {{ n|intcomma }}').render(
            Context({"d": datetime.date(2017, 9, 27), "n": 1234567})
        )
    assert out == "27/09/2017 1.234.567"
