// Generated code spells the transport's types through this module (`APIRuntime.HTTPResponse`):
// `HTTPServer.HTTPResponse` cannot be written, since the module's own class `HTTPServer` hides
// the module's name. So APIRuntime carries HTTPServer's declarations along.
@_exported import HTTPServer
