from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def supporter_overview(request):
    return render(request, "supporters/supporter_overview.html")
