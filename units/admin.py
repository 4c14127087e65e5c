from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from units.forms import PeopleImportForm
from units.importing import COLUMNS, MAX_FILE_BYTES, PEOPLE, UNITS, people_import
from units.models import Agency, ApiToken, Delegation, Membership, Organisation, Supervision, Unit, User
from units.permissions import (
    agencies_managed_by,
    can_import_people,
    can_keep_installation_settings,
    is_installation_administrator,
    people_managed_by,
    units_managed_by,
)
from units.roles import Role

admin.site.site_header = _("Quản trị Cổng điều hành văn bản")
admin.site.site_title = _("Quản trị")
admin.site.index_title = _("Thiết lập cơ quan, đơn vị, cán bộ")


# --- Rights in the admin ---------------------------------------------------------------------
# The admin follows the pages' rule: an agency's administrator reaches only their own agency.
# Lists, the choices of every foreign key and many-to-many, and the objects behind every URL are
# narrowed to it; anything else is 404, exactly as if it did not exist.


def scoped_choices(model, user):
    """The rows of ``model`` a person may pick in an admin form, or None when ``model`` is not scoped."""
    if model is Agency:
        return agencies_managed_by(user)
    if model is Unit:
        return units_managed_by(user).select_related("agency")
    if model is User:
        return people_managed_by(user)
    if model is Group and not user.is_superuser:
        # Roles are the only groups anyone but a superuser may hand out (units/roles.py).
        return Group.objects.filter(name__in=Role.values)
    return None


class ScopedChoicesMixin:
    """Foreign keys and many-to-many fields offer only what the person may reach, so a crafted POST
    naming another agency's unit or agency fails validation ("Hãy chọn một lựa chọn hợp lệ")."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = scoped_choices(db_field.related_model, request.user)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = scoped_choices(db_field.related_model, request.user)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class MissingIsNotFound:
    """An object that is not there, or outside the person's reach, answers 404, never the
    admin's redirect with a message that would say whether it exists (a successful sign-in
    also clears the person's failed attempts, so axes' rows can vanish between two clicks)."""

    def get_object(self, request, object_id, from_field=None):
        found = super().get_object(request, object_id, from_field)
        if found is None:
            raise Http404
        return found


class AgencyScopedAdmin(MissingIsNotFound, ScopedChoicesMixin, admin.ModelAdmin):
    """A model admin whose rows belong to an agency (``agency_lookup`` leads from a row to it).

    The list, search, autocomplete and every object URL (change, delete, history, password) see
    only the person's agency; an object outside it answers 404, never a redirect that would say
    it exists.
    """

    agency_lookup = "agency"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        user = request.user
        if is_installation_administrator(user):
            return rows
        if user.agency_id is None:
            return rows.none()
        return rows.filter(**{self.agency_lookup: user.agency_id})


@admin.register(Agency)
class AgencyAdmin(AgencyScopedAdmin):
    """directives/admin.py registers it again with the numbering mode's yearly lock."""

    list_display = ["name", "abbreviation", "exchange_id", "parent_body", "place_name"]
    search_fields = ["name", "abbreviation", "exchange_id"]
    agency_lookup = "pk"
    ladder_fields = ["acceptance_by", "extension_by", "head_extension_days"]

    def get_fieldsets(self, request, obj=None):
        # The acceptance ladder apart; every other field (whoever adds one) stays in the first group.
        rest = [name for name in self.get_fields(request, obj) if name not in self.ladder_fields]
        ladder = {
            "fields": self.ladder_fields,
            "description": _(
                "Ai nghiệm thu kết quả nhiệm vụ và ai quyết định gia hạn. Lãnh đạo đơn vị chủ trì chỉ tự "
                "quyết định gia hạn trong số ngày làm việc đã đặt; đề nghị dài hơn chuyển lãnh đạo phụ trách."
            ),
        }
        return [(None, {"fields": rest}), (_("Nghiệm thu và gia hạn nhiệm vụ"), ladder)]

    def has_add_permission(self, request):
        # A new agency is outside every agency's administrator's reach by definition.
        return super().has_add_permission(request) and can_keep_installation_settings(request.user)


@admin.register(Unit)
class UnitAdmin(AgencyScopedAdmin):
    list_display = ["name", "abbreviation", "kind", "parent", "agency", "is_active"]
    list_filter = [("agency", admin.RelatedOnlyFieldListFilter), "kind", "is_active"]
    list_select_related = ["agency", "parent"]
    search_fields = ["name", "abbreviation"]
    autocomplete_fields = ["parent"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "exchange_id", "email", "is_active"]
    search_fields = ["name", "abbreviation", "exchange_id"]
    list_filter = ["is_active"]


class MembershipInline(ScopedChoicesMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


class SupervisionInline(ScopedChoicesMixin, admin.TabularInline):
    model = Supervision
    fk_name = "director"
    extra = 0
    autocomplete_fields = ["unit"]
    verbose_name = _("đơn vị phụ trách")
    verbose_name_plural = _("đơn vị phụ trách (lãnh đạo Sở)")


@admin.register(User)
class UserAdmin(AgencyScopedAdmin, BaseUserAdmin):
    """People of the person's agency. Fields that grant rights beyond the role list are a superuser's
    alone, and nobody changes their own roles here: no one raises their own rights."""

    list_display = ["username", "full_name", "email", "agency", "is_active"]
    list_filter = [("agency", admin.RelatedOnlyFieldListFilter), "groups", "is_active", "is_staff"]
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

    def get_queryset(self, request):
        people = super().get_queryset(request)
        # As people_managed_by: setting a superuser's password would hand over every right there is.
        return people if request.user.is_superuser else people.filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "is_staff", "user_permissions"]
            if obj is not None and obj.pk == request.user.pk:
                fields.append("groups")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "agency" in form.base_fields and not is_installation_administrator(request.user):
            # Someone of no agency who held the administrator role would administer every agency.
            form.base_fields["agency"].required = True
            form.base_fields["agency"].empty_label = None
        return form

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


@admin.register(Delegation)
class DelegationAdmin(AgencyScopedAdmin):
    """Who stands in for whom, and when (units.Delegation); the model's clean() refuses another
    agency's substitute, oneself, an end before the start and an overlapping period."""

    list_display = ["principal", "substitute", "starts_on", "ends_on", "note", "created_by"]
    list_select_related = ["principal", "substitute", "created_by"]
    search_fields = ["principal__full_name", "substitute__full_name"]
    autocomplete_fields = ["principal", "substitute"]
    readonly_fields = ["created_by", "created_at"]
    agency_lookup = "principal__agency"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(AgencyScopedAdmin):
    list_display = ["prefix", "user", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "prefix"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    agency_lookup = "user__agency"

    def has_add_permission(self, request):
        return False  # tokens are issued only through the API sign-in


# django-axes' records of sign-in attempts: the same pages, with the admin's 404 for a missing row.
for _model, _admin_class in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, type(_admin_class.__name__, (MissingIsNotFound, _admin_class), {}))
