from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def meeting_list(request):
    return render(request, "meetings/meeting_list.html")
