from django.urls import path

from directives.views import certificates, documents, pdf, word

# The registers page keeps its name here (directives:registers): config/urls.py adds
# reports.urls.under_directives to this namespace.
app_name = "directives"
urlpatterns = [
    path("", documents.desk, name="desk"),
    path("outgoing/", documents.outgoing, name="outgoing"),
    path("incoming/", documents.incoming, name="incoming"),
    path("incoming/new/", documents.incoming_register, name="incoming_register"),
    path("drafts/", documents.drafts, name="drafts"),
    path("waiting/", documents.waiting, name="waiting"),
    path("inbox/", documents.inbox, name="inbox"),
    path("delegations/", documents.delegations, name="delegations"),
    path("search/", documents.search, name="search"),
    path("new/", documents.create, name="create"),
    path("<int:pk>/", documents.detail, name="detail"),
    path("<int:pk>/edit/", documents.edit, name="edit"),
    path("<int:pk>/revisions/", documents.revisions, name="revisions"),
    path("<int:pk>/route/", documents.route, name="route"),
    path("<int:pk>/copy/", documents.copy, name="copy"),
    path("<int:pk>/act/<slug:action>/", documents.act, name="act"),
    path("<int:pk>/files/<int:attachment_pk>/", documents.attachment, name="attachment"),
    path("<int:pk>/pdf/", pdf.document_pdf, name="pdf"),
    path("<int:pk>/pdf/status/", pdf.pdf_status, name="pdf_status"),
    path("<int:pk>/pdf/retry/", pdf.pdf_retry, name="pdf_retry"),
    path("<int:pk>/docx/", word.document_docx, name="docx"),
    path("certificate/", certificates.personal_certificate, name="personal_certificate"),
    path("certificate/<int:user_pk>/", certificates.personal_certificate, name="personal_certificate_for"),
]
