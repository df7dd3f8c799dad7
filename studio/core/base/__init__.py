"""The bottom layer: errors, events, paths, safe file writes and the validators of user-written JSON. Imports nothing else of the studio."""
