import Foundation

/// `GetOperation` input.
public struct GetOperationRequest: Codable, Sendable {
    public var operationId: String
    public var ownerAccount: String?

    public init(operationId: String) { self.operationId = operationId }

    enum CodingKeys: String, CodingKey { case operationId = "OperationId", ownerAccount = "OwnerAccount" }
}

/// `Operation`: the record of an asynchronous call. The embedded registry completes them at once.
public struct Operation: Codable, Sendable, Equatable {
    public var id: String?
    public var ownerAccount: String?
    public var type: OperationType?
    public var status: OperationStatus?
    public var errorMessage: String?
    public var errorCode: String?
    public var createDate: Date?
    public var updateDate: Date?
    /// Keyed by `OperationTargetType` raw values (`NAMESPACE`, `SERVICE`, `INSTANCE`).
    public var targets: [String: String]?

    public init(
        id: String?, type: OperationType?, status: OperationStatus?, createDate: Date?, updateDate: Date?,
        targets: [String: String]?
    ) {
        self.id = id
        self.type = type
        self.status = status
        self.createDate = createDate
        self.updateDate = updateDate
        self.targets = targets
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id", ownerAccount = "OwnerAccount", type = "Type", status = "Status"
        case errorMessage = "ErrorMessage", errorCode = "ErrorCode", createDate = "CreateDate"
        case updateDate = "UpdateDate", targets = "Targets"
    }
}

/// `GetOperation` output.
public struct GetOperationResponse: Codable, Sendable {
    public var operation: Operation?
    public init(operation: Operation?) { self.operation = operation }
    enum CodingKeys: String, CodingKey { case operation = "Operation" }
}
