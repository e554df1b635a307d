#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    # Commands (migrate, db_worker, cron jobs) may run long statements: no statement
    # timeout for them unless their environment sets one (web requests get 30 s).
    os.environ.setdefault("DB_STATEMENT_TIMEOUT", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
