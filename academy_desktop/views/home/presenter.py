"""Home/Today: which counts a person sees (the SQL lives in ``db/queries/overview.py``).

Kept as the view's import point so the Home view does not reach into ``db`` by name.
"""

from __future__ import annotations

from academy_desktop.db.queries.overview import STATS_FOR, fetch_stats

__all__ = ["STATS_FOR", "fetch_stats"]
