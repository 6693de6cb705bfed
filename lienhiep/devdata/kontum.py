"""Kon Tum's last year (the shape: lienhiep.devdata.provinces). The seed story (lienhiep.devdata.advisory,
.contests, .outreach) is of 2021–2023 and of the last weeks; these few records of last year give the national
view its Kon Tum column beside Quảng Ngãi and Gia Lai: requests answered (about two in three recommendations
accepted), one report sent late, two working sessions. Before the reform the districts' bodies ask; after it,
the province's."""

from lienhiep.devdata.provinces import AGENDA, CaseData, ItemData, PersonData, Place, SessionData, Story

UBND = "UBND tỉnh Kon Tum"
KHCN = "Sở Khoa học và Công nghệ tỉnh Kon Tum"

STORY = Story(
    slug="kontum",
    seed=2069,
    leader=PersonData("lanhdao", "Nguyễn Văn Sơn", "male", 1968, "ThS", "Chủ tịch"),
    staff=PersonData("canbo", "Phạm Thị Hồng Nhung", "female", 1987, "CN", "Chuyên viên Ban Tư vấn, phản biện"),
    cases=(
        CaseData("closed", "consulting", "Sở Y tế tỉnh Kon Tum",
                 "Kế hoạch phát triển dược liệu Ngọc Linh gắn với y học cổ truyền",
                 "Vùng trồng dược liệu dưới tán rừng, vườn ươm giống, chế biến sâu và khám chữa bệnh bằng y học cổ "
                 "truyền tại tuyến xã.",
                 ("YT", "NN"), last=(1, 9)),
        CaseData("answered", "critique", UBND,
                 "Đề án phát triển du lịch sinh thái Măng Ri – Ngọc Linh",
                 "Tuyến du lịch sinh thái, homestay của đồng bào Xơ Đăng, bảo vệ rừng và vườn sâm Ngọc Linh.",
                 ("VH", "MT"), last=(2, 17), before="UBND huyện Tu Mơ Rông"),
        CaseData("answered", "critique", KHCN,
                 "Chương trình hỗ trợ doanh nghiệp đổi mới công nghệ tỉnh Kon Tum",
                 "Hỗ trợ doanh nghiệp nhỏ và hợp tác xã đổi mới thiết bị, chuyển giao công nghệ sơ chế cà phê, "
                 "dược liệu và truy xuất nguồn gốc.",
                 ("DT", "CK"), last=(3, 24), late=True),
        CaseData("sent", "assessment", UBND,
                 "Giám định xã hội chính sách hỗ trợ phát triển sâm Ngọc Linh",
                 "Đánh giá hỗ trợ giống, đất trồng, bảo vệ nhãn hiệu và tiêu thụ sâm Ngọc Linh cho hộ đồng bào.",
                 ("NN", "VH"), last=(5, 12)),
    ),
    acceptance=(5, 3, 2),
    sessions=(
        SessionData(
            "Làm việc về kết quả tiếp thu kiến nghị tư vấn, phản biện", (UBND,), AGENDA,
            (
                ItemData("Báo cáo kết quả thực hiện các kiến nghị về quy hoạch vùng huyện", UBND, 45),
                ItemData("Tổng hợp kiến nghị chưa được tiếp thu, báo cáo Thường trực", "staff", 20, "done"),
            ),
            last=(4, 15), place=Place("Đăk Tô"), before=("UBND huyện Đăk Tô",),
        ),
        SessionData(
            "Làm việc với Sở Khoa học và Công nghệ về Hội thi Sáng tạo kỹ thuật lần thứ 10", (KHCN,),
            (AGENDA[0], AGENDA[2]),
            (
                ItemData("Thống nhất kinh phí và thể lệ Hội thi lần thứ 10", KHCN, 30, "done"),
                ItemData("Cập nhật danh sách giám khảo trong cơ sở dữ liệu chuyên gia", "staff", 60, "in_progress"),
            ),
            last=(6, 10),
        ),
    ),
)  # fmt: skip
