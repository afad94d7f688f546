import ChatAPI
import HTTPServer

extension ChatError {
    /// The RFC 9457 body this error is answered with.
    var problem: Problem {
        Problem(
            type: ProblemDetails.typeBase + kind,
            title: HTTPStatus.standardPhrase(for: status),
            status: status,
            detail: detail,
            errors: fieldErrors?.map { FieldError(field: $0.field, reason: $0.reason) })
    }
}
