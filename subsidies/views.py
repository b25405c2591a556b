from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def program_list(request):
    return render(request, "subsidies/program_list.html")
