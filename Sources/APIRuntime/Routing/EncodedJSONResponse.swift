import HTTPServer

/// A JSON response whose body came pre-encoded (`EncodedJSON`), made by a generated output's
/// `…(encoded:)` factory with the status, media type and headers of the case it stands for.
public struct EncodedJSONResponse: Sendable {
    /// The response as it is sent.
    public let response: HTTPResponse

    /// `body` with `status` and `contentType`, then `headers` applied (the case's own).
    public init<Body>(
        _ status: Int, _ body: EncodedJSON<Body>, contentType: String, headers: (inout HTTPResponse) -> Void = { _ in }
    ) {
        var response = ResponseEncoding.bytes(status, body.bytes, contentType: contentType)
        headers(&response)
        self.response = response
    }
}
