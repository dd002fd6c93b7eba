from __future__ import annotations

import os

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseNotFound
from django.urls import path


def file_view(request, name: str):
    target = os.path.join(settings.FLOOR_DIR, os.path.basename(name))
    if request.method == "PUT":
        remaining = int(request.META.get("CONTENT_LENGTH") or 0)
        with open(target + ".part", "wb") as out:
            while remaining > 0:
                piece = request.read(min(65536, remaining))
                if not piece:
                    break
                out.write(piece)
                remaining -= len(piece)
        os.replace(target + ".part", target)
        return HttpResponse(status=201)
    if not os.path.exists(target):
        return HttpResponseNotFound()
    return FileResponse(open(target, "rb"))


def ready(request):
    return HttpResponse(b"ok")


urlpatterns = [path("f/<str:name>", file_view), path("ready", ready)]
