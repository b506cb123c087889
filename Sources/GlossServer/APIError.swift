import Foundation
import GlossSync
import HTTPTypes
import Hummingbird

/// An error the API answers with: a status, a code from the closed set, a message for people,
/// and the JSON body `{"error":{"code","message"}}`. Every failed request becomes one of these
/// (`ErrorMiddleware`), so a client never sees any other error shape.
public struct APIError: Error, HTTPResponseError, CustomStringConvertible {
    public var code: WireErrorCode
    public var message: String
    /// Seconds, for `Retry-After` (rate limiting).
    public var retryAfter: Int?

    public init(_ code: WireErrorCode, _ message: String, retryAfter: Int? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public var status: HTTPResponse.Status { .init(code: code.httpStatus) }

    public var description: String { "\(code.rawValue): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    func response() -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if code == .unauthorized || code == .tokenExpired {
            headers[.wwwAuthenticate] = #"Bearer realm="gloss""#
        }
        let body = (try? Wire.encoder().encode(WireErrorBody(code: code, message: message)))
            ?? Data(#"{"error":{"code":"internal","message":"encoding failed"}}"#.utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension PushRejection {
    var apiError: APIError { APIError(code, message) }
}
