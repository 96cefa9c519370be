"""The Gherkin step library (a pytest plugin) and ``flashpoint check``, which runs features with it."""
