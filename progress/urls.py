from django.urls import include, path

from progress.check_ins import views as check_ins
from progress.plan import views as plan

app_name = "progress"

# /engagements/<uuid>/plan/…
plan_urls = [
    path("", plan.plan_page, name="plan"),
    path("goals/new/", plan.goal_add, name="goal-add"),
    path("goals/<int:goal_pk>/", plan.goal_edit, name="goal-edit"),
    path("goals/<int:goal_pk>/archive/", plan.goal_archive, name="goal-archive"),
    path("goals/<int:goal_pk>/sharing/", plan.goal_consent, name="goal-consent"),
    path("statement/", plan.statement_edit, name="statement"),
    path("statement/<int:statement_pk>/sharing/", plan.statement_consent, name="statement-consent"),
    path("check-in/after/<uuid:session_uuid>/", check_ins.session_check_in, name="check-in-session"),
    path("check-in/<str:kind>/", check_ins.check_in, name="check-in"),
]

urlpatterns = [
    path("engagements/<uuid:engagement_uuid>/plan/", include(plan_urls)),
]
