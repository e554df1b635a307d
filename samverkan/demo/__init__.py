"""The demo county (``manage.py seed_demo``): a package of its own, above every app, so that
no app imports the others' demo data. Never run against a production database."""
