/// Identifiers in the shapes AWS uses: `ns-…`, `srv-…`, `<32>-<8>` operation ids.
enum RegistryIdentifiers {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    static func random(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }

    static func namespaceId() -> String { "ns-" + random(16) }
    static func serviceId() -> String { "srv-" + random(16) }
    static func operationId() -> String { random(32) + "-" + random(8) }

    /// The resource id of an id or ARN (`arn:...:service/srv-x` → `srv-x`).
    static func resourceId(_ idOrArn: String) -> String {
        guard idOrArn.hasPrefix("arn:"), let slash = idOrArn.lastIndex(of: "/") else { return idOrArn }
        return String(idOrArn[idOrArn.index(after: slash)...])
    }

    /// A page of `items` after `token` (an offset), and the token of the next page.
    static func page<T>(_ items: [T], token: String?, limit: Int?) throws -> (ArraySlice<T>, String?) {
        var start = 0
        if let token {
            guard let offset = Int(token), offset >= 0, offset <= items.count else {
                throw CloudMapError.invalidInput("NextToken '\(token)' is not a token this registry issued.")
            }
            start = offset
        }
        let end = min(items.count, start + (limit ?? 100))
        return (items[start..<end], end < items.count ? String(end) : nil)
    }
}
