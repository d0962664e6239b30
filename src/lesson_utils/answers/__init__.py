"""Answer keys of the exercises, one module per chapter (see :mod:`lesson_utils.checks`)."""
