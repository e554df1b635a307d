"""Single sign-on's own pages, under /konto/ next to allauth's (and before them, so that
these take the place of allauth's login and callback for OpenID Connect and of its signup
form for SSO)."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from samverkan.accounts import sso

urlpatterns = [
    path("oidc/<str:provider_id>/login/", sso.login, name="openid_connect_login"),
    path("oidc/<str:provider_id>/login/callback/", sso.callback, name="openid_connect_callback"),
    path("3rdparty/signup/", sso.no_account, name="socialaccount_signup"),
    path("sso/bekrafta/", login_required(sso.reauthenticate), name="sso_reauthenticate"),
]
