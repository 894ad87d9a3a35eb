/// Why a test fixture could not be set up.
public enum MeshTestingError: Error, CustomStringConvertible, Sendable {
    case packageRootNotFound(startingAt: String)
    case missingTool(name: String, path: String, hint: String)
    case launchFailed(executable: String, errno: Int32)
    case exitedEarly(name: String, status: Int32, stderrTail: String)
    case notReady(name: String, url: String, timeout: Duration, stderrTail: String)
    case noFreePort(errno: Int32)

    public var description: String {
        switch self {
        case .packageRootNotFound(let start):
            "no Package.swift found in any directory above \(start)"
        case .missingTool(let name, let path, let hint):
            "\(name) not found at \(path). \(hint)"
        case .launchFailed(let executable, let errno):
            "cannot launch \(executable): errno \(errno)"
        case .exitedEarly(let name, let status, let tail):
            "\(name) exited with status \(status) before it was ready; stderr ends with:\n\(tail)"
        case .notReady(let name, let url, let timeout, let tail):
            "\(name) did not answer \(url) within \(timeout); stderr ends with:\n\(tail)"
        case .noFreePort(let errno):
            "cannot find a free loopback port: errno \(errno)"
        }
    }
}
