// The one place the iOS sample talks to Haven: an actor, so every SDK call runs off the main thread. Free of UIKit
// and SwiftUI, so it compiles and is tested on Linux.
import Foundation
import Haven

/// An image model and its manifest on disk (scripts/fetch-models.sh fetches NudeNet's; the tests use the synthetic
/// models of fixtures/models).
public struct ImageModelFiles: Sendable {
    public let model: URL
    public let manifest: URL

    public init(model: URL, manifest: URL) {
        self.model = model
        self.manifest = manifest
    }

    /// NudeNet 320n bundled in the app (`nudenet-320n.onnx` and `.json` added to the target), or nil.
    public static func bundled(in bundle: Bundle) -> ImageModelFiles? {
        guard let model = bundle.url(forResource: "nudenet-320n", withExtension: "onnx"),
              let manifest = bundle.url(forResource: "nudenet-320n", withExtension: "json") else { return nil }
        return ImageModelFiles(model: model, manifest: manifest)
    }
}

/// Haven as the app sees it: observe each message, and save the engine's state after each change so it survives
/// restarts.
///
/// An actor: its methods run on Swift's cooperative thread pool, never on the main actor, one at a time, so
/// messages are observed in the order they are submitted and the state file is written by one caller at a time.
public actor HavenService {
    private let engine: HavenEngine
    private let stateURL: URL

    /// Whether photos are checked: an image model was given (the app passes the bundled one, if any).
    public nonisolated let photoChecks: Bool

    /// Builds the engine, loads the image model if one is given (hundreds of milliseconds) and restores the
    /// state saved by the last run. Saved bytes Haven refuses (corrupt, or from an incompatible version) are
    /// dropped: the engine starts empty, and the next save replaces the file. Call it off the main thread.
    public init(config: EngineConfig, stateURL: URL, imageModel: ImageModelFiles?) throws {
        engine = try HavenEngine(config: config)
        self.stateURL = stateURL
        if let files = imageModel {
            try engine.loadImageModel(source: .path(path: files.model.path),
                                      manifestJson: String(contentsOf: files.manifest, encoding: .utf8))
            photoChecks = true
        } else {
            photoChecks = false
        }
        if let saved = try? Data(contentsOf: stateURL) {
            do {
                try engine.importState(state: saved)
            } catch HavenError.InvalidState {
                // Start empty, as documented above.
            }
        }
    }

    /// Tells Haven what the app knows about the contact of a conversation.
    public func setContact(_ conversationId: String, _ contact: ContactContext) throws {
        try engine.setContact(conversationId: conversationId, contact: contact)
    }

    /// Scores one message, in order, saves the state, and returns the conversation's assessment after it.
    public func observe(_ conversationId: String, _ message: Message) throws -> Assessment {
        let assessment = try engine.observe(conversationId: conversationId, message: message)
        try persist()
        return assessment
    }

    /// Checks a photo the teen is about to send, with the conversation in mind (one model run, tens of
    /// milliseconds). The check records nothing: observe the photo as an image attachment if the teen sends it.
    /// Nil without an image model.
    public func checkOutgoingPhoto(_ conversationId: String, _ photo: Data) throws -> ImageAssessment? {
        guard photoChecks else { return nil }
        return try engine.assessOutgoingImage(conversationId: conversationId, image: .encoded(bytes: photo))
    }

    /// The conversation's assessment as of its last message, or nil when the engine does not hold it.
    public func current(_ conversationId: String) throws -> Assessment? {
        do {
            return try engine.currentAssessment(conversationId: conversationId)
        } catch HavenError.UnknownConversation {
            return nil
        }
    }

    /// Writes `exportState()` atomically to Application Support, excluded from backups and readable only once
    /// the device has been unlocked since boot.
    private func persist() throws {
        let bytes = try engine.exportState()
        try FileManager.default.createDirectory(at: stateURL.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try bytes.write(to: stateURL, options: [.atomic, .completeFileProtectionUntilFirstUserAuthentication])
        var url = stateURL
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try url.setResourceValues(values)
    }
}
