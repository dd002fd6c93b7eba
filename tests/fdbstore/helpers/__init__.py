"""Code that runs in child processes; kept free of pytest and Django imports."""
