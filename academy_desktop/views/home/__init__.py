"""Home/Today: who is signed in, where, and a few live counts - every role gets it."""
