from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def organization_list(request):
    return render(request, "members/organization_list.html")
