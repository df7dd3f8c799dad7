"""Helpers every page shares: the studio context, background tasks, theme, icons, undo, i18n."""
