"""The Gia Lai Union's year of work (the shape: lienhiep.devdata.provinces): coffee and pepper on the basalt
plateau (Chư Sê, Đak Đoa), Pleiku and its lake, the forests of KBang, the rice fields of Ayun Pa, the border
districts, and the Jrai and Bahnar peoples' culture. Agencies accept fewer recommendations than elsewhere, and
several reports went out after the day the agency asked for. One youth creativity contest (lần thứ 17) of last
year, with schools of Pleiku and the districts, published, four products nominated."""

from lienhiep.devdata.provinces import (
    AGENDA,
    AgencyData,
    CaseData,
    ContestData,
    EntryData,
    ExpertData,
    ItemData,
    PersonData,
    Place,
    SessionData,
    Story,
)
from lienhiep.devdata.provinces import K as A

UBND = "UBND tỉnh Gia Lai"
NNMT = "Sở Nông nghiệp và Môi trường tỉnh Gia Lai"
KHCN = "Sở Khoa học và Công nghệ tỉnh Gia Lai"
VHTT = "Sở Văn hóa, Thể thao và Du lịch tỉnh Gia Lai"
NONG_LAM = "Phân hiệu Trường Đại học Nông Lâm Thành phố Hồ Chí Minh tại Gia Lai"
CD = "Trường Cao đẳng Gia Lai"
BVDK = "Bệnh viện Đa khoa tỉnh Gia Lai"
TT_UD = "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Gia Lai"
HTX = "Hợp tác xã Nông nghiệp Ia Blang"
PLEIKU = Place("Pleiku")
HOI_PHU = Place("Pleiku", "Hội Phú")
THONG_NHAT = Place("Pleiku", "Thống Nhất")
# the schools of the contest
CHUYEN = "Trường THPT Chuyên Hùng Vương"
THPT_PLEIKU = "Trường THPT Pleiku"
NOI_TRU = "Trường PTDT Nội trú THCS Chư Sê"
LE_LOI = "Trường THCS Lê Lợi, Đak Đoa"
NUP = "Trường THPT Anh Hùng Núp"
KPA_KLONG = "Trường Tiểu học Kpă Klơng"
NGUYEN_DU = "Trường THCS Nguyễn Du, Ayun Pa"

STORY = Story(
    slug="gialai",
    name="Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Gia Lai",
    short_name="LHH Gia Lai",
    province="Gia Lai",
    governing_body="UBND TỈNH GIA LAI",
    place_name="Gia Lai",
    address="Phường Pleiku, tỉnh Gia Lai",
    email="lienhiephoi@gialai.test",
    phone="0269 3000 000",
    seed=2064,
    leader=PersonData("lanhdao.gialai", "Lê Thị Thu Hương", "female", 1971, "TS", "Chủ tịch"),
    staff=PersonData("canbo.gialai", "Rơ Mah Thúy", "female", 1990, "ThS", "Chuyên viên Ban Tư vấn, phản biện"),
    agencies=(
        AgencyData(UBND, A.PEOPLES_COMMITTEE),
        AgencyData("Tỉnh ủy Gia Lai", A.PARTY_COMMITTEE),
        AgencyData(KHCN, A.DEPARTMENT, None, UBND, "Sở KH&CN"),
        AgencyData(NNMT, A.DEPARTMENT, None, UBND, "Sở NN&MT"),
        AgencyData("Sở Xây dựng tỉnh Gia Lai", A.DEPARTMENT, None, UBND, "Sở Xây dựng"),
        AgencyData("Sở Giáo dục và Đào tạo tỉnh Gia Lai", A.DEPARTMENT, None, UBND, "Sở GD&ĐT"),
        AgencyData("Sở Y tế tỉnh Gia Lai", A.DEPARTMENT, None, UBND, "Sở Y tế"),
        AgencyData(VHTT, A.DEPARTMENT, None, UBND, "Sở VHTTDL"),
        AgencyData("UBND thành phố Pleiku", A.PEOPLES_COMMITTEE, PLEIKU, until_reform=True),
        AgencyData("UBND phường Pleiku", A.PEOPLES_COMMITTEE, PLEIKU),
        AgencyData("UBND huyện Chư Sê", A.PEOPLES_COMMITTEE, Place("Chư Sê"), until_reform=True),
        AgencyData("UBND xã Chư Sê", A.PEOPLES_COMMITTEE, Place("Chư Sê")),
        AgencyData("UBND huyện KBang", A.PEOPLES_COMMITTEE, Place("KBang"), until_reform=True),
        AgencyData("UBND xã Kbang", A.PEOPLES_COMMITTEE, Place("KBang")),
        AgencyData("UBND huyện Đức Cơ", A.PEOPLES_COMMITTEE, Place("Đức Cơ"), until_reform=True),
        AgencyData("UBND xã Đức Cơ", A.PEOPLES_COMMITTEE, Place("Đức Cơ")),
        AgencyData("UBND thị xã Ayun Pa", A.PEOPLES_COMMITTEE, Place("Ayun Pa"), until_reform=True),
        AgencyData("UBND phường Ayun Pa", A.PEOPLES_COMMITTEE, Place("Ayun Pa")),
        AgencyData("UBND huyện Đak Đoa", A.PEOPLES_COMMITTEE, Place("Đak Đoa"), until_reform=True),
        AgencyData("UBND xã Đak Đoa", A.PEOPLES_COMMITTEE, Place("Đak Đoa")),
        AgencyData(NONG_LAM, A.SCHOOL, PLEIKU),
        AgencyData(CD, A.SCHOOL, PLEIKU),
        AgencyData(BVDK, A.OTHER, PLEIKU),
        AgencyData(TT_UD, A.RESEARCH, PLEIKU, KHCN),
        AgencyData(HTX, A.ENTERPRISE, Place("Chư Sê")),
    ),
    associations=(
        ("Hội Y học tỉnh Gia Lai", "Hội Y học", "Y tế", 450),
        ("Hội Khoa học Kỹ thuật Nông nghiệp tỉnh Gia Lai", "Hội KHKT Nông nghiệp", "Cà phê, hồ tiêu, cao su", 260),
        ("Hội Khoa học Kỹ thuật Lâm nghiệp tỉnh Gia Lai", "Hội KHKT Lâm nghiệp", "Rừng, bảo tồn thiên nhiên", 140),
        ("Hội Kiến trúc sư tỉnh Gia Lai", "Hội KTS", "Kiến trúc, quy hoạch", 60),
        ("Hội Tin học tỉnh Gia Lai", "Hội Tin học", "Công nghệ thông tin", 80),
        ("Hội Khoa học Lịch sử tỉnh Gia Lai", "Hội KH Lịch sử", "Lịch sử, văn hóa các dân tộc", 110),
    ),
    experts=(
        # name, gender, born, title, degree, position, workplace, association, fields, keywords, place
        ExpertData("Nguyễn Văn Thạch", "male", 1967, "", "TS", "Giám đốc", TT_UD, "Hội KHKT Nông nghiệp",
                   ("NN", "DT"), "công nghệ sinh học; nuôi cấy mô; giống cà phê; nấm dược liệu", PLEIKU),
        ExpertData("Ksor H'Bia", "female", 1983, "", "ThS", "Giảng viên", CD, "Hội KH Lịch sử",
                   ("GD", "VH"), "văn hóa Jrai; giáo dục song ngữ; trường nội trú; cồng chiêng"),
        ExpertData("Trần Quốc Việt", "male", 1975, "PGS", "TS", "Giám đốc Phân hiệu", NONG_LAM, "Hội KHKT Nông nghiệp",
                   ("NN", "MT"), "hồ tiêu; cà phê tái canh; đất bazan; nông nghiệp hữu cơ"),
        ExpertData("Rơ Châm Hlin", "male", 1979, "", "KS", "Phó Trưởng phòng", NNMT, "Hội KHKT Lâm nghiệp",
                   ("MT", "NN"), "quản lý rừng; phòng cháy rừng; tài nguyên nước; hồ Biển Hồ", Place("KBang")),
        ExpertData("Phạm Thị Thanh Hà", "female", 1980, "", "BS", "Trưởng khoa", BVDK, "Hội Y học",
                   ("YT",), "y tế biên giới; sốt rét; dinh dưỡng trẻ em; y tế cơ sở"),
        ExpertData("Đoàn Văn Khánh", "male", 1964, "", "TS", "Nguyên Phó Giám đốc", "Sở Y tế tỉnh Gia Lai",
                   "Hội Y học", ("YT", "VH"), "quản lý y tế; y tế dự phòng; chính sách giảm nghèo"),
        ExpertData("Nguyễn Hoàng Long", "male", 1977, "", "KTS", "Trưởng phòng", "Sở Xây dựng tỉnh Gia Lai", "Hội KTS",
                   ("XD",), "quy hoạch đô thị Pleiku; kiến trúc nhà rông; hạ tầng giao thông; logistics"),
        ExpertData("Lê Minh Tuấn", "male", 1985, "", "ThS", "Giảng viên", CD, "Hội Tin học",
                   ("DT", "CK"), "phần mềm; IoT; tự động hóa; điện mặt trời"),
        ExpertData("Siu H'Nương", "female", 1988, "", "ThS", "Chuyên viên", "Sở Giáo dục và Đào tạo tỉnh Gia Lai", "",
                   ("GD",), "giáo dục STEM; học sinh dân tộc thiểu số; tiếng Việt cho trẻ mầm non"),
        ExpertData("Võ Thanh Sơn", "male", 1972, "", "KS", "Kỹ sư trưởng", HTX, "",
                   ("CK", "NN"), "máy nông nghiệp; sơ chế cà phê; tưới tiết kiệm; sấy nông sản", Place("Chư Sê")),
        ExpertData("Hồ Thị Bích Ngọc", "female", 1981, "", "TS", "Giảng viên", NONG_LAM, "Hội KHKT Lâm nghiệp",
                   ("MT", "XD"), "đánh giá tác động môi trường; thủy lợi; xói mòn đất; biến đổi khí hậu"),
        ExpertData("Đinh Văn Mừng", "male", 1969, "", "ThS", "Phó Chủ tịch Hội", VHTT, "Hội KH Lịch sử",
                   ("VH",), "di sản văn hóa Bahnar; du lịch cộng đồng; lễ hội truyền thống; bảo tàng"),
        ExpertData("Trương Văn Bình", "male", 1983, "", "KS", "Kỹ sư", TT_UD, "Hội Tin học",
                   ("CK", "DT"), "cơ khí chế tạo; cảm biến; năng lượng tái tạo", PLEIKU),
        ExpertData("Nguyễn Thị Kim Oanh", "female", 1976, "", "TS", "Trưởng phòng", KHCN, "Hội Tin học",
                   ("DT", "VH"), "chuyển đổi số; quản lý khoa học; sở hữu trí tuệ; OCOP"),
        ExpertData("Kpă Y Lâm", "male", 1986, "", "BS", "Bác sĩ", BVDK, "Hội Y học",
                   ("YT", "GD"), "y học cộng đồng; sức khỏe học đường; cây thuốc của đồng bào Jrai", Place("Ayun Pa")),
    ),
    cases=(
        # status, kind, agency (from the reform on), title, summary, fields; when; the agency before the reform
        CaseData("closed", "critique", "UBND phường Pleiku",
                 "Đề án chỉnh trang đô thị và không gian công cộng khu trung tâm Pleiku",
                 "Cải tạo vỉa hè, cây xanh, quảng trường, bãi đỗ xe và thoát nước chống ngập khu trung tâm.",
                 ("XD", "VH"), last=(1, 20), before="UBND thành phố Pleiku"),
        CaseData("assessed", "critique", "UBND xã Chư Sê",
                 "Đề án phát triển hồ tiêu bền vững theo hướng hữu cơ tại Chư Sê",
                 "Vùng tiêu hữu cơ, quản lý dịch bệnh chết nhanh chết chậm, liên kết tiêu thụ và chỉ dẫn địa lý hồ "
                 "tiêu.",
                 ("NN", "MT"), last=(3, 3), before="UBND huyện Chư Sê", late=True),
        CaseData("answered", "assessment", UBND,
                 "Giám định xã hội Chương trình phát triển kinh tế – xã hội vùng đồng bào dân tộc thiểu số và miền núi",
                 "Đánh giá hỗ trợ đất ở, nhà ở, nước sinh hoạt, đào tạo nghề và sinh kế cho đồng bào Jrai, Bahnar.",
                 ("VH", "NN"), last=(5, 19)),
        CaseData("answered", "consulting", VHTT,
                 "Đề án bảo tồn và phát huy không gian văn hóa cồng chiêng Tây Nguyên tại Gia Lai",
                 "Kiểm kê bộ chiêng, truyền dạy cho thanh thiếu niên, đội chiêng làng, lễ hội và du lịch văn hóa.",
                 ("VH", "GD"), last=(6, 9)),
        CaseData("withdrawn", "critique", "UBND xã Đức Cơ",
                 "Dự án đường liên xã vùng biên giới Đức Cơ",
                 "Nâng cấp tuyến đường liên xã phục vụ sản xuất và quốc phòng vùng biên giới.",
                 ("XD",), last=(9, 2), before="UBND huyện Đức Cơ"),
        CaseData("sent", "critique", "Sở Y tế tỉnh Gia Lai",
                 "Đề án nâng cao năng lực y tế cơ sở vùng biên giới",
                 "Trạm y tế xã biên giới, bác sĩ luân phiên, khám chữa bệnh từ xa và phòng chống sốt rét.",
                 ("YT",), last=(10, 6), late=True),
        CaseData("answered", "consulting", KHCN,
                 "Chương trình ứng dụng công nghệ sinh học trong sản xuất giống cây trồng chủ lực",
                 "Nuôi cấy mô cây giống cà phê, hồ tiêu, chanh dây và dược liệu; phòng thí nghiệm và chuyển giao "
                 "cho hợp tác xã.",
                 ("NN", "DT"), ago=80),
        CaseData("report_signed", "critique", "Sở Giáo dục và Đào tạo tỉnh Gia Lai",
                 "Đề án phát triển trường phổ thông dân tộc nội trú, bán trú",
                 "Mạng lưới trường nội trú, bán trú, ký túc xá, bữa ăn học sinh và giáo dục song ngữ Việt – Jrai, "
                 "Việt – Bahnar.",
                 ("GD", "VH"), ago=50),
        CaseData("consolidating", "critique", "UBND phường Ayun Pa",
                 "Dự án kênh tưới và hồ chứa phục vụ vùng lúa Ayun Pa",
                 "Kênh tưới bê tông, hồ chứa nhỏ và trạm bơm điện cho vùng lúa hai vụ; tác động đến dòng chảy sông "
                 "Ayun.",
                 ("XD", "NN"), ago=32, before="UBND thị xã Ayun Pa"),
        CaseData("council_formed", "consulting", "Sở Xây dựng tỉnh Gia Lai",
                 "Quy hoạch hệ thống cảng cạn và trung tâm logistics tỉnh Gia Lai",
                 "Vị trí cảng cạn, kho lạnh nông sản, kết nối quốc lộ 19 và cửa khẩu Lệ Thanh.",
                 ("XD", "DT"), ago=14),
        CaseData("accepted", "assessment", UBND,
                 "Giám định xã hội chính sách hỗ trợ đất sản xuất cho hộ đồng bào dân tộc thiểu số nghèo",
                 "Đánh giá việc giao đất, chuyển đổi nghề, hỗ trợ giống và khuyến nông cho hộ nghèo đồng bào dân tộc.",
                 ("VH", "NN"), ago=6),
        CaseData("received", "critique", "UBND xã Đak Đoa",
                 "Đề án phát triển sản phẩm OCOP gắn với văn hóa Bahnar",
                 "Sản phẩm dệt thổ cẩm, rượu cần, cà phê của làng Bahnar đạt chuẩn OCOP; du lịch trải nghiệm.",
                 ("VH", "NN"), ago=2, before="UBND huyện Đak Đoa"),
    ),
    acceptance=(3, 3, 2),
    contest=ContestData(
        kind="youth",
        title="Cuộc thi Sáng tạo Thanh thiếu niên, Nhi đồng tỉnh Gia Lai lần thứ 17",
        number=17,
        code="TN17",
        summary="Cuộc thi dành cho học sinh, thanh thiếu niên từ 6 đến 18 tuổi trên địa bàn tỉnh; các sản phẩm "
        "xuất sắc được chọn dự Cuộc thi Sáng tạo Thanh thiếu niên, Nhi đồng toàn quốc.",
        eligibility="Học sinh, thanh thiếu niên từ 6 đến 18 tuổi đang học tập, sinh sống tại tỉnh Gia Lai; mỗi sản "
        "phẩm có một giáo viên hướng dẫn.",
        closes=(5, 31),
        results=(8, 25),
        national_quota=4,
        schools=(
            (CHUYEN, PLEIKU),
            (THPT_PLEIKU, HOI_PHU),
            (NOI_TRU, Place("Chư Sê")),
            (LE_LOI, Place("Đak Đoa")),
            (NUP, Place("KBang")),
            (KPA_KLONG, THONG_NHAT),
            (NGUYEN_DU, Place("Ayun Pa")),
        ),
        entries=(
            # title, field, place, summary (empty: the usual line), authors (name, share, age), mean, school, mentor
            EntryData("Máy tách vỏ cà phê mini cho hộ gia đình", "KT", Place("Chư Sê"), "",
                      (("Rơ Mah Khang", 60, 16), ("Nguyễn Thị Hoa", 40, 16)), 92, NOI_TRU, "Nguyễn Văn Bình"),
            EntryData("Ứng dụng nhận diện bệnh trên lá cà phê bằng điện thoại", "PM", PLEIKU, "",
                      (("Trần Minh Quân", 50, 17), ("Lê Bảo Ngọc", 50, 17)), 89, CHUYEN, "Phạm Thị Thu Hà"),
            EntryData("Hệ thống tưới hồ tiêu tự động theo độ ẩm đất", "NM", Place("Chư Sê"), "",
                      (("Ksor Y Thiên", 100, 15),), 86, NOI_TRU, "Nguyễn Văn Bình"),
            EntryData("Ứng dụng học tiếng Jrai cho học sinh tiểu học", "PM", THONG_NHAT, "",
                      (("Rơ Lan Hạnh", 50, 11), ("Nguyễn Gia Huy", 50, 11)), 78, KPA_KLONG, "Siu H'Yen"),
            EntryData("Mô hình nhà rông tiết kiệm điện bằng cảm biến ánh sáng", "TK", Place("Đak Đoa"), "",
                      (("A Brăh", 60, 14), ("Y Ngân", 40, 14)), 71, LE_LOI, "Đỗ Thị Lan"),
            EntryData("Thiết bị cảnh báo cháy rừng bằng cảm biến khói", "KT", Place("KBang"), "",
                      (("Đinh Văn Tú", 50, 17), ("A Thắng", 50, 17)), 84, NUP, "Trần Văn Hào"),
            EntryData("Bộ lọc nước giếng nhiễm phèn từ vật liệu địa phương", "SK", Place("Ayun Pa"), "",
                      (("Rơ Châm Nhi", 100, 14),), 64, NGUYEN_DU, "Lê Thị Mai"),
            EntryData("Găng tay hỗ trợ người khiếm thính giao tiếp", "SK", HOI_PHU, "",
                      (("Võ Minh Khôi", 60, 16), ("Phan Thảo Vy", 40, 16)), 91, THPT_PLEIKU, "Nguyễn Thị Thanh"),
            EntryData("Trò chơi học lịch sử về Anh hùng Núp", "PM", Place("KBang"), "",
                      (("Đinh Thị Hiền", 100, 16),), 53, NUP, "Trần Văn Hào"),
            EntryData("Bộ đồ chơi cồng chiêng bằng tre cho trẻ mầm non", "TK", THONG_NHAT, "",
                      (("Ksor H'Linh", 100, 10),), 66, KPA_KLONG, "Siu H'Yen"),
            EntryData("Túi sinh học từ bẹ chuối", "NM", HOI_PHU, "",
                      (("Lê Khánh Linh", 50, 15), ("Đặng Hoài Nam", 50, 15)), 75, THPT_PLEIKU, "Nguyễn Thị Thanh"),
            EntryData("Xe lăn điều khiển bằng giọng nói", "KT", PLEIKU, "",
                      (("Hoàng Gia Bảo", 70, 18), ("Vũ Thị Mai Anh", 30, 17)), 88, CHUYEN, "Phạm Thị Thu Hà"),
            EntryData("Tranh ghép hạt cà phê kể chuyện buôn làng", "TK", Place("Chư Sê"), "",
                      (("Rơ Mah Hằng", 100, 13),), 82, NOI_TRU, "Nguyễn Văn Bình"),
            EntryData("Thùng ủ rác thành phân compost cho lớp học", "NM", THONG_NHAT, "",
                      (("Lê Phương Anh", 50, 9), ("Rơ Mah Tín", 50, 9)), 50, KPA_KLONG, "Siu H'Yen"),
            EntryData("Đèn học chống cận tự điều chỉnh độ sáng", "KT", PLEIKU, "",
                      (("Phạm Nhật Minh", 100, 15),), 62, CHUYEN, "Phạm Thị Thu Hà"),
            EntryData("Mô hình cảnh báo sạt lở đất cho làng ven đồi", "KT", Place("KBang"), "",
                      (("Đinh Văn Ba", 100, 17),), 70, NUP, "Trần Văn Hào"),
        ),
        rejected="Mô hình cảnh báo sạt lở đất cho làng ven đồi",
        rejected_note="Sản phẩm đã đạt giải ở cuộc thi toàn quốc năm trước, không được dự thi lại (Điều 5 Thể lệ).",
    ),
    sessions=(
        SessionData(
            "Làm việc với lãnh đạo địa phương về hồ tiêu Chư Sê", ("UBND xã Chư Sê",), AGENDA,
            (
                ItemData("Gửi Liên hiệp hội danh mục đề án cần tư vấn, phản biện", "UBND xã Chư Sê", 30, "done"),
                ItemData("Phổ biến Cuộc thi Sáng tạo Thanh thiếu niên, Nhi đồng tới các trường",
                         "UBND xã Chư Sê", 45, "done"),
                ItemData("Giới thiệu chuyên gia về bệnh hại hồ tiêu cho hợp tác xã", "staff", 60),
            ),
            last=(2, 26), place=Place("Chư Sê"), before=("UBND huyện Chư Sê",), minutes="circulated",
            promotes_contest=True,
        ),
        SessionData(
            "Làm việc về du lịch sinh thái và bảo vệ rừng KBang", ("UBND xã Kbang",), AGENDA,
            (
                ItemData("Hoàn thiện hồ sơ đề án du lịch sinh thái gửi Liên hiệp hội", "UBND xã Kbang", 20, "done"),
                ItemData("Tổ chức tập huấn phòng cháy rừng cho tổ bảo vệ rừng cộng đồng", "UBND xã Kbang", 90),
                ItemData("Báo cáo Thường trực kết quả khảo sát vùng đệm Kon Ka Kinh", "leader", 40, "in_progress"),
            ),
            last=(5, 8), place=Place("KBang"), before=("UBND huyện KBang",), minutes="circulated",
        ),
        SessionData(
            "Làm việc với Sở Khoa học và Công nghệ về phối hợp hoạt động", (KHCN,),
            (AGENDA[0], "Phối hợp tổ chức Cuộc thi Sáng tạo Thanh thiếu niên, Nhi đồng", AGENDA[3]),
            (
                ItemData("Hỗ trợ kinh phí giải thưởng Cuộc thi Sáng tạo Thanh thiếu niên, Nhi đồng", KHCN, 30, "done"),
                ItemData("Cập nhật danh sách chuyên gia vào cơ sở dữ liệu dùng chung", "staff", 45),
            ),
            last=(7, 15),
        ),
        SessionData(
            "Làm việc về vùng lúa và thủy lợi Ayun Pa", ("UBND phường Ayun Pa",), AGENDA,
            (
                ItemData("Gửi hồ sơ dự án kênh tưới và hồ chứa để tư vấn, phản biện",
                         "UBND phường Ayun Pa", 30, "done"),
                ItemData("Khảo sát hiện trạng kênh tưới cùng các hội thành viên", "staff", 50, "done"),
            ),
            last=(10, 22), place=Place("Ayun Pa"), before=("UBND thị xã Ayun Pa",),
        ),
        SessionData(
            "Làm việc về phát triển sản phẩm OCOP Đak Đoa", ("UBND xã Đak Đoa",), AGENDA,
            (
                ItemData("Gửi đề án phát triển sản phẩm OCOP để tư vấn, phản biện", "UBND xã Đak Đoa", 10, "done"),
                ItemData("Giới thiệu chuyên gia về nhãn hiệu tập thể thổ cẩm", "staff", 40),
            ),
            ago=12, place=Place("Đak Đoa"), before=("UBND huyện Đak Đoa",), minutes="approved",
        ),
    ),
)  # fmt: skip
