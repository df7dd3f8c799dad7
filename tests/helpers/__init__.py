"""Helpers shared by the test folders, imported as ``tests.helpers.<module>``.

``datagen`` writes small datasets (IDX through the core's own writer, CIFAR pickles, image
folders); ``enginekit`` and ``runfactory`` make tiny projects, bundles and trained runs;
``gui_*`` open pages of the window with fakes around them; ``journey_*`` are the steps and data
of the end-to-end journeys. Fixtures stay in the conftest.py files.
"""
