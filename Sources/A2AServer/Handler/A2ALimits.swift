/// Bounds on what one request may ask for.
public struct A2ALimits: Sendable {
    /// The largest request body accepted (413 beyond it).
    public var maxBodyBytes: Int
    public var defaultPageSize: Int
    public var maxPageSize: Int
    /// The most parts one message may carry.
    public var maxParts: Int
    /// The deepest nesting of JSON objects and arrays a body may have (the top-level object is 1); checked
    /// before the body is decoded, so a hostile body cannot exhaust the decoder's stack.
    public var maxJSONDepth: Int
    /// The largest one part may be: its text, raw bytes, URL or encoded data.
    public var maxPartBytes: Int

    public init(
        maxBodyBytes: Int = 4 << 20, defaultPageSize: Int = 50, maxPageSize: Int = 100, maxParts: Int = 64,
        maxJSONDepth: Int = 64, maxPartBytes: Int = 1 << 20
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.defaultPageSize = defaultPageSize
        self.maxPageSize = maxPageSize
        self.maxParts = maxParts
        self.maxJSONDepth = maxJSONDepth
        self.maxPartBytes = maxPartBytes
    }
}
