from django.apps import AppConfig


class FdbstoreConfig(AppConfig):
    name = "fdbstore"
    verbose_name = "FoundationDB store"
