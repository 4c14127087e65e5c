from django.urls import path

from directives import certificate_views, pdf_views, views, word_views

# The registers page keeps its name here (directives:registers): config/urls.py adds
# reports.urls.under_directives to this namespace.
app_name = "directives"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("outgoing/", views.outgoing, name="outgoing"),
    path("incoming/", views.incoming, name="incoming"),
    path("incoming/new/", views.incoming_register, name="incoming_register"),
    path("drafts/", views.drafts, name="drafts"),
    path("waiting/", views.waiting, name="waiting"),
    path("inbox/", views.inbox, name="inbox"),
    path("search/", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/revisions/", views.revisions, name="revisions"),
    path("<int:pk>/route/", views.route, name="route"),
    path("<int:pk>/copy/", views.copy, name="copy"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("<int:pk>/pdf/", pdf_views.document_pdf, name="pdf"),
    path("<int:pk>/pdf/status/", pdf_views.pdf_status, name="pdf_status"),
    path("<int:pk>/pdf/retry/", pdf_views.pdf_retry, name="pdf_retry"),
    path("<int:pk>/docx/", word_views.document_docx, name="docx"),
    path("certificate/", certificate_views.personal_certificate, name="personal_certificate"),
    path("certificate/<int:user_pk>/", certificate_views.personal_certificate, name="personal_certificate_for"),
]
