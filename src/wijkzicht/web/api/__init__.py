"""The REST API under /api/v1, following the NL GOV API Design Rules.

Resources (Dutch nouns, plural collections): gebieden, indicatoren, perioden, the waarden of an
indicator, and exports of waarden. Public, disclosure-controlled figures for everyone;
``exact=true`` for analysts only, each such read written to the audit log. Every response
carries ``API-Version`` (:mod:`.problems`), every error is ``application/problem+json``; the
OpenAPI document is generated from the views (:mod:`.schema`) and committed as
``docs/openapi.json``.
"""

VERSION = "1.0.0"  # the full version in the API-Version header; the path carries only /v1
