"""The default reminder rules (issue "Deadline reminders"): before each deadline 14, 7, 3 and 1 days,
after it 1 and 7 days, escalated one level up when overdue. Vietnamese wording, editable in the
admin. Placeholders: {{ unit }}, {{ deadline }}, {{ days_left }}, {{ days_overdue }}, {{ link }},
{{ recipient }}, {{ year }}, {{ step }}.
"""

from django.db import migrations

GREETING = "Kính gửi {{ recipient }},"


def wording(subject_before, subject_after, text_before, text_after):
    subject = f"{{% if days_left >= 0 %}}{subject_before}{{% else %}}{subject_after}{{% endif %}}"
    body = f"{{% if days_left >= 0 %}}{text_before}{{% else %}}{text_after}{{% endif %}}"
    text = f"{GREETING}\n\n{body}\n\nXem và thực hiện tại: {{{{ link }}}}\n"
    html = (
        f"<p>{GREETING}</p>\n<p>{body}</p>\n"
        '<p><a href="{{ link }}">Xem và thực hiện trên cổng thông tin</a></p>\n'
    )
    return {"subject_template": subject, "text_template": text, "html_template": html}


LEFT = "còn {{ days_left }} ngày"
LATE = "đã quá hạn {{ days_overdue }} ngày"

RULES = [
    {
        "name": "Đăng ký phấn đấu — nhắc đơn vị",
        "step": "registration",
        "audience": "unit_representative",
        **wording(
            "[ANTT] Còn {{ days_left }} ngày đến hạn đăng ký phấn đấu của {{ unit }}",
            "[ANTT] {{ unit }} đã quá hạn đăng ký phấn đấu {{ days_overdue }} ngày",
            "{{ unit }} chưa nộp bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” "
            f"năm {{{{ year }}}}. Hạn cuối là ngày {{{{ deadline }}}} ({LEFT}).",
            "{{ unit }} chưa nộp bản đăng ký phấn đấu năm {{ year }}; hạn cuối là ngày "
            f"{{{{ deadline }}}}, {LATE}. Đề nghị nộp ngay hoặc liên hệ công an xã để được gia hạn.",
        ),
    },
    {
        "name": "Đăng ký phấn đấu — báo cấp trên khi quá hạn",
        "step": "registration",
        "audience": "supervisor",
        "days_before": "",
        **wording(
            "[ANTT] {{ unit }} sắp hết hạn đăng ký phấn đấu",
            "[ANTT] Đôn đốc: {{ unit }} quá hạn đăng ký phấn đấu {{ days_overdue }} ngày",
            f"{{{{ unit }}}} chưa nộp bản đăng ký phấn đấu; hạn cuối ngày {{{{ deadline }}}} ({LEFT}).",
            "{{ unit }} thuộc địa bàn phụ trách chưa nộp bản đăng ký phấn đấu năm {{ year }}; "
            f"hạn cuối là ngày {{{{ deadline }}}}, {LATE}. Đề nghị đôn đốc đơn vị.",
        ),
    },
    {
        "name": "Hồ sơ đề nghị công nhận — nhắc đơn vị",
        "step": "dossier",
        "audience": "unit_representative",
        **wording(
            "[ANTT] Còn {{ days_left }} ngày đến hạn nộp hồ sơ đề nghị của {{ unit }}",
            "[ANTT] {{ unit }} đã quá hạn nộp hồ sơ đề nghị {{ days_overdue }} ngày",
            "{{ unit }} chưa nộp hồ sơ đề nghị công nhận đạt tiêu chuẩn “An toàn về an ninh, "
            f"trật tự” năm {{{{ year }}}}. Hạn cuối là ngày {{{{ deadline }}}} ({LEFT}).",
            "{{ unit }} chưa nộp hồ sơ đề nghị công nhận năm {{ year }}; hạn cuối là ngày "
            f"{{{{ deadline }}}}, {LATE}.",
        ),
    },
    {
        "name": "Hồ sơ đề nghị công nhận — báo cấp trên khi quá hạn",
        "step": "dossier",
        "audience": "supervisor",
        "days_before": "",
        **wording(
            "[ANTT] {{ unit }} sắp hết hạn nộp hồ sơ đề nghị",
            "[ANTT] Đôn đốc: {{ unit }} quá hạn nộp hồ sơ đề nghị {{ days_overdue }} ngày",
            f"{{{{ unit }}}} chưa nộp hồ sơ đề nghị; hạn cuối ngày {{{{ deadline }}}} ({LEFT}).",
            "{{ unit }} thuộc địa bàn phụ trách chưa nộp hồ sơ đề nghị công nhận năm {{ year }}; "
            f"hạn cuối là ngày {{{{ deadline }}}}, {LATE}. Đề nghị đôn đốc đơn vị.",
        ),
    },
    {
        "name": "Thẩm định hồ sơ — nhắc cán bộ thẩm định",
        "step": "review",
        "audience": "reviewer",
        **wording(
            "[ANTT] Còn {{ days_left }} ngày đến hạn thẩm định hồ sơ của {{ unit }}",
            "[ANTT] Hồ sơ của {{ unit }} đã quá hạn thẩm định {{ days_overdue }} ngày",
            "Hồ sơ đề nghị công nhận năm {{ year }} của {{ unit }} đang chờ đồng chí thẩm định. "
            f"Hạn thẩm định là ngày {{{{ deadline }}}} ({LEFT}).",
            "Hồ sơ đề nghị công nhận năm {{ year }} của {{ unit }} đang chờ đồng chí thẩm định; "
            f"hạn là ngày {{{{ deadline }}}}, {LATE}.",
        ),
    },
    {
        "name": "Thẩm định hồ sơ — báo công an tỉnh khi quá hạn",
        "step": "review",
        "audience": "supervisor",
        "days_before": "",
        **wording(
            "[ANTT] Hồ sơ của {{ unit }} sắp hết hạn thẩm định",
            "[ANTT] Đôn đốc: hồ sơ của {{ unit }} quá hạn thẩm định {{ days_overdue }} ngày",
            f"Hồ sơ của {{{{ unit }}}} chưa được thẩm định; hạn ngày {{{{ deadline }}}} ({LEFT}).",
            "Hồ sơ đề nghị công nhận năm {{ year }} của {{ unit }} chưa được công an xã thẩm định; "
            f"hạn là ngày {{{{ deadline }}}}, {LATE}. Đề nghị đôn đốc.",
        ),
    },
    {
        "name": "Quyết định công nhận — nhắc UBND",
        "step": "decision",
        "audience": "decision_maker",
        **wording(
            "[ANTT] Còn {{ days_left }} ngày đến hạn quyết định công nhận {{ unit }}",
            "[ANTT] Quyết định công nhận {{ unit }} đã quá hạn {{ days_overdue }} ngày",
            "Hồ sơ của {{ unit }} đã được đề nghị công nhận đạt tiêu chuẩn “An toàn về an ninh, "
            f"trật tự” năm {{{{ year }}}}. Hạn ra quyết định là ngày {{{{ deadline }}}} ({LEFT}).",
            "Hồ sơ của {{ unit }} đã được đề nghị công nhận năm {{ year }}; hạn ra quyết định là "
            f"ngày {{{{ deadline }}}}, {LATE}.",
        ),
    },
    {
        "name": "Quyết định công nhận — báo UBND tỉnh khi quá hạn",
        "step": "decision",
        "audience": "supervisor",
        "days_before": "",
        **wording(
            "[ANTT] Quyết định công nhận {{ unit }} sắp hết hạn",
            "[ANTT] Đôn đốc: quyết định công nhận {{ unit }} quá hạn {{ days_overdue }} ngày",
            f"Quyết định công nhận {{{{ unit }}}} hạn ngày {{{{ deadline }}}} ({LEFT}).",
            "UBND xã chưa ra quyết định công nhận {{ unit }} năm {{ year }}; hạn là ngày "
            f"{{{{ deadline }}}}, {LATE}. Đề nghị đôn đốc.",
        ),
    },
]


def load(apps, schema_editor):
    ReminderRule = apps.get_model("certification", "ReminderRule")
    for values in RULES:
        values = {"days_before": "14,7,3,1", "days_after": "1,7", **values}
        ReminderRule.objects.get_or_create(
            name=values["name"], step=values["step"], audience=values["audience"], defaults=values
        )


def unload(apps, schema_editor):
    ReminderRule = apps.get_model("certification", "ReminderRule")
    ReminderRule.objects.filter(name__in=[values["name"] for values in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("certification", "0004_reminders")]

    operations = [migrations.RunPython(load, unload)]
