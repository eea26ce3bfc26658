"""Rosters: an instructor's sessions of a day and attendance in them."""
