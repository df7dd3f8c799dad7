"""Qt views over the core objects: the main window, its pages and their widgets.

Everything here is a thin face over :mod:`studio.core`: widgets read the open
:class:`~studio.core.project.document.ProjectDocument`, listen to its events and change it only by
pushing its :class:`~studio.core.project.document.Edit` objects through the window's undo stack
(:class:`studio.gui.common.context.StudioContext`). See ``main_window.py`` for the page contract.
"""
