"""Demo data of the portal, drawn from the seed article (Báo Kon Tum, 11/11/2021): the article itself with its
two photo captions (placeholder photos drawn here with Pillow, nothing downloaded), Decisions 48/2017/QĐ-UBND
and 14/2014/QĐ-TTg in the library, one published critique summary, and two certificates (one revoked)."""

import datetime
import io
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from lienhiep.core.models import Union, User
from lienhiep.portal import services
from lienhiep.portal.models import Article, LegalDocument, Publication

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SOURCE = "http://baokontum.com.vn/xa-hoi/lien-hiep-cac-hoi-kh-kt-tinh-lam-viec-voi-lanh-dao-cac-dia-phuong-21402.html"
TITLE = "Liên hiệp các Hội KH&KT tỉnh làm việc với lãnh đạo các địa phương"
LEAD = (
    "Ngày 9 và 11/11, Đảng đoàn và Ban Thường vụ Liên hiệp các Hội Khoa học và kỹ thuật tỉnh làm việc với Huyện "
    "ủy, UBND huyện Tu Mơ Rông, huyện Đăk Tô để triển khai nhiệm vụ tư vấn, phản biện và giám định xã hội năm 2022."
)
BODY = """Tại buổi làm việc, lãnh đạo Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh thông tin tới các địa phương về \
chức năng, nhiệm vụ và hoạt động của Liên hiệp hội; các văn bản của Trung ương về tiếp tục đổi mới, nâng cao chất \
lượng, hiệu quả hoạt động của Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam trong thời kỳ đẩy mạnh công nghiệp \
hóa, hiện đại hóa đất nước; các văn bản của Tỉnh ủy về tiếp tục đổi mới nâng cao chất lượng, hiệu quả hoạt động \
của Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh; Quyết định số 48/2017/QĐ-UBND, ngày 27/9/2017 của UBND tỉnh về \
ban hành Quy định về hoạt động tư vấn phản biện và giám định xã hội của Liên hiệp các Hội Khoa học và Kỹ thuật \
tỉnh; thông tin về kết quả triển khai Hội thi Sáng tạo kỹ thuật và Cuộc thi Sáng tạo TTN-NĐ thời gian qua.

Lãnh đạo Liên hiệp hội tỉnh cũng nắm bắt thông tin về việc triển khai các dự án phát triển kinh tế, xã hội của \
địa phương; hoạt động của Hội thi Sáng tạo kỹ thuật và Cuộc thi Sáng tạo Thanh thiếu niên – Nhi đồng trên địa bàn \
các huyện để Liên hiệp hội triển khai hoạt động tư vấn, phản biện và giám định xã hội, nhằm giúp địa phương có \
thêm cơ sở, luận cứ khoa học và thực tiễn để lập và trình duyệt, triển khai thực hiện các đề án về phát triển \
kinh tế, xã hội trên địa bàn; giúp các huyện triển khai có hiệu quả hoạt động của Hội thi và Cuộc thi trong thời \
gian tới.

Với các nội dung làm việc như trên, từ nay đến cuối tháng 11/2021, Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh \
sẽ tiếp tục làm việc với một số huyện, thành phố theo kế hoạch."""
PHOTOS = [
    # caption, credit, colours of the placeholder
    ("Quang cảnh làm việc tại huyện Đăk Tô.", "Ảnh: QM", ((24, 64, 104), (170, 120, 70))),
    ("Quang cảnh làm việc tại huyện Tu Mơ Rông.", "Ảnh: QM", ((30, 90, 60), (150, 110, 80))),
]
FIELD_TVPB = "Tư vấn, phản biện và giám định xã hội"


def placeholder_photo(label: str, colours, size=(1200, 675)) -> bytes:
    """A drawn stand-in for a news photo: a meeting table with people around it, and the words 'Ảnh minh họa'."""

    top, table = colours
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    width, height = size
    for y in range(height):  # a soft vertical gradient
        shade = int(40 * y / height)
        draw.line([(0, y), (width, y)], fill=tuple(min(255, c + shade) for c in top))
    draw.rounded_rectangle([width * 0.15, height * 0.55, width * 0.85, height * 0.75], 24, fill=table)
    for i in range(7):
        x = width * (0.2 + i * 0.1)
        draw.ellipse([x - 28, height * 0.36, x + 28, height * 0.36 + 56], fill=(235, 220, 200))
        draw.rounded_rectangle([x - 40, height * 0.44, x + 40, height * 0.58], 18, fill=(245, 245, 245))
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 30)
    except OSError:
        font = ImageFont.load_default()
    draw.text((40, 36), f"Ảnh minh họa — {label}", fill=(255, 255, 255), font=font)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82)
    return out.getvalue()


def load() -> None:
    """Add the portal's demo records to the Kon Tum Union (and one document to Quảng Ngãi, for isolation)."""
    kontum = Union.objects.get(slug="kontum")
    staff = User.objects.get(username="canbo")
    leader = User.objects.get(username="lanhdao")
    documents = {}
    for data in [
        dict(
            number_symbol="48/2017/QĐ-UBND",
            doc_type=LegalDocument.DocType.DECISION,
            issuer="UBND tỉnh Kon Tum",
            issued_on=datetime.date(2017, 9, 27),
            summary="Ban hành Quy định về hoạt động tư vấn, phản biện và giám định xã hội của Liên hiệp các Hội "
            "Khoa học và Kỹ thuật tỉnh Kon Tum",
            fields=FIELD_TVPB,
        ),
        dict(
            number_symbol="14/2014/QĐ-TTg",
            doc_type=LegalDocument.DocType.DECISION,
            issuer="Thủ tướng Chính phủ",
            issued_on=datetime.date(2014, 2, 14),
            summary="Về hoạt động tư vấn, phản biện và giám định xã hội của Liên hiệp các Hội Khoa học và Kỹ "
            "thuật Việt Nam",
            fields=FIELD_TVPB,
        ),
    ]:
        document = services.save_document(actor=staff, union=kontum, document=LegalDocument(**data))
        documents[document.number_symbol] = document

    article = services.save_article(
        actor=staff,
        union=kontum,
        article=Article(title=TITLE, lead=LEAD, body=BODY, author="Quang Mạnh", source_url=SOURCE),
    )
    for caption, credit, colours in PHOTOS:
        upload = SimpleUploadedFile("anh.jpg", placeholder_photo(caption.rstrip("."), colours), "image/jpeg")
        services.add_article_image(
            actor=staff,
            article=article,
            upload=upload,
            caption=caption,
            credit=credit,
            alt=f"{caption} Ảnh minh họa: bàn họp và các đại biểu.",
        )
    services.change_article_state(actor=staff, article=article, step="submit")
    services.change_article_state(
        actor=leader,
        article=article,
        step="publish",
        published_at=datetime.datetime(2021, 11, 11, 10, 48, tzinfo=VN),
    )

    services.publish_output(
        actor=staff,
        union=kontum,
        kind=Publication.Kind.CRITIQUE_SUMMARY,
        title="Kế hoạch tư vấn, phản biện và giám định xã hội năm 2022 tại huyện Tu Mơ Rông và huyện Đăk Tô "
        "(dữ liệu minh họa)",
        summary="Tóm tắt minh họa: sau các buổi làm việc ngày 9 và 11/11/2021, Liên hiệp hội thống nhất với hai "
        "huyện danh mục đề án phát triển kinh tế, xã hội sẽ được tư vấn, phản biện trong năm 2022, theo Quyết định "
        "số 48/2017/QĐ-UBND.",
        body="Đây là bản tóm tắt minh họa cho trang kết quả công khai; nội dung thật do Liên hiệp hội công bố sau "
        "khi hoàn thành hoạt động phản biện.",
        publish=True,
    )
    services.publish_output(
        actor=staff,
        union=kontum,
        kind=Publication.Kind.CONTEST_RESULT,
        title="Kết quả Hội thi Sáng tạo kỹ thuật (bản nháp, chưa công bố)",
        summary="Bản nháp: chỉ hiện trên trang công khai khi cán bộ bấm Công bố.",
    )

    services.issue_certificate(
        actor=staff,
        union=kontum,
        holder_name="Nguyễn Thị Ánh",
        title="Giải Khuyến khích Hội thi Sáng tạo kỹ thuật tỉnh Kon Tum (dữ liệu minh họa)",
        issued_on=datetime.date(2021, 12, 20),
    )
    revoked = services.issue_certificate(
        actor=staff,
        union=kontum,
        holder_name="Trần Văn Minh",
        title="Giải Ba Cuộc thi Sáng tạo Thanh thiếu niên – Nhi đồng (dữ liệu minh họa)",
        issued_on=datetime.date(2021, 12, 20),
    )
    services.revoke_certificate(actor=staff, certificate=revoked, reason="Cấp nhầm tên người nhận (minh họa)")
