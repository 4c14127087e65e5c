from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from units.models import Agency, ApiToken, Membership, Organisation, Supervision, Unit, User

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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "prefix"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are issued only through the API sign-in
