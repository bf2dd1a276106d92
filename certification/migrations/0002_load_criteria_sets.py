"""Loads the two national criteria sets, Circular 23/2012 and Circular 124/2021, as published data.

The data are written out here, not imported, so the migration keeps loading the same rows whatever
later code does. Where the official wording was not available (see docs: ANTT.md §6) the text is
reconstructed and the criterion is marked `text_to_verify` with a note; administrators correct it
by publishing a new version of the set.

`Criterion.parameters` holds what the portal can check by itself. The keys, which a criterion may
combine:

- "documents": document kinds (certification.models.registration.DocumentKind values, or
  "registration" for the registration itself) that must exist and be dated on or before
  "documents_due" ("MM-DD" in the cycle's year); "optional_documents": the same, required only
  where the unit has the body that issues them (a Party organisation).
- "share": [{"part", "whole", "min_percent"}] on the Registration figures (households_registered /
  households_resident, staff_pledged / staff_total, students_pledged / students_total).
- "child_units": {"registered_min_percent" (absent: no threshold), "recognised_min_percent",
  "pooling" ("all": one share over every listed type), "types"}.
- "models_min": the number of effective security models the unit must run.
- "items": the events that must not have occurred (one answer per item).
- "figures" and "rule": figures compared with the previous year ("not_higher").
- "rating": "unit_title_at_least" with "value" (the emulation title), or "no_discipline";
  "no_discipline_from" adds "no member disciplined at this form or above" to a title rating.
"""

import datetime

from django.db import migrations
from django.utils import timezone

DUE_Q1 = "03-31"
RECONSTRUCTED = "Chưa có văn bản chính thức; nội dung được dựng lại, cần đối chiếu Công báo."
YOY_FIGURES = {"figures": ["crimes", "social_evils", "violations"], "rule": "not_higher"}
HOUSEHOLDS_ALL = {
    "part": "households_registered",
    "whole": "households_resident",
    "min_percent": 100,
}
STAFF_ALL = {"part": "staff_pledged", "whole": "staff_total", "min_percent": 100}
STUDENTS_ALL = {"part": "students_pledged", "whole": "students_total", "min_percent": 100}

# --- Circular 23/2012/TT-BCA ---------------------------------------------------------------------

TT23_RESIDENTIAL_ITEMS = [
    "Hoạt động xâm phạm an ninh quốc gia",
    "Tranh chấp, mâu thuẫn phức tạp trong nội bộ nhân dân",
    "Khiếu kiện đông người trái pháp luật",
    "Khiếu kiện vượt cấp trái pháp luật",
]
TT23_ACCIDENT_ITEMS = [
    "Cháy nghiêm trọng",
    "Nổ nghiêm trọng",
    "Tai nạn nghiêm trọng (giao thông, lao động, sinh hoạt)",
]

TT23_RESIDENTIAL = [
    {
        "number": 1,
        "title": "Nghị quyết của chi bộ, đăng ký phấn đấu và 100% hộ gia đình ký cam kết",
        "text": (
            "Hằng năm, chi bộ có nghị quyết về công tác bảo đảm an ninh, trật tự; khu dân cư có "
            "văn bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự”; 100% hộ gia "
            "đình trong khu dân cư ký cam kết thực hiện các tiêu chuẩn về bảo đảm an ninh, trật tự."
        ),
        "kind": "DOC",
        "parameters": {
            "documents": ["party_resolution", "registration"],
            "documents_due": DUE_Q1,
            "share": [HOUSEHOLDS_ALL],
        },
        "evidence_expected": (
            "Nghị quyết của chi bộ; văn bản đăng ký phấn đấu của khu dân cư; danh sách hộ gia đình "
            "ký cam kết (hoặc bản cam kết của từng hộ)."
        ),
    },
    {
        "number": 2,
        "title": "Không để xảy ra vụ việc phức tạp về an ninh quốc gia",
        "text": (
            "Không để xảy ra hoạt động xâm phạm an ninh quốc gia; không để xảy ra tranh chấp, mâu "
            "thuẫn phức tạp trong nội bộ nhân dân; không để xảy ra khiếu kiện đông người, khiếu "
            "kiện vượt cấp trái pháp luật."
        ),
        "kind": "NO-EVENT",
        "parameters": {"items": TT23_RESIDENTIAL_ITEMS},
        "evidence_expected": (
            "Báo cáo tình hình an ninh, trật tự của khu dân cư trong kỳ đánh giá, có xác nhận "
            "của Công an xã."
        ),
        "text_to_verify": True,
        "verification_note": (
            "Danh mục đầy đủ của khoản 2 Điều 5 chưa có trong nguồn hiện có. " + RECONSTRUCTED
        ),
    },
    {
        "number": 3,
        "title": "Kiềm chế, giảm tội phạm, tệ nạn xã hội và vi phạm pháp luật khác",
        "text": (
            "Tội phạm, tệ nạn xã hội và các hành vi vi phạm pháp luật khác trên địa bàn khu dân "
            "cư được kiềm chế, không tăng so với năm trước."
        ),
        "kind": "YOY",
        "parameters": YOY_FIGURES,
        "evidence_expected": (
            "Số liệu tội phạm, tệ nạn xã hội, vi phạm pháp luật khác của năm đánh giá và năm "
            "trước, có xác nhận của Công an xã."
        ),
        "text_to_verify": True,
        "verification_note": "Lời văn chính xác của khoản 3 Điều 5 chưa có. " + RECONSTRUCTED,
    },
    {
        "number": 4,
        "title": "Không để xảy ra cháy, nổ, tai nạn nghiêm trọng",
        "text": "Không để xảy ra cháy, nổ, tai nạn nghiêm trọng trên địa bàn khu dân cư.",
        "kind": "NO-EVENT",
        "parameters": {"items": TT23_ACCIDENT_ITEMS},
        "evidence_expected": (
            "Báo cáo tình hình cháy, nổ, tai nạn trên địa bàn khu dân cư trong kỳ đánh giá."
        ),
        "text_to_verify": True,
        "verification_note": "Lời văn chính xác của khoản 4 Điều 5 chưa có. " + RECONSTRUCTED,
    },
]

TT23_COMMUNE = [
    {
        "number": 1,
        "title": "Nghị quyết của Đảng ủy, kế hoạch của Ủy ban nhân dân và đăng ký phấn đấu",
        "text": (
            "Hằng năm, Đảng ủy xã, phường, thị trấn có nghị quyết, Ủy ban nhân dân xã, phường, "
            "thị trấn có kế hoạch về công tác bảo đảm an ninh, trật tự và có văn bản đăng ký phấn "
            "đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự”."
        ),
        "kind": "DOC",
        "parameters": {
            "documents": ["party_resolution", "security_plan", "registration"],
            "documents_due": DUE_Q1,
        },
        "evidence_expected": (
            "Nghị quyết của Đảng ủy; kế hoạch bảo đảm an ninh, trật tự của Ủy ban nhân dân; văn "
            "bản đăng ký phấn đấu."
        ),
    },
    {
        "number": 2,
        "title": "Địa bàn xã bảo đảm các tiêu chuẩn tại khoản 2, 3 và 4 Điều 5",
        "text": (
            "Trên địa bàn xã, phường, thị trấn bảo đảm các tiêu chuẩn quy định tại các khoản 2, 3 "
            "và 4 Điều 5 Thông tư này."
        ),
        "kind": "NO-EVENT",
        "parameters": {"items": TT23_RESIDENTIAL_ITEMS + TT23_ACCIDENT_ITEMS, **YOY_FIGURES},
        "evidence_expected": (
            "Báo cáo tình hình an ninh, trật tự trên địa bàn xã trong kỳ đánh giá, kèm số liệu "
            "tội phạm, tệ nạn xã hội, vi phạm pháp luật so với năm trước."
        ),
        "text_to_verify": True,
        "verification_note": (
            "Lời văn của tiêu chuẩn này có trong nguồn, nhưng danh mục vụ việc và chỉ số so sánh "
            "được lấy từ khoản 2–4 Điều 5 (được dựng lại); cần đối chiếu Công báo."
        ),
    },
    {
        "number": 3,
        "title": "Công an xã và lực lượng bảo vệ dân phố đạt danh hiệu “Đơn vị tiên tiến” trở lên",
        "text": (
            "Công an xã, phường, thị trấn và lực lượng bảo vệ dân phố đạt danh hiệu “Đơn vị tiên "
            "tiến” trở lên; không có cán bộ, chiến sĩ bị xử lý kỷ luật từ hình thức cảnh cáo trở "
            "lên."
        ),
        "kind": "RATING",
        "parameters": {
            "rating": "unit_title_at_least",
            "value": "Đơn vị tiên tiến",
            "no_discipline_from": "cảnh cáo",
        },
        "evidence_expected": (
            "Quyết định tặng danh hiệu thi đua của Công an xã và lực lượng bảo vệ dân phố; xác "
            "nhận không có cán bộ, chiến sĩ bị kỷ luật từ hình thức cảnh cáo trở lên."
        ),
    },
    {
        "number": 4,
        "title": "Ít nhất 70% khu dân cư được công nhận",
        "text": (
            "Có từ 70% trở lên số khu dân cư trên địa bàn xã, phường, thị trấn được công nhận đạt "
            "tiêu chuẩn “An toàn về an ninh, trật tự”."
        ),
        "kind": "PCT-CHILD",
        "parameters": {
            "child_units": {
                "recognised_min_percent": 70,
                "pooling": "all",
                "types": ["residential_area"],
            }
        },
        "evidence_expected": (
            "Danh sách khu dân cư trên địa bàn xã và quyết định công nhận khu dân cư đạt tiêu "
            "chuẩn “An toàn về an ninh, trật tự” (cổng thông tin tự tính từ dữ liệu đã có)."
        ),
        "verification_note": (
            "Ví dụ hướng dẫn chính thức: 25 khu dân cư, 16 được công nhận (64%) là chưa đạt; "
            "cần ít nhất 18."
        ),
    },
]

# Art. 7 governs agencies and enterprises alike; the text speaks of both.
TT23_AGENCY = [
    {
        "number": 1,
        "title": "Kế hoạch, đăng ký phấn đấu, nội quy và 100% cán bộ, người lao động ký cam kết",
        "text": (
            "Hằng năm, cơ quan, doanh nghiệp có kế hoạch bảo đảm an ninh, trật tự và văn bản đăng "
            "ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự”; có nội quy, quy chế về "
            "công tác bảo vệ cơ quan, doanh nghiệp, bảo vệ bí mật nhà nước, bảo vệ chính trị nội "
            "bộ, phòng cháy, chữa cháy; 100% cán bộ, công nhân viên, người lao động ký cam kết "
            "thực hiện."
        ),
        "kind": "DOC",
        "parameters": {
            "documents": ["security_plan", "internal_rules", "registration"],
            "documents_due": DUE_Q1,
            "share": [STAFF_ALL],
        },
        "evidence_expected": (
            "Kế hoạch bảo đảm an ninh, trật tự; văn bản đăng ký phấn đấu; nội quy, quy chế bảo vệ "
            "cơ quan, bảo vệ bí mật nhà nước, bảo vệ chính trị nội bộ, phòng cháy, chữa cháy; danh "
            "sách cán bộ, người lao động ký cam kết."
        ),
    },
    {
        "number": 2,
        "title": "Thực hiện có hiệu quả chính sách, pháp luật; phối hợp và mô hình tự bảo vệ",
        "text": (
            "Thực hiện có hiệu quả chủ trương của Đảng, chính sách, pháp luật của Nhà nước về bảo "
            "đảm an ninh, trật tự; có kế hoạch phối hợp với chính quyền và cơ quan Công an nơi "
            "đóng trụ sở trong công tác bảo đảm an ninh, trật tự; xây dựng và duy trì mô hình tự "
            "phòng, tự quản, tự bảo vệ hoạt động có hiệu quả."
        ),
        "kind": "QUAL",
        "parameters": {"models_min": 1},
        "evidence_expected": (
            "Báo cáo kết quả thực hiện; kế hoạch (quy chế) phối hợp với chính quyền và Công an "
            "nơi đóng trụ sở; quyết định thành lập mô hình tự phòng, tự quản, tự bảo vệ."
        ),
    },
    {
        "number": 3,
        "title": "Không để xảy ra vụ việc mất an ninh, trật tự; không có người phạm tội",
        "text": (
            "Không để xảy ra khiếu kiện đông người, đình công trái pháp luật; không để xảy ra mất "
            "cắp tài sản có giá trị lớn; không để lộ, lọt bí mật công nghệ, bí mật nhà nước; "
            "không để xảy ra cháy, nổ, tai nạn lao động nghiêm trọng; không có cán bộ, công nhân "
            "viên, người lao động phạm tội hoặc mắc tệ nạn xã hội."
        ),
        "kind": "NO-EVENT",
        "parameters": {
            "items": [
                "Khiếu kiện đông người, đình công trái pháp luật",
                "Mất cắp tài sản có giá trị lớn",
                "Lộ, lọt bí mật công nghệ, bí mật nhà nước",
                "Cháy, nổ, tai nạn lao động nghiêm trọng",
                "Cán bộ, công nhân viên, người lao động phạm tội",
                "Cán bộ, công nhân viên, người lao động mắc tệ nạn xã hội",
            ]
        },
        "evidence_expected": (
            "Báo cáo tình hình an ninh, trật tự của cơ quan, doanh nghiệp trong kỳ đánh giá, có "
            "xác nhận của cơ quan Công an nơi đóng trụ sở."
        ),
    },
    {
        "number": 4,
        "title": "Xây dựng lực lượng bảo vệ cơ quan, doanh nghiệp",
        "text": (
            "Xây dựng, củng cố lực lượng bảo vệ cơ quan, doanh nghiệp đủ về số lượng, được huấn "
            "luyện nghiệp vụ, hoạt động có hiệu quả."
        ),
        "kind": "QUAL",
        "parameters": {},
        "evidence_expected": (
            "Quyết định thành lập hoặc kiện toàn lực lượng bảo vệ; báo cáo kết quả hoạt động của "
            "lực lượng bảo vệ."
        ),
        "text_to_verify": True,
        "verification_note": (
            "Nguồn hiện có bị cắt ở khoản 4 Điều 7 (chỉ còn “Xây dựng lực lượng bảo vệ cơ "
            "quan…”). " + RECONSTRUCTED
        ),
    },
]

TT23_SCHOOL = [
    {
        "number": 1,
        "title": (
            "Nghị quyết, kế hoạch, đăng ký, nội quy; 100% cán bộ, giáo viên, học sinh ký cam kết"
        ),
        "text": (
            "Hằng năm, tổ chức đảng (nơi có tổ chức đảng) có nghị quyết, nhà trường có kế hoạch "
            "bảo đảm an ninh, trật tự và văn bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an "
            "ninh, trật tự”; có nội quy, quy chế về bảo đảm an ninh, trật tự trong nhà trường; "
            "100% cán bộ, giáo viên, công nhân viên và học sinh, sinh viên từ cấp trung học cơ sở "
            "trở lên ký cam kết thực hiện."
        ),
        "kind": "DOC",
        "parameters": {
            "documents": ["security_plan", "internal_rules", "registration"],
            "optional_documents": ["party_resolution"],
            "documents_due": DUE_Q1,
            "share": [STAFF_ALL, STUDENTS_ALL],
        },
        "evidence_expected": (
            "Nghị quyết của tổ chức đảng (nếu có); kế hoạch bảo đảm an ninh, trật tự; văn bản đăng "
            "ký phấn đấu; nội quy, quy chế; danh sách cán bộ, giáo viên và học sinh, sinh viên ký "
            "cam kết."
        ),
    },
    {
        "number": 2,
        "title": "Thực hiện có hiệu quả; phối hợp giữa nhà trường, chính quyền và gia đình",
        "text": (
            "Thực hiện có hiệu quả chủ trương của Đảng, chính sách, pháp luật của Nhà nước về bảo "
            "đảm an ninh, trật tự trong nhà trường; có kế hoạch phối hợp giữa nhà trường với chính "
            "quyền địa phương, cơ quan Công an và gia đình học sinh, sinh viên trong công tác bảo "
            "đảm an ninh, trật tự."
        ),
        "kind": "QUAL",
        "parameters": {},
        "evidence_expected": (
            "Báo cáo kết quả thực hiện; kế hoạch (quy chế) phối hợp giữa nhà trường, chính quyền "
            "địa phương, Công an và gia đình học sinh, sinh viên."
        ),
    },
    {
        "number": 3,
        "title": "Không để xảy ra vụ việc phức tạp về an ninh, trật tự trong nhà trường",
        "text": (
            "Không để xảy ra vụ việc phức tạp về an ninh, trật tự trong nhà trường; không có cán "
            "bộ, giáo viên, công nhân viên, học sinh, sinh viên phạm tội hoặc mắc tệ nạn xã hội; "
            "không để xảy ra cháy, nổ, tai nạn nghiêm trọng."
        ),
        "kind": "NO-EVENT",
        "parameters": {
            "items": [
                "Vụ việc phức tạp về an ninh, trật tự trong nhà trường",
                "Cán bộ, giáo viên, công nhân viên phạm tội hoặc mắc tệ nạn xã hội",
                "Học sinh, sinh viên phạm tội hoặc mắc tệ nạn xã hội",
                "Cháy, nổ, tai nạn nghiêm trọng",
            ]
        },
        "evidence_expected": (
            "Báo cáo tình hình an ninh, trật tự của nhà trường trong kỳ đánh giá, có xác nhận của "
            "cơ quan Công an nơi nhà trường đóng trụ sở."
        ),
        "text_to_verify": True,
        "verification_note": (
            "Khoản 3 Điều 8 (và các khoản sau, nếu có) chưa có trong nguồn hiện có; tiêu chuẩn "
            "này được dựng lại theo khoản 3 Điều 7. " + RECONSTRUCTED
        ),
    },
]

# --- Circular 124/2021/TT-BCA --------------------------------------------------------------------

TT124_NATIONAL_SECURITY_ITEMS = [
    "Hoạt động chống Đảng, chống chính quyền, phá hoại khối đại đoàn kết toàn dân tộc",
    "Hoạt động phá hoại các công trình, mục tiêu trọng điểm về kinh tế, văn hóa, xã hội, an ninh, "
    "quốc phòng",
    "Tuyên truyền, phát triển đạo trái pháp luật",
    "Lợi dụng tín ngưỡng, tôn giáo, dân tộc, tranh chấp, khiếu nại, tố cáo để gây mất an ninh, "
    "trật tự",
    "Hoạt động ly khai, đòi tự trị",
    "Tranh chấp, mâu thuẫn phức tạp, kéo dài trong nội bộ nhân dân",
    "Kích động, cưỡng ép, mua chuộc, lôi kéo người khác gây mất an ninh, trật tự",
]
TT124_ACCIDENT_ITEMS = [
    "Cháy, nổ nghiêm trọng",
    "Tai nạn giao thông, tai nạn lao động nghiêm trọng",
]

TT124_RESIDENTIAL = [
    {
        "number": 1,
        "title": "Quý I: nghị quyết của chi bộ, đăng ký phấn đấu, 100% hộ gia đình đăng ký",
        "text": (
            "Trong quý I hằng năm, chi bộ có nghị quyết về công tác bảo đảm an ninh, trật tự; khu "
            "dân cư có văn bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự”; 100% "
            "hộ gia đình cư trú trên địa bàn khu dân cư đăng ký tham gia thực hiện."
        ),
        "kind": "DOC",
        "parameters": {
            "documents": ["party_resolution", "registration"],
            "documents_due": DUE_Q1,
            "share": [HOUSEHOLDS_ALL],
        },
        "evidence_expected": (
            "Nghị quyết của chi bộ; văn bản đăng ký phấn đấu của khu dân cư; danh sách hộ gia đình "
            "đăng ký tham gia (ban hành trong quý I)."
        ),
    },
    {
        "number": 2,
        "title": "Thực hiện đầy đủ chủ trương, chính sách, pháp luật về an ninh, trật tự",
        "text": (
            "Thực hiện đầy đủ chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước "
            "và các quy định của địa phương về bảo đảm an ninh, trật tự."
        ),
        "kind": "QUAL",
        "parameters": {},
        "evidence_expected": (
            "Báo cáo kết quả thực hiện công tác bảo đảm an ninh, trật tự của khu dân cư trong kỳ "
            "đánh giá."
        ),
    },
    {
        "number": 3,
        "title": "Không để xảy ra các hoạt động, vụ việc xâm phạm an ninh quốc gia",
        "text": (
            "Không để xảy ra các hoạt động chống Đảng, chống chính quyền, phá hoại khối đại đoàn "
            "kết toàn dân tộc; phá hoại các công trình, mục tiêu trọng điểm về kinh tế, văn hóa, "
            "xã hội, an ninh, quốc phòng; tuyên truyền, phát triển đạo trái pháp luật; lợi dụng "
            "tín ngưỡng, tôn giáo, dân tộc, tranh chấp, khiếu nại, tố cáo để gây mất an ninh, "
            "trật tự; hoạt động ly khai, đòi tự trị; tranh chấp, mâu thuẫn phức tạp, kéo dài trong "
            "nội bộ nhân dân; kích động, cưỡng ép, mua chuộc, lôi kéo người khác gây mất an ninh, "
            "trật tự."
        ),
        "kind": "NO-EVENT",
        "parameters": {"items": TT124_NATIONAL_SECURITY_ITEMS},
        "evidence_expected": (
            "Báo cáo tình hình an ninh, trật tự của khu dân cư trong kỳ đánh giá, có xác nhận của "
            "Công an xã; trả lời từng mục."
        ),
        "text_to_verify": True,
        "verification_note": (
            "Danh mục vụ việc trong nguồn hiện có bị lược bớt (“…”), có thể còn thiếu mục. "
            + RECONSTRUCTED
        ),
    },
    {
        "number": 4,
        "title": "Kiềm chế, giảm tội phạm, tệ nạn xã hội và vi phạm pháp luật so với năm trước",
        "text": (
            "Tội phạm, tệ nạn xã hội và các hành vi vi phạm pháp luật khác trên địa bàn khu dân "
            "cư được kiềm chế, không tăng so với năm trước."
        ),
        "kind": "YOY",
        "parameters": YOY_FIGURES,
        "evidence_expected": (
            "Số liệu tội phạm, tệ nạn xã hội, vi phạm pháp luật khác của năm đánh giá và năm "
            "trước, có xác nhận của Công an xã."
        ),
        "text_to_verify": True,
        "verification_note": (
            "Khoản 4 Điều 4 chưa có trong nguồn hiện có (nhiều khả năng về tội phạm, tệ nạn xã "
            "hội, so sánh với năm trước). " + RECONSTRUCTED
        ),
    },
    {
        "number": 5,
        "title": "Không để xảy ra cháy, nổ, tai nạn nghiêm trọng",
        "text": (
            "Không để xảy ra cháy, nổ, tai nạn giao thông, tai nạn lao động nghiêm trọng trên địa "
            "bàn khu dân cư."
        ),
        "kind": "NO-EVENT",
        "parameters": {"items": TT124_ACCIDENT_ITEMS},
        "evidence_expected": (
            "Báo cáo tình hình cháy, nổ, tai nạn trên địa bàn khu dân cư trong kỳ đánh giá."
        ),
        "text_to_verify": True,
        "verification_note": (
            "Khoản 5 Điều 4 chưa có trong nguồn hiện có (nhiều khả năng về cháy, nổ, tai nạn). "
            + RECONSTRUCTED
        ),
    },
]

TT124_COMMUNE = [
    {
        "number": 1,
        "title": "Quý I: nghị quyết, kế hoạch, đăng ký; ít nhất một mô hình hoạt động hiệu quả",
        "text": (
            "Trong quý I hằng năm, Đảng ủy xã, phường, thị trấn có nghị quyết, Ủy ban nhân dân xã, "
            "phường, thị trấn có kế hoạch về công tác bảo đảm an ninh, trật tự và văn bản đăng ký "
            "phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự”; xây dựng mới hoặc duy trì ít "
            "nhất 01 mô hình, điển hình tiên tiến về bảo đảm an ninh, trật tự ở cơ sở hoạt động "
            "hiệu quả."
        ),
        "kind": "DOC",
        "parameters": {
            "documents": ["party_resolution", "security_plan", "registration"],
            "documents_due": DUE_Q1,
            "models_min": 1,
        },
        "evidence_expected": (
            "Nghị quyết của Đảng ủy; kế hoạch bảo đảm an ninh, trật tự của Ủy ban nhân dân; văn "
            "bản đăng ký phấn đấu (ban hành trong quý I); quyết định thành lập và báo cáo hoạt "
            "động của mô hình."
        ),
    },
    {
        "number": 2,
        "title": "Địa bàn xã bảo đảm các tiêu chuẩn tại khoản 2, 3 và 4 Điều 4",
        "text": (
            "Trên địa bàn xã, phường, thị trấn bảo đảm các tiêu chuẩn quy định tại các khoản 2, 3 "
            "và 4 Điều 4 Thông tư này."
        ),
        "kind": "QUAL",
        "parameters": {"items": TT124_NATIONAL_SECURITY_ITEMS, **YOY_FIGURES},
        "evidence_expected": (
            "Báo cáo tình hình an ninh, trật tự trên địa bàn xã trong kỳ đánh giá, kèm số liệu "
            "tội phạm, tệ nạn xã hội, vi phạm pháp luật so với năm trước."
        ),
        "text_to_verify": True,
        "verification_note": (
            "Lời văn của tiêu chuẩn này có trong nguồn, nhưng danh mục vụ việc (khoản 3 Điều 4, bị "
            "lược bớt) và chỉ số so sánh (khoản 4 Điều 4, chưa có) được dựng lại; cần đối chiếu "
            "Công báo."
        ),
    },
    {
        "number": 3,
        "title": "Công an xã thực hiện hiệu quả nhiệm vụ, không có cán bộ bị kỷ luật",
        "text": (
            "Công an xã, phường, thị trấn thực hiện có hiệu quả chức năng, nhiệm vụ bảo đảm an "
            "ninh, trật tự; không có cán bộ, chiến sĩ bị xử lý kỷ luật."
        ),
        "kind": "QUAL",
        "parameters": {"rating": "no_discipline"},
        "evidence_expected": (
            "Báo cáo kết quả công tác của Công an xã; xác nhận không có cán bộ, chiến sĩ bị xử lý "
            "kỷ luật trong kỳ đánh giá."
        ),
    },
    {
        "number": 4,
        "title": "100% đơn vị trực thuộc đăng ký, ít nhất 70% được công nhận",
        "text": (
            "100% khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục thuộc phạm vi quản lý của xã, "
            "phường, thị trấn đăng ký phấn đấu và có từ 70% trở lên được công nhận đạt tiêu chuẩn "
            "“An toàn về an ninh, trật tự”."
        ),
        "kind": "PCT-CHILD",
        "parameters": {
            "child_units": {
                "registered_min_percent": 100,
                "recognised_min_percent": 70,
                "pooling": "all",
                "types": ["residential_area", "agency", "enterprise", "school"],
            }
        },
        "evidence_expected": (
            "Danh sách khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục thuộc phạm vi quản lý, "
            "văn bản đăng ký và quyết định công nhận của từng đơn vị (cổng thông tin tự tính từ dữ "
            "liệu đã có)."
        ),
        "verification_note": (
            "Tỷ lệ được tính gộp mọi loại đơn vị theo câu chữ của điều khoản; cách gộp là tham số "
            "“pooling”, có thể điều chỉnh."
        ),
    },
]

# Art. 6 governs agencies and enterprises alike; the text speaks of both.
TT124_AGENCY = [
    {
        "number": 1,
        "title": (
            "Quý I: nghị quyết, kế hoạch, đăng ký, nội quy; 100% cán bộ được quán triệt; mô hình"
        ),
        "text": (
            "Trong quý I hằng năm, tổ chức đảng (nơi có tổ chức đảng) có nghị quyết, cơ quan, "
            "doanh nghiệp có kế hoạch bảo đảm an ninh, trật tự và văn bản đăng ký phấn đấu đạt "
            "tiêu chuẩn “An toàn về an ninh, trật tự”; có nội quy, quy chế về công tác bảo vệ cơ "
            "quan, doanh nghiệp, bảo vệ bí mật nhà nước, bảo vệ chính trị nội bộ, an toàn lao "
            "động, phòng cháy, chữa cháy, bảo vệ môi trường; 100% cán bộ, công chức, viên chức, "
            "người lao động được quán triệt, phổ biến; xây dựng mới hoặc duy trì ít nhất 01 mô "
            "hình về bảo đảm an ninh, trật tự hoạt động hiệu quả."
        ),
        "kind": "DOC",
        "parameters": {
            "documents": ["security_plan", "internal_rules", "registration"],
            "optional_documents": ["party_resolution"],
            "documents_due": DUE_Q1,
            "share": [STAFF_ALL],
            "models_min": 1,
        },
        "evidence_expected": (
            "Nghị quyết của tổ chức đảng (nếu có); kế hoạch bảo đảm an ninh, trật tự; văn bản đăng "
            "ký phấn đấu; nội quy, quy chế (bảo vệ, bí mật nhà nước, chính trị nội bộ, an toàn lao "
            "động, phòng cháy, chữa cháy, môi trường); danh sách cán bộ, người lao động được quán "
            "triệt; quyết định thành lập mô hình."
        ),
    },
    {
        "number": 2,
        "title": "Thực hiện đầy đủ chính sách, pháp luật và chương trình phối hợp",
        "text": (
            "Thực hiện đầy đủ chủ trương của Đảng, chính sách, pháp luật của Nhà nước về bảo đảm "
            "an ninh, trật tự; thực hiện có hiệu quả quy chế, chương trình phối hợp với cơ quan "
            "Công an và chính quyền địa phương trong công tác bảo đảm an ninh, trật tự."
        ),
        "kind": "QUAL",
        "parameters": {},
        "evidence_expected": (
            "Báo cáo kết quả thực hiện; quy chế, chương trình phối hợp với cơ quan Công an và "
            "chính quyền địa phương."
        ),
    },
    {
        "number": 3,
        "title": "Không để xảy ra vụ việc mất an ninh, trật tự; không có người phạm tội",
        "text": (
            "Không để xảy ra khiếu kiện đông người, đình công, lãn công trái pháp luật; không để "
            "xảy ra mất cắp tài sản có giá trị lớn; không để lộ, lọt bí mật nhà nước, bí mật công "
            "nghệ; không để xảy ra cháy, nổ, tai nạn lao động nghiêm trọng; không có cán bộ, công "
            "chức, viên chức, người lao động phạm tội hoặc mắc tệ nạn xã hội."
        ),
        "kind": "NO-EVENT",
        "parameters": {
            "items": [
                "Khiếu kiện đông người, đình công, lãn công trái pháp luật",
                "Mất cắp tài sản có giá trị lớn",
                "Lộ, lọt bí mật nhà nước, bí mật công nghệ",
                "Cháy, nổ, tai nạn lao động nghiêm trọng",
                "Cán bộ, công chức, viên chức, người lao động phạm tội",
                "Cán bộ, công chức, viên chức, người lao động mắc tệ nạn xã hội",
            ]
        },
        "evidence_expected": (
            "Báo cáo tình hình an ninh, trật tự của cơ quan, doanh nghiệp trong kỳ đánh giá, có "
            "xác nhận của cơ quan Công an nơi đóng trụ sở; trả lời từng mục."
        ),
        "text_to_verify": True,
        "verification_note": (
            "Khoản 3 Điều 6 chưa có trong nguồn hiện có; nội dung dựng lại theo dự thảo, tương tự "
            "khoản 3 Điều 7 Thông tư 23/2012/TT-BCA. " + RECONSTRUCTED
        ),
    },
]

SCHOOL_124_NOTE = (
    "Lời văn chính thức của Điều 7 (cơ sở giáo dục) chưa có; sáu tiêu chí được dựng lại từ nội "
    "dung tóm tắt. " + RECONSTRUCTED
)

TT124_SCHOOL = [
    {
        "number": 1,
        "title": "Quý I: nghị quyết, kế hoạch, đăng ký, nội quy; 100% cán bộ, nhà giáo, người học",
        "text": (
            "Trong quý I hằng năm, tổ chức đảng (nơi có tổ chức đảng) có nghị quyết, cơ sở giáo "
            "dục có kế hoạch bảo đảm an ninh, trật tự và văn bản đăng ký phấn đấu đạt tiêu chuẩn "
            "“An toàn về an ninh, trật tự”; có nội quy, quy chế về bảo đảm an ninh, trật tự trong "
            "cơ sở giáo dục; 100% cán bộ, nhà giáo, người lao động và người học từ cấp trung học "
            "cơ sở trở lên ký cam kết thực hiện."
        ),
        "kind": "DOC",
        "parameters": {
            "documents": ["security_plan", "internal_rules", "registration"],
            "optional_documents": ["party_resolution"],
            "documents_due": DUE_Q1,
            "share": [STAFF_ALL, STUDENTS_ALL],
        },
        "evidence_expected": (
            "Nghị quyết của tổ chức đảng (nếu có); kế hoạch bảo đảm an ninh, trật tự; văn bản đăng "
            "ký phấn đấu; nội quy, quy chế; danh sách cán bộ, nhà giáo và người học ký cam kết."
        ),
    },
    {
        "number": 2,
        "title": "Mô hình phong trào toàn dân bảo vệ an ninh Tổ quốc hoạt động hiệu quả",
        "text": (
            "Xây dựng mới hoặc duy trì ít nhất 01 mô hình phong trào toàn dân bảo vệ an ninh Tổ "
            "quốc trong cơ sở giáo dục hoạt động hiệu quả."
        ),
        "kind": "QUAL",
        "parameters": {"models_min": 1},
        "evidence_expected": "Quyết định thành lập và báo cáo kết quả hoạt động của mô hình.",
    },
    {
        "number": 3,
        "title": "Phối hợp với Ban đại diện cha mẹ học sinh trong quản lý học sinh",
        "text": (
            "Có quy chế phối hợp giữa cơ sở giáo dục với Ban đại diện cha mẹ học sinh, chính "
            "quyền địa phương và cơ quan Công an trong quản lý, giáo dục học sinh, sinh viên; "
            "thực hiện có hiệu quả quy chế phối hợp."
        ),
        "kind": "QUAL",
        "parameters": {},
        "evidence_expected": (
            "Quy chế phối hợp với Ban đại diện cha mẹ học sinh, chính quyền địa phương và Công "
            "an; báo cáo kết quả phối hợp."
        ),
    },
    {
        "number": 4,
        "title": "Không để xảy ra vụ việc mất an ninh, trật tự trong cơ sở giáo dục",
        "text": (
            "Không để xảy ra vụ việc mất an ninh, trật tự trong cơ sở giáo dục; không có cán bộ, "
            "nhà giáo, người lao động, người học phạm tội hoặc mắc tệ nạn xã hội; không để xảy ra "
            "cháy, nổ, tai nạn nghiêm trọng."
        ),
        "kind": "NO-EVENT",
        "parameters": {
            "items": [
                "Vụ việc mất an ninh, trật tự trong cơ sở giáo dục",
                "Cán bộ, nhà giáo, người lao động phạm tội hoặc mắc tệ nạn xã hội",
                "Người học phạm tội hoặc mắc tệ nạn xã hội",
                "Cháy, nổ, tai nạn nghiêm trọng",
            ]
        },
        "evidence_expected": (
            "Báo cáo tình hình an ninh, trật tự của cơ sở giáo dục trong kỳ đánh giá, có xác nhận "
            "của cơ quan Công an nơi cơ sở giáo dục đóng trụ sở."
        ),
    },
    {
        "number": 5,
        "title": "Không có kích động, truyền đạo trái pháp luật; không có bạo lực học đường",
        "text": (
            "Không để xảy ra hoạt động kích động, lôi kéo cán bộ, nhà giáo, người học tham gia "
            "hoạt động gây mất an ninh, trật tự; không để xảy ra tuyên truyền, truyền đạo trái "
            "pháp luật trong cơ sở giáo dục; không để xảy ra bạo lực học đường."
        ),
        "kind": "NO-EVENT",
        "parameters": {
            "items": [
                "Kích động, lôi kéo cán bộ, nhà giáo, người học gây mất an ninh, trật tự",
                "Tuyên truyền, truyền đạo trái pháp luật trong cơ sở giáo dục",
                "Bạo lực học đường",
            ]
        },
        "evidence_expected": (
            "Báo cáo của cơ sở giáo dục về các vụ việc trong kỳ đánh giá; trả lời từng mục."
        ),
    },
    {
        "number": 6,
        "title": "Cán bộ, nhà giáo, người lao động hoàn thành nhiệm vụ",
        "text": (
            "Cán bộ, nhà giáo, người lao động của cơ sở giáo dục hoàn thành nhiệm vụ được giao "
            "trong công tác bảo đảm an ninh, trật tự."
        ),
        "kind": "QUAL",
        "parameters": {},
        "evidence_expected": (
            "Kết quả đánh giá, xếp loại cán bộ, nhà giáo, người lao động của năm đánh giá."
        ),
    },
]
for _criterion in TT124_SCHOOL:
    _criterion["text_to_verify"] = True
    _criterion["verification_note"] = SCHOOL_124_NOTE

CRITERIA_SETS = [
    {
        "code": "TT23-2012",
        "title": "Tiêu chuẩn “An toàn về an ninh, trật tự” theo Thông tư 23/2012/TT-BCA",
        "legal_basis": "Thông tư 23/2012/TT-BCA ngày 27/04/2012",
        "effective_from": datetime.date(2012, 6, 18),
        "effective_to": datetime.date(2022, 2, 9),
        "exclusion_rule": "none",
        "criteria": {
            "residential_area": TT23_RESIDENTIAL,
            "commune": TT23_COMMUNE,
            "agency": TT23_AGENCY,
            "enterprise": TT23_AGENCY,
            "school": TT23_SCHOOL,
        },
    },
    {
        "code": "TT124-2021",
        "title": "Tiêu chuẩn “An toàn về an ninh, trật tự” theo Thông tư 124/2021/TT-BCA",
        "legal_basis": "Thông tư 124/2021/TT-BCA ngày 28/12/2021",
        "effective_from": datetime.date(2022, 2, 10),
        "effective_to": None,
        "exclusion_rule": "circular_124",
        "criteria": {
            "residential_area": TT124_RESIDENTIAL,
            "commune": TT124_COMMUNE,
            "agency": TT124_AGENCY,
            "enterprise": TT124_AGENCY,
            "school": TT124_SCHOOL,
        },
    },
]


def load_criteria_sets(apps, schema_editor):
    CriteriaSet = apps.get_model("certification", "CriteriaSet")
    Criterion = apps.get_model("certification", "Criterion")
    published_at = timezone.now()
    for data in CRITERIA_SETS:
        criteria_set = CriteriaSet.objects.create(
            code=data["code"],
            version=1,
            title=data["title"],
            legal_basis=data["legal_basis"],
            effective_from=data["effective_from"],
            effective_to=data["effective_to"],
            exclusion_rule=data["exclusion_rule"],
            status="published",
            published_at=published_at,
        )
        Criterion.objects.bulk_create(
            Criterion(
                criteria_set=criteria_set,
                unit_type=unit_type,
                number=criterion["number"],
                title=criterion["title"],
                text=criterion["text"],
                kind=criterion["kind"],
                parameters=criterion["parameters"],
                evidence_expected=criterion["evidence_expected"],
                text_to_verify=criterion.get("text_to_verify", False),
                verification_note=criterion.get("verification_note", ""),
            )
            for unit_type, criteria in data["criteria"].items()
            for criterion in criteria
        )


def unload_criteria_sets(apps, schema_editor):
    CriteriaSet = apps.get_model("certification", "CriteriaSet")
    Criterion = apps.get_model("certification", "Criterion")
    loaded = CriteriaSet.objects.filter(
        code__in=[data["code"] for data in CRITERIA_SETS], version=1
    )
    Criterion.objects.filter(criteria_set__in=loaded).delete()
    loaded.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_criteria_sets, unload_criteria_sets),
    ]
