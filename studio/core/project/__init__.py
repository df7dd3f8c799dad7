"""The project file (dataclasses, parsing, migration, saving), the undoable document the GUI edits, and the built-in templates."""
