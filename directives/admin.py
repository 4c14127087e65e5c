from django.contrib import admin
from guardian.admin import GuardedModelAdminMixin

from directives.models import Document, DocumentType


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "abbreviation"]

    def has_delete_permission(self, request, obj=None):
        return False  # types in use by documents stay; retire one with "đang dùng"


@admin.register(Document)
class DocumentAdmin(GuardedModelAdminMixin, admin.ModelAdmin):
    """Read-only: documents change only through the workflow services, and an issued
    document never changes, so the admin can look but not touch."""

    list_display = ["symbol", "subject", "doc_type", "direction", "state", "issued_on", "agency"]
    list_filter = ["direction", "state", "doc_type", "agency"]
    list_select_related = ["doc_type", "agency"]
    search_fields = ["symbol", "subject"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
