"""`tracker serve`: the store in a browser (a thin Flask adapter over ``tracker.app``)."""
