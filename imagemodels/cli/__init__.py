"""The ``imagemodels`` command: ``list``, ``info`` and ``demo`` over the library's public API.

Kept thin: ``main.py`` only parses arguments (and imports nothing heavier than argparse); each
command imports torch and the models it needs when it runs.
"""
