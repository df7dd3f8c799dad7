"""The Train page: run settings, live plots, the training worker thread and the run history.

``TrainPage`` (in :mod:`studio.gui.training.page`) is what the main window shows; the
worker (:mod:`studio.gui.training.worker`) runs :func:`studio.core.training.engine.train` on a
QThread and reports through queued signals only.
"""
