// The conversation screen's logic, free of SwiftUI and Combine so it compiles and is tested on Linux: plays the
// scripted contact, sends the teen's messages and photos through Haven, and turns assessments into cards. The same
// behaviour as the Android sample's ChatViewModel.
import Foundation
import Haven

/// One line of the conversation screen.
public struct ChatItem: Identifiable, Equatable {
    public let id: Int
    public let sender: Sender
    public let text: String
    public var photo: Data?
}

/// Logic of the sample's one conversation. Main-actor state for the UI, which `onWillChange` tells about every
/// change (the app's SwiftUI adapter republishes it); every Haven call is awaited on the `HavenService` actor, off
/// the main thread.
@MainActor
public final class ChatModel {
    public private(set) var items: [ChatItem] = [] { willSet { onWillChange?() } }
    /// The intervention to show, if any (the latest one Haven asked for; a crisis card stays until dismissed).
    public private(set) var card: Intervention? { willSet { onWillChange?() } }
    public private(set) var blocked = false { willSet { onWillChange?() } }
    /// A photo Haven asked the teen to think twice about, held until they send it anyway or drop it.
    public private(set) var pendingPhoto: Data? { willSet { onWillChange?() } }
    /// Called on the main actor before any of the state above changes.
    public var onWillChange: (() -> Void)?

    public let script: Script
    private let haven: HavenService
    private let clock: () -> Int64
    private var nextId = 0
    private var playback: Task<Void, Never>?

    /// `clock` gives message times in milliseconds since the epoch (the wall clock by default; tests pass the
    /// script's own times).
    public init(script: Script, haven: HavenService,
                clock: @escaping () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        self.script = script
        self.haven = haven
        self.clock = clock
    }

    /// Shows where a restored conversation stands (Haven keeps no message text, so it comes back as its card
    /// only), or starts playing the scripted contact, one line every `contactGap` seconds.
    @discardableResult
    public func start(contactGap: Double = 2.5) -> Task<Void, Never> {
        let task = Task {
            if let known = try? await haven.current(script.conversationId) {
                add(.system, "Conversation restored. Haven remembers the risk, not the messages.")
                show(known)
                return
            }
            try? await haven.setContact(script.conversationId, ContactContext(
                newContact: script.newContact, mutualConnections: script.mutualConnections,
                accountAgeDays: script.accountAgeDays, knownForDays: nil))
            guard contactGap > 0 else { return }
            for line in script.lines where line.sender == .contact {
                try? await Task.sleep(nanoseconds: UInt64(contactGap * 1e9))
                if Task.isCancelled { return }
                await receive(line.text, withImage: line.withImage)
            }
        }
        playback = task
        return task
    }

    public func stop() {
        playback?.cancel()
    }

    /// A message from the contact arrived.
    public func receive(_ text: String, withImage: Bool) async {
        await record(.contact, text, withImage: withImage)
    }

    /// The teen sends a text message.
    @discardableResult
    public func send(_ text: String) -> Task<Void, Never> {
        Task { await record(.teen, text, withImage: false) }
    }

    /// The teen picked a photo. Haven checks it first (on the service actor): a photo it wants the teen to think
    /// twice about is held in `pendingPhoto` with its card, others are sent at once (also without an image model).
    /// A sent photo is observed as an image attachment, which is when Haven records it, with the check's verdict.
    @discardableResult
    public func sendPhoto(_ data: Data) -> Task<Void, Never> {
        Task {
            if let check = try? await haven.checkOutgoingPhoto(script.conversationId, data),
               check.pause && check.intervention.kind != .none {
                pendingPhoto = data
                card = check.intervention
            } else {
                await record(.teen, "", withImage: true, photo: data)
            }
        }
    }

    /// The teen read the card and sends the held photo anyway: their choice.
    @discardableResult
    public func sendPendingPhotoAnyway() -> Task<Void, Never>? {
        guard let photo = pendingPhoto else { return nil }
        pendingPhoto = nil
        card = nil
        return Task { await record(.teen, "", withImage: true, photo: photo) }
    }

    /// The teen decided not to send the held photo.
    public func discardPendingPhoto() {
        pendingPhoto = nil
        card = nil
    }

    public func dismissCard() {
        card = nil
    }

    /// The teen tapped one of the card's actions. No backend here: blocking stops the script and the composer.
    public func act(_ action: Action) {
        switch action {
        case .block:
            playback?.cancel()
            blocked = true
            add(.system, "You blocked \(script.contactName). They can't message you any more.")
        case .report:
            add(.system, "Reported. A real app sends the report to its safety team.")
        case .saveEvidence:
            add(.system, "Screenshots saved. Keep them: they help the police and removal services.")
        case .dontSend:
            discardPendingPhoto()
            add(.system, "Good call. You never have to send anything you don't want to.")
        default:
            break
        }
    }

    private func record(_ sender: Sender, _ text: String, withImage: Bool, photo: Data? = nil) async {
        add(sender, text, photo: photo)
        let message = Message(
            direction: sender == .teen ? .fromUser : .fromContact,
            text: text,
            timestampMs: clock(),
            attachments: withImage ? [.image] : []
        )
        if let assessment = try? await haven.observe(script.conversationId, message) {
            show(assessment)
        }
    }

    private func show(_ assessment: Assessment) {
        let next = assessment.intervention
        guard next.kind != .none else { return }
        // Help stays on screen: a lighter card never replaces a crisis card the teen has not dismissed.
        if card?.kind == .crisis && next.kind != .crisis { return }
        card = next
    }

    private func add(_ sender: Sender, _ text: String, photo: Data? = nil) {
        items.append(ChatItem(id: nextId, sender: sender, text: text, photo: photo))
        nextId += 1
    }
}
