"""The loops behind the command line: training, evaluation, checkpoint state.

``engine.train.run(args)`` trains from timm-style flags (``engine.config.parse_train_args``);
``engine.evaluate.evaluate`` scores a model over a loader; ``engine.state`` saves and restores
everything a run needs to continue exactly where it stopped.
"""
