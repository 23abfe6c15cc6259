"""MLflow compatibility suite: MLflow's own Python client against a server, checked against the stock server."""
