"""The loops behind the command line: training, evaluation, checkpoint state."""
