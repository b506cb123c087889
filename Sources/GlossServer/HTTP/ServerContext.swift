import Hummingbird

/// The request context of the sync API: Hummingbird's core storage plus the client's address
/// (the rate-limit key before a token is presented).
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }
}
