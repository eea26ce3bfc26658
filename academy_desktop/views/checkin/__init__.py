"""The check-in workspace: today's sessions and rosters at the desk's location."""
