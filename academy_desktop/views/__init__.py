"""Screens: one package per workspace (view + presenter), the main window, sign-in."""
