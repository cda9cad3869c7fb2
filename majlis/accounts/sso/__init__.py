"""National single sign-on over OpenID Connect (UAE PASS, Nafath), and its stand-in.

allauth's `openid_connect` provider does the protocol (discovery, state, PKCE, code exchange,
userinfo); `provider.py` and `views.py` add what national SSO needs on top of it: a nonce, an
issuer pinned in the configuration, only signed ID tokens with an allowed algorithm, the
userinfo subject checked against the ID token's, and identities keyed on (issuer, subject).
`standin.py` configures the stand-in OpenID provider (allauth.idp.oidc) that ships with Majlis.
"""
