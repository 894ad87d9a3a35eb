/// Turns decoding errors into messages that name the field and the problem.
extension DecodingError {
    func fieldPath(root: String) -> String {
        let path: [CodingKey]
        switch self {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        @unknown default: path = []
        }
        var text = ""
        for key in path where key.stringValue != "params" || !text.isEmpty {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        if root.isEmpty { return text }
        return text.isEmpty ? root : "\(root).\(text)"
    }

    func explanation(root: String) -> String {
        let field = fieldPath(root: root)
        let prefix = field.isEmpty ? "" : "\(field): "
        switch self {
        case .keyNotFound(let key, _): return "\(prefix)required field '\(key.stringValue)' is missing"
        case .typeMismatch(let type, let context):
            return "\(prefix)expected \(Self.typeName(type)); \(context.debugDescription)"
        case .valueNotFound(let type, _): return "\(prefix)expected \(Self.typeName(type)), found null"
        case .dataCorrupted(let context): return "\(prefix)\(context.debugDescription)"
        @unknown default: return "\(prefix)invalid value"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int32.Type, is Int64.Type, is Double.Type: "a number"
        default: "\(type)"
        }
    }
}
