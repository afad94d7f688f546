// The code of this module is generated at build time from openapi.yaml, next to this file, by
// RouteGenPlugin: the schema types (`Components.Schemas.Book`, …), `Operations`, the `APIHandler`
// protocol, `APIRouter` and `APISpec`. Edit openapi.yaml, not generated files.
