"""The access log (NEN 7513): who, role, on whose behalf, when, event, object, purpose, result."""
