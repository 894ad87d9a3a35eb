import Discovery
import Foundation
import Hummingbird

/// `GET /agents?skill=&tag=&name=&all=`: the agent's own view of the mesh, the same query as `mesh discover`.
///
/// Answers `{"agents":[...]}` with the entries ``AgentSummary`` describes. Peers marked down are left out
/// unless `all=true`. An unknown parameter or a malformed `all` is a 400 that says what was wrong.
struct AgentsRoute {
    static let parameters = ["skill", "tag", "name", "all"]
    let directory: AgentDirectory

    func add(to router: Router<BasicRequestContext>) {
        router.get("/agents") { request, _ in try self.answer(request) }
    }

    func answer(_ request: Request) throws -> Response {
        let query = request.uri.queryParameters
        for (key, _) in query where !Self.parameters.contains(String(key)) {
            return Self.error(
                .badRequest, "unknown query parameter '\(key)'; expected \(Self.parameters.joined(separator: ", "))")
        }
        func value(_ key: String) -> String? { query[key[...]].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        var includeDown = false
        if let all = value("all") {
            switch all.lowercased() {
            case "true", "1": includeDown = true
            case "false", "0": includeDown = false
            default: return Self.error(.badRequest, "query parameter 'all' must be true or false, got '\(all)'")
            }
        }
        let found = directory.agents(
            AgentQuery(skill: value("skill"), tag: value("tag"), name: value("name"), includeDown: includeDown))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(["agents": found.map(AgentSummary.init)])
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        struct Failure: Encodable {
            var code: Int
            var status: String
            var message: String
        }
        let failure = Failure(code: status.code, status: status.reasonPhrase, message: message)
        let body = (try? encoder.encode(["error": failure])) ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
