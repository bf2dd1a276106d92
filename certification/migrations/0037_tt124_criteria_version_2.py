"""Publishes version 2 of the Circular 124/2021 criteria set, word for word from the law.

Version 1 (migration 0002) was reconstructed from summaries before the official text was
available; checked against Articles 4–7 of Circular 124/2021/TT-BCA (docs/legal/TT124-2021.md, from
the Ministry of Justice's legal codex) it was wrong or incomplete for three unit types. Cycles
that already apply version 1 keep it (a cycle's set never changes under it); new cycles, and cycles
a province moves before registration opens (README, "Moving a cycle to a new criteria set
version"), apply this one.

Every `text` below is the clause of the law, and every "no event" item a point of it, unchanged. New
`parameters` keys, evaluated by certification.evaluation:

- "item_labels": the law's letter for each entry of "items" ("a", "b", … or "3.a" where a commune
  answers the points of Art. 4 cl. 3 and 4); "excusable": the labels of the points the law excuses
  (force majeure, or an event detected promptly, contained and reported at once); such a point may
  be answered "occurred but excused" with a note and evidence, which the reviewer sees.
- "models_min": at least this many effective models of the movement (the figure "models_effective").
- "force_rating": {"accepted": ratings that pass, "unrated_allowed": the law's "where eligible"},
  the rating of the unit's security or guard force (AssessmentAnswer.rating).
- "no_discipline": "any" (nobody disciplined) or "warning" (nobody disciplined at "cảnh cáo" or
  above), answered in AssessmentAnswer.disciplined.
- "departments": {"min_percent": 70, "units": what the unit's departments are called}: the figures
  "departments_rated" and "departments_total", rated ≥ ceil(70% × total).
"""

import datetime

from django.db import migrations
from django.utils import timezone

CODE = "TT124-2021"
VERSION = 2
DUE_Q1 = "03-31"
# The text is the law's; Circular 48/2025 amended authorities and procedure, and its wording was
# not available to check whether it touched these clauses: the note says so, the flag stays off.
SOURCE_NOTE = (
    "Nguyên văn {clause} Thông tư số 124/2021/TT-BCA (Bộ Pháp điển). Chưa có văn bản Thông tư số "
    "48/2025/TT-BCA để đối chiếu phần sửa đổi, bổ sung (nếu có)."
)

# Articles 4–7 of the Circular: clause "4.3", point "4.3.a".
LAW = {
    "4.1": (
        "Quý I hằng năm, chi bộ có nghị quyết, khu dân cư có đăng ký phấn đấu đạt tiêu chuẩn “An "
        "toàn về an ninh, trật tự”; 100% hộ gia đình đang cư trú trên địa bàn đăng ký tham gia "
        "xây dựng khu dân cư “An toàn về an ninh, trật tự”."
    ),
    "4.2": (
        "Triển khai, thực hiện đầy đủ các chủ trương, đường lối của Đảng, chính sách, pháp luật "
        "của Nhà nước, các quy định của địa phương về công tác bảo đảm an ninh, trật tự."
    ),
    "4.3": "Không để xảy ra một trong các trường hợp sau:",
    "4.3.a": "Hoạt động chống Đảng, chống chính quyền, phá hoại khối đại đoàn kết toàn dân tộc;",
    "4.3.b": (
        "Hoạt động phá hoại các mục tiêu, công trình trọng điểm về kinh tế, văn hóa, xã hội, an "
        "ninh - quốc phòng;"
    ),
    "4.3.c": "Tuyên truyền, phát triển tín ngưỡng, tôn giáo trái pháp luật;",
    "4.3.d": (
        "Hoạt động lợi dụng tín ngưỡng, tôn giáo, dân tộc, tranh chấp, khiếu kiện gây phức tạp về"
        " an ninh, trật tự;"
    ),
    "4.3.đ": "Hoạt động ly khai, đòi tự trị;",
    "4.3.e": "Mâu thuẫn, tranh chấp phức tạp, kéo dài trong nội bộ Nhân dân;",
    "4.3.g": (
        "Kích động, xúi giục, cưỡng ép, dụ dỗ, mua chuộc, lôi kéo người khác tập trung đông người"
        " khiếu nại, gây rối an ninh, trật tự công cộng hoặc lợi dụng việc khiếu nại để tuyên "
        "truyền chống Nhà nước; xâm phạm lợi ích của Nhà nước; xuyên tạc, vu khống, đe dọa, xúc "
        "phạm uy tín, danh dự của cơ quan, tổ chức, người có trách nhiệm được phân công giải "
        "quyết khiếu nại, tố cáo."
    ),
    "4.4": (
        "Tham gia, phối hợp thực hiện có hiệu quả công tác phòng ngừa tội phạm, tệ nạn xã hội và "
        "các vi phạm pháp luật khác ở khu dân cư, bao gồm:"
    ),
    "4.4.a": (
        "Kiềm chế, kéo giảm các loại tội phạm, tệ nạn xã hội, các hành vi vi phạm pháp luật khác "
        "so với năm trước;"
    ),
    "4.4.b": (
        "Không để xảy ra tội phạm nghiêm trọng trở lên (trừ trường hợp bất khả kháng) hoặc nếu có"
        " phải kịp thời phát hiện, sử dụng đồng bộ các biện pháp giảm thiểu hậu quả và báo cáo "
        "ngay cấp có thẩm quyền để xử lý;"
    ),
    "4.4.c": (
        "Không phát sinh tụ điểm phức tạp về trật tự xã hội; không phát sinh người mắc tệ nạn xã "
        "hội; thực hiện có hiệu quả công tác quản lý, giáo dục, giúp đỡ các loại đối tượng đang "
        "cư trú trên địa bàn theo quy định của pháp luật;"
    ),
    "4.4.d": (
        "Không để xảy ra cháy, nổ nghiêm trọng; tai nạn lao động chết người; sự cố nghiêm trọng "
        "theo quy định của pháp luật (trừ trường hợp bất khả kháng)."
    ),
    "4.5": (
        "Lực lượng tham gia bảo đảm an ninh, trật tự ở cơ sở được đánh giá hoàn thành nhiệm vụ "
        "trở lên và không có cá nhân vi phạm bị xử lý kỷ luật."
    ),
    "5.1": (
        "Quý I hằng năm, Đảng ủy có nghị quyết; Ủy ban nhân dân xã, phường, thị trấn có kế hoạch "
        "về bảo đảm an ninh, trật tự và đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật"
        " tự”; xây dựng, củng cố hoặc duy trì ít nhất 01 mô hình phong trào toàn dân bảo vệ an "
        "ninh Tổ quốc ở cơ sở hoạt động hiệu quả."
    ),
    "5.2": "Đạt các tiêu chí quy định tại khoản 2, khoản 3, khoản 4 Điều 4 Thông tư này.",
    "5.3": (
        "Công an xã, phường, thị trấn chủ động nắm chắc tình hình, kịp thời tham mưu, đề xuất cấp"
        " ủy đảng, chính quyền các chủ trương, biện pháp và tổ chức thực hiện có hiệu quả công "
        "tác bảo đảm an ninh, trật tự và xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc trên"
        " địa bàn; không có cá nhân vi phạm bị xử lý kỷ luật."
    ),
    "5.4": (
        "100% khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục thuộc thẩm quyền hoặc được ủy "
        "quyền quản lý trên địa bàn đăng ký, trong đó có từ 70% trở lên được công nhận đạt tiêu "
        "chuẩn “An toàn về an ninh, trật tự”."
    ),
    "6.1": (
        "Quý I hằng năm, tổ chức Đảng có nghị quyết chuyên đề riêng hoặc lồng ghép công tác bảo "
        "đảm an ninh, trật tự trong nghị quyết lãnh đạo, chỉ đạo hằng năm (đối với nơi có tổ chức"
        " Đảng); cơ quan, doanh nghiệp có kế hoạch về bảo đảm an ninh, trật tự và đăng ký phấn "
        "đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự”; có nội quy, quy định bảo vệ cơ quan, "
        "doanh nghiệp, bảo vệ bí mật Nhà nước, bảo vệ chính trị nội bộ, an toàn lao động, phòng, "
        "chống cháy nổ, bảo vệ môi trường phù hợp với tình hình thực tiễn và quy định của pháp "
        "luật; 100% cán bộ, công chức, viên chức, người lao động được phổ biến quán triệt các nội"
        " quy, quy định nêu trên và tiêu chí xây dựng cơ quan, doanh nghiệp đạt tiêu chuẩn “An "
        "toàn về an ninh, trật tự”; có ít nhất 01 mô hình phong trào toàn dân bảo vệ an ninh Tổ "
        "quốc hoạt động hiệu quả."
    ),
    "6.2": (
        "Triển khai, thực hiện đầy đủ các chủ trương, đường lối của Đảng, chính sách, pháp luật "
        "của Nhà nước, quy chế, chương trình, kế hoạch phối hợp với lực lượng Công an (nếu có) và"
        " các quy định của địa phương về công tác bảo đảm an ninh, trật tự."
    ),
    "6.3": "Không để xảy ra một trong các trường hợp sau:",
    "6.3.a": "Tuyên truyền, phát triển tín ngưỡng, tôn giáo trái pháp luật;",
    "6.3.b": (
        "Hoạt động lợi dụng tín ngưỡng, tôn giáo, dân tộc, tranh chấp, khiếu kiện gây phức tạp về"
        " an ninh, trật tự;"
    ),
    "6.3.c": (
        "Kích động, xúi giục, cưỡng ép, dụ dỗ, mua chuộc, lôi kéo người khác tập trung đông người"
        " khiếu nại, gây rối an ninh, trật tự công cộng hoặc lợi dụng việc khiếu nại để tuyên "
        "truyền chống Nhà nước; xâm phạm lợi ích của Nhà nước; xuyên tạc, vu khống, đe dọa, xúc "
        "phạm uy tín, danh dự của cơ quan, tổ chức, người có trách nhiệm được phân công giải "
        "quyết khiếu nại, tố cáo;"
    ),
    "6.3.d": "Đình công, lãn công trái pháp luật;",
    "6.3.đ": (
        "Tội phạm nghiêm trọng trở lên (trừ trường hợp bất khả kháng) hoặc nếu có, kịp thời phát "
        "hiện, sử dụng đồng bộ các biện pháp giảm thiểu hậu quả và báo cáo ngay cấp có thẩm quyền"
        " để xử lý;"
    ),
    "6.3.e": "Vi phạm các quy định về bảo vệ bí mật Nhà nước;",
    "6.3.g": (
        "Cháy, nổ nghiêm trọng; tai nạn lao động chết người; sự cố nghiêm trọng; vi phạm môi "
        "trường, an toàn vệ sinh thực phẩm gây hậu quả nghiêm trọng trở lên theo quy định của "
        "pháp luật (trừ trường hợp bất khả kháng);"
    ),
    "6.3.h": (
        "Cán bộ, công chức, viên chức, người lao động bị xử phạt vi phạm hành chính trong lĩnh "
        "vực an ninh, trật tự hoặc mắc tệ nạn xã hội bị xử lý kỷ luật từ hình thức cảnh cáo trở "
        "lên."
    ),
    "6.4": (
        "Lực lượng bảo vệ cơ quan, doanh nghiệp đạt danh hiệu “Tập thể lao động tiên tiến” hoặc "
        "được đánh giá “Hoàn thành tốt nhiệm vụ” trở lên (đối với những nơi đủ điều kiện bình xét"
        " danh hiệu thi đua), không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên."
    ),
    "6.5": (
        "70% trở lên số đầu mối trực thuộc (phòng, ban, tổ, đội) đạt danh hiệu “Tập thể lao động "
        "tiên tiến” hoặc được đánh giá “Hoàn thành tốt nhiệm vụ” trở lên (đối với những nơi đủ "
        "điều kiện bình xét danh hiệu thi đua), không có cá nhân bị kỷ luật từ hình thức cảnh cáo"
        " trở lên."
    ),
    "7.1": (
        "Quý I hằng năm, tổ chức Đảng có nghị quyết chuyên đề riêng hoặc lồng ghép công tác bảo "
        "đảm an ninh, trật tự trong nghị quyết lãnh đạo, chỉ đạo hằng năm (đối với nơi có tổ chức"
        " Đảng), cơ sở giáo dục có kế hoạch về bảo đảm an ninh, trật tự và đăng ký phấn đấu đạt "
        "tiêu chuẩn “An toàn về an ninh, trật tự”; có nội quy, quy định bảo vệ cơ sở giáo dục, "
        "bảo vệ chính trị nội bộ, quản lý giáo dục người học, phòng, chống cháy nổ phù hợp với "
        "tình hình thực tiễn; 100% cán bộ, công nhân viên, người lao động, người dạy, người học "
        "được phổ biến quán triệt các nội quy, quy định nêu trên và tiêu chí xây dựng cơ sở giáo "
        "dục đạt tiêu chuẩn “An toàn về an ninh, trật tự”; có ít nhất 01 mô hình phong trào toàn "
        "dân bảo vệ an ninh Tổ quốc hoạt động hiệu quả."
    ),
    "7.2": (
        "Triển khai, thực hiện đầy đủ các chủ trương, đường lối của Đảng, chính sách, pháp luật "
        "của Nhà nước, quy chế, chương trình, kế hoạch phối hợp với lực lượng Công an (nếu có), "
        "các quy định của địa phương về công tác bảo đảm an ninh, trật tự; có hình thức, biện "
        "pháp phối hợp quản lý học sinh giữa cơ sở giáo dục và Ban Đại diện cha mẹ học sinh (đối "
        "với cấp học phổ thông) trong công tác bảo đảm an ninh, trật tự."
    ),
    "7.3": (
        "Không để xảy ra một trong các trường hợp quy định tại điểm a, b, c, đ, e và g khoản 3 "
        "Điều 6 Thông tư này."
    ),
    "7.4": (
        "Không để xảy ra bạo lực học đường, cán bộ, công nhân viên, người lao động, người dạy, "
        "người học phạm tội hoặc mắc tệ nạn xã hội bị xử lý kỷ luật từ hình thức cảnh cáo trở "
        "lên."
    ),
    "7.5": (
        "Lực lượng bảo vệ cơ sở giáo dục (nếu có) đạt danh hiệu “Tập thể lao động tiên tiến” hoặc"
        " được đánh giá “Hoàn thành tốt nhiệm vụ” trở lên (đối với những nơi đủ điều kiện bình "
        "xét danh hiệu thi đua), không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên."
    ),
    "7.6": (
        "70% trở lên số đầu mối trực thuộc (khoa, phòng, ban, tổ chuyên môn) đạt danh hiệu “Tập "
        "thể lao động tiên tiến” hoặc được đánh giá “Hoàn thành tốt nhiệm vụ” trở lên (đối với "
        "những nơi đủ điều kiện bình xét danh hiệu thi đua), không có cá nhân bị kỷ luật từ hình "
        "thức cảnh cáo trở lên."
    ),
}

RATED_COMPLETED = ["advanced_title", "excellent", "good", "completed"]
RATED_GOOD = ["advanced_title", "excellent", "good"]
YOY_FIGURES = ["crimes", "social_evils", "violations"]
HOUSEHOLDS_ALL = {
    "part": "households_registered",
    "whole": "households_resident",
    "min_percent": 100,
}
STAFF_ALL = {"part": "staff_pledged", "whole": "staff_total", "min_percent": 100}
STUDENTS_ALL = {"part": "students_pledged", "whole": "students_total", "min_percent": 100}


def _point(key: str) -> str:
    """A point of the law as an item: its words without the closing ";" or "."."""
    return LAW[key].rstrip(";.")


def _clause(key: str, points: str = "") -> str:
    """A clause with its points, one a line, as the law writes them."""
    lines = [LAW[key]] + [f"{letter}) {LAW[f'{key}.{letter}']}" for letter in points]
    return "\n".join(lines)


def _criterion(
    article: int,
    number: int,
    title: str,
    kind: str,
    parameters: dict,
    evidence: str,
    points: str = "",
) -> dict:
    key = f"{article}.{number}"
    return {
        "number": number,
        "title": title,
        "text": _clause(key, points),
        "kind": kind,
        "parameters": parameters,
        "evidence_expected": evidence,
        "text_to_verify": False,
        "verification_note": SOURCE_NOTE.format(clause=f"khoản {number} Điều {article}"),
    }


ART_4_3 = "abcdđeg"
ART_4_4 = "bcd"
RESIDENTIAL = [
    _criterion(
        4,
        1,
        "Quý I: nghị quyết của chi bộ, đăng ký phấn đấu; 100% hộ gia đình đăng ký tham gia",
        "DOC",
        {
            "documents": ["party_resolution", "registration"],
            "documents_due": DUE_Q1,
            "share": [HOUSEHOLDS_ALL],
        },
        "Nghị quyết của chi bộ; Bản đăng ký phấn đấu của khu dân cư; danh sách hộ gia đình đăng ký "
        "tham gia (ban hành trong quý I).",
    ),
    _criterion(
        4,
        2,
        "Triển khai, thực hiện đầy đủ chủ trương, chính sách, pháp luật về an ninh, trật tự",
        "QUAL",
        {},
        "Báo cáo kết quả xây dựng khu dân cư đạt tiêu chuẩn “An toàn về an ninh, trật tự”.",
    ),
    _criterion(
        4,
        3,
        "Không để xảy ra các trường hợp tại điểm a–g khoản 3 Điều 4",
        "NO-EVENT",
        {"items": [_point(f"4.3.{p}") for p in ART_4_3], "item_labels": list(ART_4_3)},
        "Báo cáo tình hình an ninh, trật tự của khu dân cư trong kỳ đánh giá, có xác nhận của Công "
        "an cấp xã; trả lời từng điểm.",
        ART_4_3,
    ),
    _criterion(
        4,
        4,
        "Phòng ngừa tội phạm, tệ nạn xã hội và vi phạm pháp luật (điểm a–d khoản 4 Điều 4)",
        "YOY",
        {
            "figures": YOY_FIGURES,
            "rule": "not_higher",
            "items": [_point(f"4.4.{p}") for p in ART_4_4],
            "item_labels": list(ART_4_4),
            "excusable": ["b", "d"],
        },
        "Số liệu tội phạm, tệ nạn xã hội, vi phạm pháp luật khác của năm đánh giá và năm trước, có "
        "xác nhận của Công an cấp xã; với vụ việc thuộc trường hợp loại trừ: tài liệu chứng minh.",
        "abcd",
    ),
    _criterion(
        4,
        5,
        "Lực lượng ở cơ sở hoàn thành nhiệm vụ trở lên, không có cá nhân bị kỷ luật",
        "RATING",
        {"force_rating": {"accepted": RATED_COMPLETED}, "no_discipline": "any"},
        "Kết quả đánh giá, phân loại lực lượng tham gia bảo đảm an ninh, trật tự ở cơ sở.",
    ),
]

COMMUNE_INHERITED = [f"3.{p}" for p in ART_4_3] + [f"4.{p}" for p in ART_4_4]
COMMUNE = [
    _criterion(
        5,
        1,
        "Quý I: nghị quyết, kế hoạch, đăng ký phấn đấu; ít nhất 01 mô hình hoạt động hiệu quả",
        "DOC",
        {
            "documents": ["party_resolution", "security_plan", "registration"],
            "documents_due": DUE_Q1,
            "models_min": 1,
        },
        "Nghị quyết của Đảng ủy; kế hoạch bảo đảm an ninh, trật tự của Ủy ban nhân dân; Bản đăng "
        "ký phấn đấu (ban hành trong quý I); quyết định thành lập và báo cáo hoạt động của mô "
        "hình.",
    ),
    _criterion(
        5,
        2,
        "Đạt các tiêu chí tại khoản 2, 3, 4 Điều 4 trên địa bàn",
        "NO-EVENT",
        {
            "items": [_point(f"4.{label}") for label in COMMUNE_INHERITED],
            "item_labels": COMMUNE_INHERITED,
            "excusable": ["4.b", "4.d"],
            "figures": YOY_FIGURES,
            "rule": "not_higher",
        },
        "Báo cáo tình hình an ninh, trật tự trên địa bàn cấp xã trong kỳ đánh giá, kèm số liệu tội "
        "phạm, tệ nạn xã hội, vi phạm pháp luật so với năm trước.",
    ),
    _criterion(
        5,
        3,
        "Công an cấp xã tham mưu, thực hiện hiệu quả; không có cá nhân bị kỷ luật",
        "QUAL",
        {"no_discipline": "any"},
        "Báo cáo kết quả công tác của Công an cấp xã; xác nhận không có cá nhân vi phạm bị xử lý "
        "kỷ luật trong kỳ đánh giá.",
    ),
    _criterion(
        5,
        4,
        "100% đơn vị thuộc thẩm quyền quản lý trên địa bàn đăng ký, từ 70% được công nhận",
        "PCT-CHILD",
        {
            "child_units": {
                "registered_min_percent": 100,
                "recognised_min_percent": 70,
                "pooling": "all",
                "types": ["residential_area", "agency", "enterprise", "school"],
            }
        },
        "Danh sách khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục thuộc thẩm quyền quản lý trên "
        "địa bàn, Bản đăng ký phấn đấu và quyết định công nhận của từng đơn vị (cổng thông tin tự "
        "tính từ dữ liệu đã có).",
    ),
]

ART_6_3 = "abcdđegh"
AGENCY = [
    _criterion(
        6,
        1,
        "Quý I: nghị quyết, kế hoạch, đăng ký, nội quy; 100% được phổ biến quán triệt; mô hình",
        "DOC",
        {
            "documents": ["security_plan", "internal_rules", "registration"],
            "optional_documents": ["party_resolution"],
            "documents_due": DUE_Q1,
            "share": [STAFF_ALL],
            "models_min": 1,
        },
        "Nghị quyết của tổ chức Đảng (nơi có tổ chức Đảng); kế hoạch bảo đảm an ninh, trật tự; Bản "
        "đăng ký phấn đấu; nội quy, quy định; danh sách cán bộ, người lao động được phổ biến quán "
        "triệt; quyết định thành lập mô hình.",
    ),
    _criterion(
        6,
        2,
        "Triển khai, thực hiện đầy đủ chính sách, pháp luật và kế hoạch phối hợp với Công an",
        "QUAL",
        {},
        "Báo cáo kết quả thực hiện; quy chế, chương trình, kế hoạch phối hợp với lực lượng Công "
        "an.",
    ),
    _criterion(
        6,
        3,
        "Không để xảy ra các trường hợp tại điểm a–h khoản 3 Điều 6",
        "NO-EVENT",
        {
            "items": [_point(f"6.3.{p}") for p in ART_6_3],
            "item_labels": list(ART_6_3),
            "excusable": ["đ", "g"],
        },
        "Báo cáo tình hình an ninh, trật tự của cơ quan, doanh nghiệp trong kỳ đánh giá; trả lời "
        "từng điểm; với vụ việc thuộc trường hợp loại trừ: tài liệu chứng minh.",
        ART_6_3,
    ),
    _criterion(
        6,
        4,
        "Lực lượng bảo vệ đạt “Tập thể lao động tiên tiến” hoặc “Hoàn thành tốt nhiệm vụ”",
        "RATING",
        {
            "force_rating": {"accepted": RATED_GOOD, "unrated_allowed": True},
            "no_discipline": "warning",
        },
        "Quyết định công nhận danh hiệu hoặc kết quả đánh giá lực lượng bảo vệ.",
    ),
    _criterion(
        6,
        5,
        "70% trở lên số đầu mối trực thuộc (phòng, ban, tổ, đội) đạt danh hiệu",
        "PCT-OWN",
        {
            "departments": {"min_percent": 70, "units": "phòng, ban, tổ, đội"},
            "no_discipline": "warning",
        },
        "Quyết định công nhận danh hiệu, kết quả đánh giá của các đầu mối trực thuộc.",
    ),
]

ART_7_3 = "abcđeg"
SCHOOL = [
    _criterion(
        7,
        1,
        "Quý I: nghị quyết, kế hoạch, đăng ký, nội quy; 100% kể cả người học được quán triệt",
        "DOC",
        {
            "documents": ["security_plan", "internal_rules", "registration"],
            "optional_documents": ["party_resolution"],
            "documents_due": DUE_Q1,
            "share": [STAFF_ALL, STUDENTS_ALL],
            "models_min": 1,
        },
        "Nghị quyết của tổ chức Đảng (nơi có tổ chức Đảng); kế hoạch bảo đảm an ninh, trật tự; Bản "
        "đăng ký phấn đấu; nội quy, quy định; danh sách cán bộ, người dạy, người học được phổ biến "
        "quán triệt; quyết định thành lập mô hình.",
    ),
    _criterion(
        7,
        2,
        "Thực hiện đầy đủ; phối hợp với Công an và Ban Đại diện cha mẹ học sinh",
        "QUAL",
        {},
        "Báo cáo kết quả thực hiện; kế hoạch phối hợp với lực lượng Công an; hình thức phối hợp "
        "với Ban Đại diện cha mẹ học sinh (cấp học phổ thông).",
    ),
    _criterion(
        7,
        3,
        "Không để xảy ra các trường hợp tại điểm a, b, c, đ, e, g khoản 3 Điều 6",
        "NO-EVENT",
        {
            "items": [_point(f"6.3.{p}") for p in ART_7_3],
            "item_labels": list(ART_7_3),
            "excusable": ["đ", "g"],
        },
        "Báo cáo tình hình an ninh, trật tự của cơ sở giáo dục trong kỳ đánh giá; trả lời từng "
        "điểm; với vụ việc thuộc trường hợp loại trừ: tài liệu chứng minh.",
    ),
    _criterion(
        7,
        4,
        "Không có bạo lực học đường; không có ai phạm tội, mắc tệ nạn bị kỷ luật",
        "NO-EVENT",
        {
            "items": [
                "Bạo lực học đường",
                "Cán bộ, công nhân viên, người lao động, người dạy, người học phạm tội hoặc mắc tệ "
                "nạn xã hội bị xử lý kỷ luật từ hình thức cảnh cáo trở lên",
            ],
            "item_labels": ["1", "2"],
        },
        "Báo cáo của cơ sở giáo dục về các vụ việc trong kỳ đánh giá.",
    ),
    _criterion(
        7,
        5,
        "Lực lượng bảo vệ (nếu có) đạt “Tập thể lao động tiên tiến” hoặc “Hoàn thành tốt nhiệm vụ”",
        "RATING",
        {
            "force_rating": {"accepted": RATED_GOOD, "unrated_allowed": True},
            "no_discipline": "warning",
        },
        "Quyết định công nhận danh hiệu hoặc kết quả đánh giá lực lượng bảo vệ (nếu có).",
    ),
    _criterion(
        7,
        6,
        "70% trở lên số đầu mối trực thuộc (khoa, phòng, ban, tổ chuyên môn) đạt danh hiệu",
        "PCT-OWN",
        {
            "departments": {"min_percent": 70, "units": "khoa, phòng, ban, tổ chuyên môn"},
            "no_discipline": "warning",
        },
        "Quyết định công nhận danh hiệu, kết quả đánh giá của các đầu mối trực thuộc.",
    ),
]

CRITERIA = {
    "residential_area": RESIDENTIAL,
    "commune": COMMUNE,
    "agency": AGENCY,
    "enterprise": AGENCY,
    "school": SCHOOL,
}


def publish_version_2(apps, schema_editor):
    CriteriaSet = apps.get_model("certification", "CriteriaSet")
    Criterion = apps.get_model("certification", "Criterion")
    previous = (
        CriteriaSet.objects.filter(code=CODE, province__isnull=True).order_by("version").first()
    )
    criteria_set = CriteriaSet.objects.create(
        code=CODE,
        version=VERSION,
        title="Tiêu chí “An toàn về an ninh, trật tự” theo Thông tư số 124/2021/TT-BCA",
        legal_basis=(
            "Thông tư số 124/2021/TT-BCA ngày 28/12/2021 của Bộ trưởng Bộ Công an quy định khu "
            "dân cư, xã, phường, thị trấn, cơ quan, doanh nghiệp, cơ sở giáo dục đạt tiêu chuẩn "
            "“An toàn về an ninh, trật tự”, được sửa đổi, bổ sung bởi Thông tư số 48/2025/TT-BCA"
        ),
        effective_from=datetime.date(2022, 2, 10),
        exclusion_rule="circular_124",
        status="published",
        previous_version=previous,
        published_at=timezone.now(),
    )
    Criterion.objects.bulk_create(
        Criterion(criteria_set=criteria_set, unit_type=unit_type, **criterion)
        for unit_type, criteria in CRITERIA.items()
        for criterion in criteria
    )


def withdraw_version_2(apps, schema_editor):
    CriteriaSet = apps.get_model("certification", "CriteriaSet")
    Criterion = apps.get_model("certification", "Criterion")
    loaded = CriteriaSet.objects.filter(code=CODE, version=VERSION)
    Criterion.objects.filter(criteria_set__in=loaded).delete()
    loaded.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0036_registration_cycle_order_index"),
    ]

    operations = [
        migrations.RunPython(publish_version_2, withdraw_version_2),
    ]
