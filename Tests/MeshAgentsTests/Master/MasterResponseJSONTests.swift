import A2A
import Foundation
import Testing

@testable import MeshAgents

/// The `/task` 202 and `/result` answers, hand-written, say what their `Encodable` says.
@Suite("Master response JSON")
struct MasterResponseJSONTests {
    func sameJSON(_ value: some Encodable) throws {
        let fast = try MeshJSON.encode(value)
        let foundation = try MeshJSON.encodeWithFoundation(value)
        #expect(
            try JSONSerialization.jsonObject(with: fast) as? NSDictionary
                == JSONSerialization.jsonObject(with: foundation) as? NSDictionary,
            "\(String(decoding: fast, as: UTF8.self))")
    }

    @Test func resultsAndAcceptancesOfEveryTask() throws {
        for task in MeshTaskJSONFixtures.tasks {
            try sameJSON(TaskResult(task))
            try sameJSON(MasterRoutes.Accepted(task))
        }
    }
}
