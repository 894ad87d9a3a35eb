import CAvahi

/// Why an mDNS publisher or browser could not work.
public enum MDNSError: Error, CustomStringConvertible, Sendable {
    /// avahi-daemon (or the system D-Bus it needs) is not running.
    case daemonNotRunning(reason: String)
    /// An Avahi call failed; `operation` names it and `reason` is Avahi's text.
    case avahi(operation: String, reason: String)

    /// The command (run as root) that starts D-Bus and avahi-daemon on loopback for this repository.
    public static let startCommand = "scripts/avahi.sh"

    public var description: String {
        switch self {
        case .daemonNotRunning(let reason):
            "avahi-daemon is not running (\(reason)); start it as root with `\(Self.startCommand)`"
        case .avahi(let operation, let reason):
            "\(operation) failed: \(reason)"
        }
    }

    /// Avahi's text for an error code.
    static func reason(_ code: Int32) -> String {
        String(cString: avahi_strerror(code))
    }
}
