/// Bounds on what one request may ask for.
public struct A2ALimits: Sendable {
    /// The largest request body accepted (413 beyond it).
    public var maxBodyBytes: Int
    public var defaultPageSize: Int
    public var maxPageSize: Int
    /// The most parts one message may carry.
    public var maxParts: Int

    public init(maxBodyBytes: Int = 4 << 20, defaultPageSize: Int = 50, maxPageSize: Int = 100, maxParts: Int = 256) {
        self.maxBodyBytes = maxBodyBytes
        self.defaultPageSize = defaultPageSize
        self.maxPageSize = maxPageSize
        self.maxParts = maxParts
    }
}
