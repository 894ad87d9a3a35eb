/// A JSON-RPC 2.0 request or response id: a string, a number, or null.
public enum JSONRPCID: Sendable, Hashable, Codable, CustomStringConvertible {
    case string(String)
    case number(Int64)
    case null

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let number = try? container.decode(Int64.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    public var description: String {
        switch self {
        case .string(let value): value
        case .number(let value): String(value)
        case .null: "null"
        }
    }
}

/// The envelope of a JSON-RPC request without its params, read first to choose how to decode them.
public struct JSONRPCRequestHeader: Sendable, Decodable {
    public var jsonrpc: String?
    public var id: JSONRPCID?
    public var method: String?
}

/// A JSON-RPC 2.0 request with typed params.
public struct JSONRPCRequest<Params: Codable & Sendable>: Sendable, Codable {
    public var jsonrpc: String
    public var id: JSONRPCID
    public var method: String
    public var params: Params?

    public init(id: JSONRPCID, method: String, params: Params?) {
        self.jsonrpc = "2.0"
        self.id = id
        self.method = method
        self.params = params
    }
}

/// The error object of a JSON-RPC 2.0 response.
public struct JSONRPCErrorObject: Sendable, Hashable, Codable {
    public var code: Int
    public var message: String
    /// For A2A errors, an array of detail objects; other servers may send anything.
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public init(_ error: A2AError) {
        let details = error.details
        self.init(code: error.code, message: error.message, data: details.isEmpty ? nil : .array(details))
    }

    /// The typed error this object describes.
    public var a2aError: A2AError {
        if case .array(let details) = data {
            return A2AError(code: code, message: message, details: details)
        }
        return A2AError(code: code, message: message, details: nil)
    }
}

/// A JSON-RPC 2.0 response: a result or an error.
public struct JSONRPCResponse<Result: Codable & Sendable>: Sendable, Codable {
    public var jsonrpc: String
    public var id: JSONRPCID
    public var result: Result?
    public var error: JSONRPCErrorObject?

    public init(id: JSONRPCID, result: Result) {
        self.jsonrpc = "2.0"
        self.id = id
        self.result = result
        self.error = nil
    }

    public init(id: JSONRPCID, error: JSONRPCErrorObject) {
        self.jsonrpc = "2.0"
        self.id = id
        self.result = nil
        self.error = error
    }

    enum CodingKeys: String, CodingKey { case jsonrpc, id, result, error }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        jsonrpc = try container.decodeIfPresent(String.self, forKey: .jsonrpc) ?? "2.0"
        id = try container.decodeIfPresent(JSONRPCID.self, forKey: .id) ?? .null
        error = try container.decodeIfPresent(JSONRPCErrorObject.self, forKey: .error)
        result = error == nil ? try container.decodeIfPresent(Result.self, forKey: .result) : nil
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(jsonrpc, forKey: .jsonrpc)
        try container.encode(id, forKey: .id)
        if let error {
            try container.encode(error, forKey: .error)
        } else {
            try container.encode(result, forKey: .result)
        }
    }
}

/// The `google.rpc.Status` error body of the HTTP+JSON binding: `{"error": {...}}`.
public struct HTTPErrorBody: Sendable, Hashable, Codable {
    public struct Status: Sendable, Hashable, Codable {
        public var code: Int
        public var status: String?
        public var message: String
        public var details: [JSONValue]?

        public init(code: Int, status: String?, message: String, details: [JSONValue]?) {
            self.code = code
            self.status = status
            self.message = message
            self.details = details
        }
    }

    public var error: Status

    public init(_ error: A2AError) {
        let details = error.details
        self.error = Status(
            code: error.kind.httpStatus, status: error.kind.statusName, message: error.message,
            details: details.isEmpty ? nil : details)
    }

    /// The typed error this body describes.
    public var a2aError: A2AError {
        A2AError(code: error.code, message: error.message, details: error.details)
    }
}
