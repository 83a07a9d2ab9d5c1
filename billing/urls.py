from django.urls import include, path

from billing.invoices import views

app_name = "billing"

# /billing/contracts/<uuid>/<yyyy-mm>/…
invoice_urls = [
    path("", views.invoice_detail, name="invoice"),
    path("finalise/", views.invoice_finalise, name="invoice-finalise"),
    path("csv/", views.invoice_csv, name="invoice-csv"),
    path("print/", views.invoice_print, name="invoice-print"),
]

urlpatterns = [
    path("billing/", views.billing_run, name="run"),
    path("billing/mentor-hours/", views.mentor_hours, name="mentor-hours"),
    path("billing/contracts/<uuid:contract_uuid>/<str:month>/", include(invoice_urls)),
]
