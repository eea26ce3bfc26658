"""Shared GUI kit: async slots and error reporting, settings, theme, icons, widgets."""
