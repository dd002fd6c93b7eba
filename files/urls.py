from django.urls import re_path

from files.views import FileCopyView, FileMoveView, FileView, FolderListView, UsageView

# The operations are custom methods beside the collection (``files:move``), so no
# file name can clash with them; the file path is everything after ``files/``.
_SESSION = r"^sessions/(?P<sessionId>[^/]+)/files"
urlpatterns = [
    re_path(_SESSION + r":move$", FileMoveView.as_view(), name="file-move"),
    re_path(_SESSION + r":copy$", FileCopyView.as_view(), name="file-copy"),
    re_path(_SESSION + r"/?$", FolderListView.as_view(), name="file-list"),
    re_path(_SESSION + r"/(?P<path>.+)$", FileView.as_view(), name="file"),
    re_path(r"^usage/?$", UsageView.as_view(), name="usage"),
]
