import os
import sys

# tests import their helpers (parity.py) by module name
sys.path.insert(0, os.path.dirname(__file__))
# no test may reach the network: weights come from files the tests write
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
