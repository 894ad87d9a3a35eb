import Foundation

/// Where the package, its Python venv and its built binaries are.
public enum TestEnvironment {
    /// The directory holding `Package.swift`, found by walking up from `file`.
    public static func packageRoot(file: String = #filePath) throws -> URL {
        var directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory = directory.deletingLastPathComponent()
        }
        throw MeshTestingError.packageRootNotFound(startingAt: file)
    }

    /// The Python that has `a2a-sdk`: `$MESH_TEST_PYTHON`, else `<root>/.venv/bin/python`.
    public static func python() throws -> String {
        let path =
            try ProcessInfo.processInfo.environment["MESH_TEST_PYTHON"]
            ?? packageRoot().appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw MeshTestingError.missingTool(
                name: "Python with a2a-sdk", path: path,
                hint:
                    "Run the README's test command (scripts/test.sh), which creates the venv, or set MESH_TEST_PYTHON.")
        }
        return path
    }

    /// The built `mesh` executable: `$MESH_BINARY`, else `<root>/.build/debug/mesh`.
    public static func meshBinary() throws -> String {
        let path =
            try ProcessInfo.processInfo.environment["MESH_BINARY"]
            ?? packageRoot().appendingPathComponent(".build/debug/mesh").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw MeshTestingError.missingTool(
                name: "the mesh binary", path: path, hint: "Run `swift build` first, or set MESH_BINARY.")
        }
        return path
    }

    /// A file below the interop test directory, e.g. `reference_agent.py`.
    public static func interopFile(_ name: String) throws -> String {
        try packageRoot().appendingPathComponent("Tests/interop").appendingPathComponent(name).path
    }
}
