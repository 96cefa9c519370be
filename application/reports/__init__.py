"""Reading reports: report files (YAML/JSON), their JSON Schema, and other datasets' importers."""
