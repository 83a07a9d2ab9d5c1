from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mentorship import selectors


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "mentorship/landing.html")
    context = {}
    if request.user.is_consultancy_admin:
        context["heartbeat"] = selectors.latest_heartbeat()
    return render(request, "mentorship/home.html", context)
