import Foundation
import Hummingbird

/// Applies the per-token request limit (per client address for requests without a token) before
/// anything else runs, so a flood costs the server one dictionary lookup per request.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let limiter: RateLimiter
    let clock: @Sendable () -> Date

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let key: String
        if let token = BearerToken.parse(authorization: request.headers[.authorization]) {
            key = "token:" + BearerToken.hash(token)
        } else {
            key = "addr:" + (context.clientAddress ?? "unknown")
        }
        if let wait = await limiter.take(key, now: clock()) {
            throw APIError(.rateLimited, "too many requests; retry in \(wait) s", retryAfter: wait)
        }
        return try await next(request, context)
    }
}
