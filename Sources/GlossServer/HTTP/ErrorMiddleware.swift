import Foundation
import GlossSync
import Hummingbird
import Logging
import NIOCore

/// Outermost middleware: turns every error into the API's JSON error shape (DESIGN.md §5), so
/// no response ever leaves without `{"error":{"code","message"}}` on failure, and logs each
/// request once with its status.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            let apiError = Self.apiError(for: error, request: request)
            if apiError.code == .internal || apiError.code == .unavailable {
                context.logger.error(
                    "request failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            response = apiError.response()
        }
        let milliseconds = Int(((ContinuousClock.now - started) / .milliseconds(1)).rounded())
        context.logger.info(
            "\(request.method) \(request.uri.path) \(response.status.code)", metadata: ["ms": "\(milliseconds)"])
        return response
    }

    static func apiError(for error: any Error, request: Request) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as PushRejection:
            return error.apiError
        case let error as ServerStoreError:
            switch error {
            case .unavailable: return APIError(.unavailable, "the store is unavailable; retry later")
            case .userExists, .noSuchUser, .invalidUserName: return APIError(.badRequest, error.description)
            case .corrupt: return APIError(.internal, "the server could not read a stored record")
            }
        case is NIOTooManyBytesError:
            return APIError(.tooLarge, "the request body is too large")
        case let error as HTTPError:
            switch error.status.code {
            case 404, 405:
                return APIError(.notFound, "no endpoint \(request.method) \(request.uri.path)")
            case 413:
                return APIError(.tooLarge, "the request body is too large")
            case 400..<500:
                return APIError(.badRequest, error.body ?? "bad request")
            default:
                return APIError(.internal, "internal error")
            }
        case is CancellationError:
            return APIError(.unavailable, "the request was cancelled; retry")
        default:
            return APIError(.internal, "internal error; nothing was stored")
        }
    }
}
