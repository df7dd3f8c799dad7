"""Run folders on disk: their layout, checkpoints and what they hold, and a project's run history."""
