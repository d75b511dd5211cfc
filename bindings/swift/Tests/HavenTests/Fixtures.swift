// Reads the repository's conversation fixtures (fixtures/conversations/*.json) for the XCTest suite, so Swift is
// tested on the same data as the Python and Kotlin suites.
import Foundation
import Haven

/// The repository's root: HAVEN_REPO when scripts/test-swift.sh runs the suite on Linux (its package reaches these
/// files through a symlink), else found from this file's path, bindings/swift/Tests/HavenTests/Fixtures.swift.
let repoRoot: URL = ProcessInfo.processInfo.environment["HAVEN_REPO"].map { URL(fileURLWithPath: $0) }
    ?? URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // HavenTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // swift
        .deletingLastPathComponent()  // bindings
        .deletingLastPathComponent()

/// One conversation fixture, as written by fixtures/conversations/*.json (see docs/fixtures.md).
struct Fixture: Decodable {
    struct User: Decodable {
        let age: UInt8?
        let region: String
    }

    struct Contact: Decodable {
        let new_contact: Bool?
        let mutual_connections: UInt32?
        let account_age_days: UInt32?
        let known_for_days: UInt32?
    }

    struct Line: Decodable {
        let from: String
        let text: String
        let t: Int64
        let attachments: [String]?
    }

    struct Expect: Decodable {
        let label: String
        let min_level: String?
        let max_level: String?
    }

    let id: String
    let user: User
    let contact: Contact?
    let messages: [Line]
    let expect: Expect

    static func load(_ id: String) throws -> Fixture {
        let url = repoRoot.appendingPathComponent("fixtures/conversations/\(id).json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    var config: EngineConfig {
        EngineConfig(userAge: user.age, region: user.region, languages: ["en"], sensitivity: nil, maxConversations: 1000)
    }

    var contactContext: ContactContext? {
        contact.map {
            ContactContext(
                newContact: $0.new_contact ?? false,
                mutualConnections: $0.mutual_connections,
                accountAgeDays: $0.account_age_days,
                knownForDays: $0.known_for_days
            )
        }
    }

    /// The fixture's messages as Haven messages; `t` is in seconds.
    var havenMessages: [Message] {
        messages.map { line in
            Message(
                direction: line.from == "user" ? .fromUser : .fromContact,
                text: line.text,
                timestampMs: line.t * 1000,
                attachments: (line.attachments ?? []).map { $0 == "image" ? .image : .other }
            )
        }
    }

    /// Observes every message in order and returns each assessment.
    func play(on engine: HavenEngine, as conversationId: String? = nil) throws -> [Assessment] {
        let conversation = conversationId ?? id
        if let context = contactContext {
            try engine.setContact(conversationId: conversation, contact: context)
        }
        return try havenMessages.map { try engine.observe(conversationId: conversation, message: $0) }
    }
}

/// Levels in their documented order, for comparisons.
func rank(_ level: Level) -> Int {
    [Level.none, .low, .medium, .high, .critical].firstIndex(of: level)!
}

func rank(_ word: String) -> Int {
    ["none", "low", "medium", "high", "critical"].firstIndex(of: word)!
}

