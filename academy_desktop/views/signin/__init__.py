"""The sign-in dialog: profile, credentials, remember me, password change pages."""
