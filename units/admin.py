from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from units.forms import PeopleImportForm
from units.importing import COLUMNS, MAX_FILE_BYTES, PEOPLE, UNITS, people_import
from units.models import Agency, ApiToken, Membership, Organisation, Supervision, Unit, User
from units.permissions import can_import_people

admin.site.site_header = _("Quản trị Cổng điều hành văn bản")
admin.site.site_title = _("Quản trị")
admin.site.index_title = _("Thiết lập cơ quan, đơn vị, cán bộ")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "parent_body", "place_name"]
    search_fields = ["name", "abbreviation"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "kind", "parent", "agency", "is_active"]
    list_filter = ["agency", "kind", "is_active"]
    list_select_related = ["agency", "parent"]
    search_fields = ["name", "abbreviation"]
    autocomplete_fields = ["parent"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "email", "is_active"]
    search_fields = ["name", "abbreviation"]
    list_filter = ["is_active"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


class SupervisionInline(admin.TabularInline):
    model = Supervision
    fk_name = "director"
    extra = 0
    autocomplete_fields = ["unit"]
    verbose_name = _("đơn vị phụ trách")
    verbose_name_plural = _("đơn vị phụ trách (lãnh đạo Sở)")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "email", "agency", "is_active"]
    list_filter = ["agency", "groups", "is_active", "is_staff"]
    list_select_related = ["agency"]
    search_fields = ["username", "full_name", "email"]
    ordering = ["full_name"]
    inlines = [MembershipInline, SupervisionInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "title", "email", "phone", "agency")}),
        (_("Vai trò và quyền"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "email", "agency", "password1", "password2"),
            },
        ),
    )
    change_list_template = "admin/units/user/change_list.html"

    def get_urls(self):
        # Before the default URLs: their "<path:object_id>/" would take "import/" for a user id.
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="units_user_import"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import_people": can_import_people(request.user)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        """Upload a CSV or XLSX file of units and people; show what was imported or every bad row."""
        if not can_import_people(request.user):
            raise PermissionDenied
        result = None
        form = PeopleImportForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            result = people_import(
                name=upload.name,
                # One byte past the limit is enough for the import to refuse a larger file.
                content=upload.read(MAX_FILE_BYTES + 1),
                agency=form.cleaned_data["agency"],
                by=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
            if result.ok:
                messages.success(request, result.summary())
            else:
                messages.error(
                    request,
                    gettext("Tệp có %(count)s lỗi nên chưa nhập gì. Sửa các dòng dưới đây rồi tải lên lại.")
                    % {"count": len(result.problems)},
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Nhập đơn vị và cán bộ từ tệp"),
            "form": form,
            "result": result,
            "formats": [
                (gettext("Bảng đơn vị"), COLUMNS[UNITS]),
                (gettext("Bảng cán bộ"), COLUMNS[PEOPLE]),
            ],
        }
        return TemplateResponse(request, "admin/units/user/import.html", context)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "prefix"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are issued only through the API sign-in
