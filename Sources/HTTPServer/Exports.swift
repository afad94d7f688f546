// A responder's task runs on its connection's queue through `QueueExecutor`, which the event
// loop defines; servers built on the transport (and their stores) name it through this module.
@_exported import class EventLoop.QueueExecutor
