from django.urls import path

from exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.arrivals, name="arrivals"),
    path("waiting-badge/", views.waiting_badge, name="waiting_badge"),
    path("<int:pk>/", views.arrival, name="arrival"),
    path("<int:pk>/files/<int:index>/", views.arrival_file, name="arrival_file"),
    path("<int:pk>/accept/", views.arrival_accept, name="arrival_accept"),
    path("<int:pk>/refuse/", views.arrival_refuse, name="arrival_refuse"),
    path("<int:pk>/recall/agree/", views.recall_agree, name="recall_agree"),
    path("<int:pk>/recall/refuse/", views.recall_refuse, name="recall_refuse"),
    path("documents/<int:pk>/recall/", views.recall_request, name="recall_request"),
    path("outgoing/<int:pk>/retry/", views.outgoing_retry, name="outgoing_retry"),
]
