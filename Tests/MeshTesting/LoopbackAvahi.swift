import Foundation
import MDNS

/// The avahi-daemon the mDNS tests use is missing, or could publish beyond the loopback interface.
public struct LoopbackAvahiError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Throws unless avahi-daemon runs and was started with `allow-interfaces=lo`, so no test publishes on a
/// real network. `scripts/avahi.sh` sets that up. Every test that touches mDNS calls it first.
public func requireLoopbackAvahi() throws {
    let configPath = "/etc/avahi/avahi-daemon.conf"
    let fix = "run `\(MDNSError.startCommand)` first"
    guard let config = try? String(contentsOfFile: configPath, encoding: .utf8) else {
        throw LoopbackAvahiError(description: "cannot read \(configPath); avahi-daemon is not installed? \(fix)")
    }
    let lines = config.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    guard lines.contains("allow-interfaces=lo") else {
        throw LoopbackAvahiError(
            description: "\(configPath) lacks `allow-interfaces=lo`; mDNS tests must not touch real networks; \(fix)")
    }
    guard let pidText = try? String(contentsOfFile: "/run/avahi-daemon/pid", encoding: .utf8),
        let pid = Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)), kill(pid, 0) == 0
    else {
        throw LoopbackAvahiError(description: "avahi-daemon is not running; \(fix)")
    }
    // The daemon reads its configuration at start only: it must have started after the last edit.
    let files = FileManager.default
    if let started = try? files.attributesOfItem(atPath: "/proc/\(pid)")[.modificationDate] as? Date,
        let edited = try? files.attributesOfItem(atPath: configPath)[.modificationDate] as? Date,
        started < edited
    {
        throw LoopbackAvahiError(
            description: "avahi-daemon (pid \(pid)) started before \(configPath) changed; restart it: "
                + "`avahi-daemon --kill && \(MDNSError.startCommand)`")
    }
}
