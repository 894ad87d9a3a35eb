import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat

/// Builds the router of the embedded registry: every operation is `POST /` with the operation in
/// `X-Amz-Target`, answered whatever the `Host` header (boto3 may send `data-<host>`). Signatures are
/// not checked.
public func buildRegistryRouter(store: any RegistryStore, logger: Logger = Logger(label: "mesh.registry"))
    -> Router<BasicRequestContext>
{
    let router = Router()
    let dispatcher = RegistryDispatcher(store: store, logger: logger)
    router.post("/") { request, context in
        await dispatcher.respond(to: request, context: context)
    }
    return router
}

/// Decodes one awsJson call, validates it, runs it against the store and encodes the answer or error.
struct RegistryDispatcher: Sendable {
    let store: any RegistryStore
    let logger: Logger
    static let maxBodyBytes = 1 << 20
    static let targetHeader = HTTPField.Name("X-Amz-Target")!
    static let requestIdHeader = HTTPField.Name("x-amzn-RequestId")!

    func respond(to request: Request, context: BasicRequestContext) async -> Response {
        let requestId = UUID().uuidString.lowercased()
        let target = request.headers[Self.targetHeader] ?? ""
        do {
            guard let operation = CloudMapOperation(target: target) else {
                throw CloudMapError(.unknownOperation, "X-Amz-Target '\(target)' names no supported operation.")
            }
            let body = try await request.body.collect(upTo: Self.maxBodyBytes)
            let data = body.readableBytes == 0 ? Data("{}".utf8) : Data(buffer: body)
            let output = try await perform(operation, body: data)
            return Self.reply(.ok, output, requestId: requestId)
        } catch let error as CloudMapError {
            logger.debug(
                "registry call refused",
                metadata: [
                    "target": .string(target), "code": .string(error.code.rawValue), "request_id": .string(requestId),
                ])
            return Self.reply(.badRequest, Self.errorBody(error), requestId: requestId)
        } catch {
            logger.error(
                "registry call failed",
                metadata: ["target": .string(target), "error": "\(error)", "request_id": .string(requestId)])
            let body = Self.errorBody(CloudMapError(CloudMapErrorCode(rawValue: "InternalFailure"), "\(error)"))
            return Self.reply(.internalServerError, body, requestId: requestId)
        }
    }

    func perform(_ operation: CloudMapOperation, body: Data) async throws -> Data {
        switch operation {
        case .createHttpNamespace: try await run(body, RegistryValidator.validate, store.createHttpNamespace)
        case .getNamespace: try await run(body, RegistryValidator.validate, store.getNamespace)
        case .listNamespaces: try await run(body, RegistryValidator.validate, store.listNamespaces)
        case .deleteNamespace: try await run(body, RegistryValidator.validate, store.deleteNamespace)
        case .createService: try await run(body, RegistryValidator.validate, store.createService)
        case .getService: try await run(body, RegistryValidator.validate, store.getService)
        case .listServices: try await run(body, RegistryValidator.validate, store.listServices)
        case .deleteService: try await run(body, RegistryValidator.validate, store.deleteService)
        case .registerInstance: try await run(body, RegistryValidator.validate, store.registerInstance)
        case .deregisterInstance: try await run(body, RegistryValidator.validate, store.deregisterInstance)
        case .getInstance: try await run(body, RegistryValidator.validate, store.getInstance)
        case .listInstances: try await run(body, RegistryValidator.validate, store.listInstances)
        case .discoverInstances: try await run(body, RegistryValidator.validate, store.discoverInstances)
        case .discoverInstancesRevision:
            try await run(body, RegistryValidator.validate, store.discoverInstancesRevision)
        case .getInstancesHealthStatus: try await run(body, RegistryValidator.validate, store.getInstancesHealthStatus)
        case .updateInstanceCustomHealthStatus:
            try await run(body, RegistryValidator.validate, store.updateInstanceCustomHealthStatus)
        case .getOperation: try await run(body, RegistryValidator.validate, store.getOperation)
        }
    }

    func run<Input: Decodable, Output: Encodable>(
        _ body: Data, _ validate: (Input) throws -> Void, _ call: (Input) async throws -> Output
    ) async throws -> Data {
        let input: Input
        do {
            input = try CloudMapWire.makeDecoder().decode(Input.self, from: body)
        } catch let error as DecodingError {
            throw CloudMapError.invalidInput(Self.explain(error))
        } catch {
            throw CloudMapError.invalidInput("The request body is not valid JSON.")
        }
        try validate(input)
        return try CloudMapWire.makeEncoder().encode(try await call(input))
    }

    /// A decoding error as a sentence that names the member.
    static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return "\(parent.isEmpty ? "" : parent + ".")\(key.stringValue) is required."
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) must be of type \(type)."
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) must be a \(type), not null."
        case .dataCorrupted(let context):
            let where_ = path(context.codingPath)
            return where_.isEmpty ? "The request body is not valid JSON." : "\(where_): \(context.debugDescription)."
        @unknown default:
            return "The request body does not match the operation's input."
        }
    }

    static func errorBody(_ error: CloudMapError) -> Data {
        var object: [String: String] = error.extra
        object["__type"] = error.code.rawValue
        object["Message"] = error.message
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    static func reply(_ status: HTTPResponse.Status, _ body: Data, requestId: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: CloudMapWire.contentType, requestIdHeader: requestId],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
