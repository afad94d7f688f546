// Generated at build time from openapi.yaml (make-spec.py writes it) by RouteGenPlugin.
