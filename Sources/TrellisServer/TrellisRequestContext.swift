import Hummingbird

/// Hummingbird's request context plus who is asking, once the token has been checked.
struct TrellisRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The name of the caller's token; nil when the server has no tokens.
    var identity: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
