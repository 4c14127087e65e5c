"""Demo tasks: every state and tracking class, with deadlines relative to the day the demo
is loaded (from 30 days ago to 60 days ahead, several due in each of the next ten working
days), so the start pages always look alive. Built through the services; idempotent by title."""

from datetime import date, datetime, time, timedelta
from itertools import cycle

from django.db import transaction

from directives.models import Document
from lib.workdays import VIETNAM_TZ, local_today
from tasks import permissions as rights
from tasks import services
from tasks.calendar import calendar_current
from tasks.models import Task
from units.models import Membership, Unit, User

# (point, title, lead unit, cooperating units, deadline in days from today, what happens)
TET_PLAN = [
    ("1", "Triển khai đồng bộ các giải pháp thực hiện kế hoạch và dự toán ngân sách năm 2027", "VP",
     ["KHTC", "QLKH"], 12, "in_progress"),
    ("2", "Chuẩn bị giống cây trồng phục vụ các mô hình sản xuất vụ đông xuân", "TTUD", [], -6, "overdue"),
    ("3", "Quản lý thu, chi ngân sách chặt chẽ, không dùng ngân sách làm quà biếu dịp Tết", "KHTC", ["VP"], 20,
     "submitted"),
    ("4", "Nghiệm thu, thanh quyết toán khối lượng công việc của các đề tài, dự án năm 2026", "QLKH", ["KHTC"], 3,
     "in_progress"),
    ("5", "Thanh tra, kiểm tra đo lường, chất lượng, nhãn hàng hóa phục vụ Tết Nguyên đán", "TTr", ["TĐC"], -20,
     "done_on_time"),
    ("6", "Bảo đảm an toàn hệ thống mạng, văn phòng điện tử thông suốt trong dịp Tết", "QLCN", [], -12, "done_late"),
]  # fmt: skip

BRIEFING = [
    ("1", "Tổng hợp kết quả thực hiện nhiệm vụ 10 tháng, báo cáo Giám đốc Sở", "VP", [], -2, "overdue"),
    ("2", "Rà soát các đề tài chậm tiến độ, đề xuất biện pháp xử lý", "QLKH", ["KHTC"], 1, "returned"),
]  # fmt: skip

# Tasks without a source document (a director's verbal order), to fill every class and the
# next ten working days.
STANDALONE = [
    ("Cập nhật cơ sở dữ liệu nhiệm vụ khoa học và công nghệ cấp tỉnh", "QLKH", 0, "in_progress"),
    ("Chuẩn bị hồ sơ Hội đồng tư vấn xác định nhiệm vụ năm 2027", "QLKH", 2, "new"),
    ("Góp ý dự thảo Quy chế quản lý đề tài khoa học cấp tỉnh", "QLKH", 5, "in_progress"),
    ("Kiểm tra tiến độ 05 đề tài chuyển tiếp", "QLKH", 9, "in_progress"),
    ("Tổng hợp đề xuất đặt hàng nhiệm vụ của các sở, ngành", "QLKH", 30, "in_progress"),
    ("Báo cáo tình hình thực hiện Chương trình chuyển đổi số của Sở", "QLKH", -9, "overdue"),
    ("Hoàn thiện hồ sơ thẩm định kinh phí đề tài nông nghiệp công nghệ cao", "QLKH", -25, "done_on_time"),
    ("Rà soát hợp đồng thực hiện đề tài hết hạn", "QLKH", -15, "done_late"),
    ("Xây dựng kế hoạch kiểm tra cơ sở kinh doanh xăng dầu", "TĐC", 4, "in_progress"),
    ("Kiểm định phương tiện đo tại các chợ đầu mối", "TĐC", 7, "new"),
    ("Thanh tra việc sử dụng kinh phí sự nghiệp khoa học năm 2025", "TTr", 14, "extended"),
    ("Giải quyết đơn kiến nghị của Công ty TNHH Minh Phát", "TTr", 6, "in_progress"),
    ("Quyết toán kinh phí quý IV", "KHTC", 8, "in_progress"),
    ("Lập dự toán mua sắm thiết bị phòng thí nghiệm", "KHTC", 45, "new"),
    ("Cập nhật trang thông tin điện tử của Sở", "TTUD", 1, "in_progress"),
    ("Tổ chức hội thảo ứng dụng công nghệ sinh học", "TTUD", 60, "new"),
    ("Đánh giá an toàn bức xạ tại các cơ sở y tế", "QLCN", 10, "submitted"),
    ("Thẩm định công nghệ dự án nhà máy chế biến hải sản", "QLCN", -30, "cancelled"),
    ("Rà soát danh mục hồ sơ lưu trữ năm 2026", "VP", 13, "in_progress"),
    ("Báo cáo công tác văn thư, lưu trữ hằng tháng", "VP", None, "standing"),
    ("Báo cáo tiến độ thực hiện nhiệm vụ khoa học và công nghệ", "QLKH", None, "standing"),
]


# Two more due on each of the next ten working days, so every day has something to chase.
DAILY = [
    ("Tổng hợp số liệu đề tài cấp cơ sở", "QLKH"), ("Rà soát văn bản quy phạm pháp luật về đo lường", "TĐC"),
    ("Chuẩn bị nội dung họp giao ban tuần", "VP"), ("Kiểm tra hồ sơ cấp phép tiến hành công việc bức xạ", "QLCN"),
    ("Cập nhật bản tin khoa học và công nghệ", "TTUD"), ("Đối chiếu công nợ tạm ứng đề tài", "KHTC"),
    ("Lấy ý kiến chuyên gia về đề xuất nhiệm vụ", "QLKH"), ("Xử lý phản ánh về chất lượng hàng hóa", "TĐC"),
    ("Chuẩn bị tài liệu đoàn kiểm tra liên ngành", "TTr"), ("Cập nhật danh mục thiết bị phòng thí nghiệm", "TTUD"),
    ("Soạn thảo báo cáo chuyên đề sở hữu trí tuệ", "QLCN"), ("Hoàn thiện biên bản nghiệm thu đề tài", "QLKH"),
    ("Kiểm kê tài sản cuối năm", "KHTC"), ("Rà soát hồ sơ thi đua khen thưởng", "VP"),
    ("Thẩm định hồ sơ đăng ký hoạt động khoa học", "QLKH"), ("Kiểm tra nhãn hàng hóa tại siêu thị", "TĐC"),
    ("Trả lời kiến nghị cử tri về ứng dụng công nghệ", "QLCN"), ("Chuẩn bị hội nghị tổng kết năm", "VP"),
    ("Báo cáo kết quả thanh tra chuyên ngành", "TTr"), ("Tổng hợp đề xuất kinh phí năm 2027", "KHTC"),
]  # fmt: skip


def _working(day: date, *, past: bool) -> date:
    calendar = calendar_current()
    if calendar.is_working_day(day):
        return day
    return calendar.previous_working_day(day) if past else calendar.next_working_day(day)


def _moment(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=VIETNAM_TZ)


def _play(task: Task, outcome: str, *, head: User, handler: User, supervisor: User, today: date) -> None:
    """Bring a new task to the outcome the demo wants, through the services."""
    if outcome in ("new", "standing_new"):
        return
    services.task_assign(task=task, by=head, handler=handler)
    if outcome == "cancelled":
        services.task_cancel(task=task, by=supervisor, reason="Dự án tạm dừng theo chỉ đạo của UBND tỉnh.")
        return
    services.task_report(task=task, by=handler, text="Đã triển khai, đang tổng hợp kết quả.", percent=40)
    if outcome == "extended":
        extension = services.task_extension_request(
            task=task, by=handler, new_deadline=task.deadline + timedelta(days=14),
            reason="Chờ đơn vị được thanh tra cung cấp chứng từ bổ sung.",
        )  # fmt: skip
        while extension.state == extension.State.PENDING:
            decider = rights.extension_deciders(Task.objects.get(pk=task.pk), extension)[0]
            extension = services.task_extension_decide(
                extension=extension, by=decider, grant=True, note="Đồng ý gia hạn."
            )
    if outcome in ("submitted", "returned", "done_on_time", "done_late"):
        finished = task.deadline - timedelta(days=2) if outcome != "done_late" else task.deadline + timedelta(days=3)
        at = (
            min(_moment(finished, 10), _moment(today, 8))
            if outcome in ("submitted", "returned")
            else _moment(finished, 10)
        )
        services.task_submit(task=task, by=handler, result="Đã hoàn thành, kèm báo cáo kết quả.", at=at)
    if outcome == "returned":
        services.task_return(task=task, by=_judge(task), reason="Đề nghị bổ sung số liệu và đề xuất cụ thể.")
    if outcome in ("done_on_time", "done_late"):
        # Every step of the agency's acceptance ladder: the unit's head, then the supervisor.
        while (task := Task.objects.get(pk=task.pk)).state == Task.State.SUBMITTED:
            services.task_accept(task=task, by=_judge(task), note="Đạt yêu cầu.")


def _judge(task: Task) -> User:
    """The person at the task's current acceptance step."""
    return rights.acceptance_deciders(Task.objects.get(pk=task.pk))[0]


@transaction.atomic
def seed_tasks() -> None:
    director = User.objects.filter(username="giamdoc").first()
    if director is None:
        return
    today = local_today()
    units = {u.abbreviation: u for u in Unit.objects.filter(agency=director.agency)}
    heads = {
        m.unit.abbreviation: m.user for m in Membership.objects.filter(is_head=True).select_related("unit", "user")
    }
    staff = {}
    for m in Membership.objects.filter(is_head=False, unit__agency=director.agency).select_related("unit", "user"):
        staff.setdefault(m.unit.abbreviation, []).append(m.user)
    handlers = {abbr: cycle(people) for abbr, people in staff.items()}
    # The demo staff account handles most of its unit's work, so its start page is full.
    chuyenvien = next((u for u in staff.get("QLKH", []) if u.username == "chuyenvien"), None)
    if chuyenvien is not None:
        others = [u for u in staff["QLKH"] if u != chuyenvien]
        handlers["QLKH"] = cycle([chuyenvien, chuyenvien, *others[:1], chuyenvien, *others[1:]])
    existing = set(Task.objects.filter(agency=director.agency).values_list("title", flat=True))

    def make(title, unit, cooperating, offset, outcome, *, document=None, point="", creator=director):
        if title in existing:
            return
        supervisor = director if creator == director else creator
        deadline = _working(today + timedelta(days=offset), past=offset < 0) if offset is not None else None
        created_on = min(today, deadline - timedelta(days=20)) if deadline else today
        task = services.task_create(
            by=creator, title=title, lead_unit=units[unit], cooperating_units=[units[c] for c in cooperating],
            document=document, point=point, deadline=deadline, today=created_on,
            reporting_period=Task.Period.MONTHLY if deadline is None else "",
            priority=Task.Priority.HIGH if offset is not None and offset < 3 else Task.Priority.NORMAL,
        )  # fmt: skip
        handler = next(handlers[unit])
        if unit == "QLKH" and outcome in ("overdue", "returned") and chuyenvien is not None:
            handler = chuyenvien  # the demo staff account shows a red row and a returned task
        outcome = "in_progress" if outcome in ("overdue", "standing") else outcome
        _play(task, outcome, head=heads[unit], handler=handler, supervisor=supervisor, today=today)

    plan = Document.objects.filter(subject__startswith="Triển khai một số nhiệm vụ cấp bách trước").first()
    briefing = Document.objects.filter(subject__startswith="Kết luận của Giám đốc Sở tại cuộc họp giao ban").first()
    deputy = User.objects.get(username="phogiamdoc")
    for point, title, unit, cooperating, offset, outcome in TET_PLAN:
        make(title, unit, cooperating, offset, outcome, document=plan, point=point)
    for point, title, unit, cooperating, offset, outcome in BRIEFING:
        make(title, unit, cooperating, offset, outcome, document=briefing, point=point, creator=deputy)
    for title, unit, offset, outcome in STANDALONE:
        make(title, unit, [], offset, outcome)
    calendar, day = calendar_current(), today
    for index, (title, unit) in enumerate(DAILY):
        if index % 2 == 0:
            day = calendar.next_working_day(day)
        make(title, unit, [], (day - today).days, "new" if index % 5 == 4 else "in_progress")
