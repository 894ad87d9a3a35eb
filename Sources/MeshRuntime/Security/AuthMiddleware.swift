import Foundation
import HTTPTypes
import Hummingbird

/// Authenticates every request that its route's ``PathPolicy`` does not leave open, then runs the rest of the
/// chain with ``RequestPrincipal/current`` set.
///
/// No or a bad credential is 401 with `WWW-Authenticate` challenges; a good credential that may not do this
/// (another kind than the agent accepts, a missing scope, not a mesh token where one is needed) is 403. Both
/// bodies say exactly why, in the shape of the host's other errors.
public struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    public let security: HostSecurity

    public init(security: HostSecurity) { self.security = security }

    static var apiKeyHeader: HTTPField.Name { HTTPField.Name("X-API-Key")! }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let requirement = security.policy.requirement(method: request.method.rawValue, path: request.uri.path)
        if requirement == .open { return try await next(request, context) }
        let principal: RequestPrincipal
        do {
            principal = try await authenticate(request, requirement: requirement)
        } catch {
            return response(for: error, request: request)
        }
        return try await RequestPrincipal.$current.withValue(principal) { try await next(request, context) }
    }

    func authenticate(_ request: Request, requirement: PathPolicy.Requirement) async throws(AuthFailure)
        -> RequestPrincipal
    {
        let route = "\(request.method.rawValue) \(request.uri.path)"
        let principal: RequestPrincipal
        if let credential = try Self.credential(in: request.headers) {
            principal = try await verify(credential)
        } else if security.accepts.contains(.anonymous), requirement != .mesh {
            principal = security.verifier.anonymous
        } else {
            throw AuthFailure(.missing, "\(route) needs \(wanted(requirement))")
        }
        guard security.accepts.contains(principal.kind) else {
            throw AuthFailure(
                .forbidden(scope: nil),
                "\(principal.subject) is authenticated, but \(route) needs \(wanted(requirement))")
        }
        switch requirement {
        case .open, .authenticated: break
        case .mesh:
            guard principal.kind == .mesh else {
                throw AuthFailure(
                    .forbidden(scope: nil),
                    "\(route) takes only mesh tokens (agents of this mesh); \(principal.subject) is not one")
            }
        case .scope(let scope):
            guard principal.scopes.contains(scope) else {
                let held = principal.scopes.sorted().map(\.rawValue).joined(separator: ", ")
                throw AuthFailure(
                    .forbidden(scope: scope),
                    "\(route) needs scope '\(scope.rawValue)'; \(principal.subject) has \(held.isEmpty ? "no scopes" : held)"
                )
            }
        }
        return principal
    }

    /// Verifies `credential`; on an open master, a client credential it cannot check counts as no credential
    /// (a client's MESH_API_KEY must not break a development mesh).
    private func verify(_ credential: Credential) async throws(AuthFailure) -> RequestPrincipal {
        do {
            return try await security.verifier.principal(for: credential)
        } catch {
            let clientCredential: Bool
            switch credential {
            case .apiKey: clientCredential = true
            case .bearerJWT(let token):
                clientCredential = (try? UnverifiedJWT(token))?.issuer?.hasPrefix("mesh:") != true
            }
            if clientCredential, security.accepts.contains(.anonymous) { return security.verifier.anonymous }
            throw error
        }
    }

    /// What the route wants, in words.
    private func wanted(_ requirement: PathPolicy.Requirement) -> String {
        if requirement == .mesh || security.accepts == [.mesh] {
            return
                "a mesh token (Authorization: Bearer, signed with the mesh key): only agents of this mesh may call it"
        }
        var ways: [String] = []
        if security.accepts.contains(.apiKey) { ways.append("an API key (X-API-Key or Authorization: Bearer)") }
        if security.accepts.contains(.jwt) { ways.append("a JWT (Authorization: Bearer)") }
        if security.accepts.contains(.mesh) { ways.append("a mesh token") }
        var text = ways.isEmpty ? "a credential" : ways.joined(separator: " or ")
        if case .scope(let scope) = requirement { text += " with scope '\(scope.rawValue)'" }
        return text
    }

    /// The credential `headers` carry: `X-API-Key`, else `Authorization: Bearer` (a JWT, or an API key).
    static func credential(in headers: HTTPFields) throws(AuthFailure) -> Credential? {
        if let key = headers[apiKeyHeader] {
            guard !key.isEmpty else { throw .invalid("the X-API-Key header is empty") }
            return .apiKey(key)
        }
        guard let authorization = headers[.authorization] else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            let scheme = parts.first.map(String.init) ?? ""
            throw .invalid("the Authorization scheme '\(scheme)' is not accepted; send Authorization: Bearer <token>")
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else { throw .invalid("the bearer token is empty") }
        return UnverifiedJWT.looksLikeJWT(token) ? .bearerJWT(token) : .apiKey(token)
    }

    func response(for failure: AuthFailure, request: Request) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        let status: HTTPResponse.Status
        let statusName: String
        var scope: String?
        let realm = Self.quoted(security.realm)
        switch failure.kind {
        case .missing, .invalid:
            status = .unauthorized
            statusName = "Unauthenticated"
            var bearer = "Bearer realm=\(realm)"
            if failure.kind == .invalid {
                bearer += ", error=\"invalid_token\", error_description=\(Self.quoted(failure.message))"
            }
            headers.append(HTTPField(name: .wwwAuthenticate, value: bearer))
            if security.accepts.contains(.apiKey) {
                headers.append(HTTPField(name: .wwwAuthenticate, value: "ApiKey realm=\(realm), header=\"X-API-Key\""))
            }
        case .forbidden(let needed):
            status = .forbidden
            statusName = "PermissionDenied"
            scope = needed?.rawValue
            if let needed {
                headers.append(
                    HTTPField(
                        name: .wwwAuthenticate,
                        value: "Bearer realm=\(realm), error=\"insufficient_scope\", scope=\"\(needed.rawValue)\""))
            }
        }
        let body = AuthErrorBody(
            error: .init(code: status.code, status: statusName, message: failure.message, requiredScope: scope))
        let data = (try? JSONEncoder().encode(body)) ?? Data()
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `text` as an RFC 7230 quoted string.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// `{"error":{"code":401,"status":"Unauthenticated","message":"…"}}`, the shape of the host's other errors.
struct AuthErrorBody: Encodable {
    struct Detail: Encodable {
        var code: Int
        var status: String
        var message: String
        /// The scope a 403 is missing.
        var requiredScope: String?
    }

    var error: Detail
}
