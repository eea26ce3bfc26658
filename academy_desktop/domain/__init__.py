"""Pure-Python core shared by every room: dataclasses, enums, rules and errors.

Nothing here imports Qt or the database, so it can be unit-tested and type-checked
in isolation and reused by the admin CLI.
"""
