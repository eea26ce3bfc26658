"""Super admin workspaces: Staff & access, Database health."""
