"""Running the rules: the engine, the parallel cached pipeline, the cache, baselines."""
