import Foundation
import HTTPServer

/// Turns a handler's typed output into bytes with its declared status and media type.
public enum ResponseEncoding {
    /// A JSON body.
    public static func json<Body: Encodable>(
        _ status: Int, _ body: Body, contentType: String, options: RouterOptions
    ) -> HTTPResponse {
        do {
            return bytes(status, try EncodedJSON(body).bytes, contentType: contentType)
        } catch {
            return options.problems.response(
                ProblemDetails(kind: .internalError, status: .internalServerError, detail: "the response could not be encoded"))
        }
    }

    /// A problem, written by `options.problems`, with the status of the case that carries it:
    /// the documented status is the answer's, whatever the value says.
    public static func problem(_ status: Int, _ problem: ProblemDetails, options: RouterOptions) -> HTTPResponse {
        var problem = problem
        if problem.status.code != status { problem.status = HTTPStatus(code: status) }
        return options.problems.response(problem)
    }

    /// A text body; a `text/*` or YAML type without parameters gets `; charset=utf-8`.
    public static func text(_ status: Int, _ body: String, contentType: String) -> HTTPResponse {
        let isText = contentType.hasPrefix("text/") || contentType == "application/yaml"
        // Bytes, not `contains(";")`: with Foundation imported that is `range(of:)`, an
        // NSString search on every text answer.
        let fullType = isText && !contentType.utf8.contains(UInt8(ascii: ";")) ? contentType + "; charset=utf-8" : contentType
        return HTTPResponse(status: HTTPStatus(code: status), contentType: fullType, text: body)
    }

    /// The 500 for a handler that answered a range or `default` case with a status the case
    /// does not cover (`status2XX(status: 404, …)`).
    public static func undocumented(_ status: Int, options: RouterOptions) -> HTTPResponse {
        options.problems.response(
            ProblemDetails(
                kind: .internalError, status: .internalServerError,
                detail: "the server answered with status \(status), which its response does not document"))
    }

    /// A body of raw bytes.
    public static func bytes(_ status: Int, _ body: [UInt8], contentType: String) -> HTTPResponse {
        HTTPResponse(status: HTTPStatus(code: status), headers: ["Content-Type": contentType], body: .bytes(body))
    }

    /// A response without a body.
    public static func empty(_ status: Int) -> HTTPResponse {
        HTTPResponse(status: HTTPStatus(code: status))
    }
}
