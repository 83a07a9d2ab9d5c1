from django.urls import path

from overview import team_view, views

app_name = "overview"

urlpatterns = [
    path("", views.home, name="home"),
    path("attention/<slug:kind>/", views.attention_list, name="attention"),
    path("engagements/<uuid:engagement_uuid>/", views.engagement_detail, name="engagement-detail"),
    path("engagements/<uuid:engagement_uuid>/team/", team_view.team_view, name="engagement-team"),
    path("contracts/<uuid:contract_uuid>/", views.contract_detail, name="contract-detail"),
]
