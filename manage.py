#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from config.checks import fail_fast, load_settings

    with fail_fast():  # a bad environment: one line on stderr, exit status 1
        load_settings()

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
