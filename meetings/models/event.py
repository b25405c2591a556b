"""Events: workshops, forums, trainings, exchange meetings, seminars, with results and sign-ups."""

__all__: list[str] = []
