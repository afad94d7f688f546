// The code of this module is generated at build time from the package's api.yaml by
// RouteGenPlugin (see Plugins/RouteGenPlugin): the schema types, `Operations`, the `APIHandler`
// protocol, `APIRouter` and `APISpec`. Edit api.yaml, not generated files.
