"""Consent to share a child's data across principals.

``samverkan.consent.sharing.Sharing`` is the one decision every cross-principal view of a
child record, a forum case or a plan goes through; the rules in ``accounts/rules.py`` ask it
through each app's access module.
"""
