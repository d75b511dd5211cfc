// The conversation screen's logic: plays the scripted contact, sends the teen's messages and photos through
// Haven, and turns assessments into cards. The same behaviour as the Android sample's ChatViewModel.
import Foundation
import Haven

/// One line of the conversation screen.
struct ChatItem: Identifiable {
    let id: Int
    let sender: Sender
    let text: String
    var photo: Data?
}

/// Logic of the sample's one conversation. Main-actor state for SwiftUI; every Haven call is awaited on the
/// `HavenService` actor, off the main thread.
@MainActor
final class ChatModel: ObservableObject {
    @Published private(set) var items: [ChatItem] = []
    /// The intervention to show, if any (the latest one Haven asked for; a crisis card stays until dismissed).
    @Published private(set) var card: Intervention?
    @Published private(set) var blocked = false
    /// A photo Haven asked the teen to think twice about, held until they send it anyway or drop it.
    @Published private(set) var pendingPhoto: Data?

    let script: Script
    private let haven: HavenService
    private var nextId = 0
    private var playback: Task<Void, Never>?

    init(script: Script, haven: HavenService) {
        self.script = script
        self.haven = haven
    }

    /// Shows where a restored conversation stands (Haven keeps no message text, so it comes back as its card
    /// only), or starts playing the scripted contact.
    func start(contactGap: Duration = .seconds(2.5)) {
        playback = Task {
            if let known = try? await haven.current(script.conversationId) {
                add(.system, "Conversation restored. Haven remembers the risk, not the messages.")
                show(known)
                return
            }
            try? await haven.setContact(script.conversationId, ContactContext(
                newContact: script.newContact, mutualConnections: script.mutualConnections,
                accountAgeDays: script.accountAgeDays, knownForDays: nil))
            for line in script.lines where line.sender == .contact {
                try? await Task.sleep(for: contactGap)
                if Task.isCancelled { return }
                await record(.contact, line.text, withImage: line.withImage)
            }
        }
    }

    func stop() {
        playback?.cancel()
    }

    /// The teen sends a text message.
    func send(_ text: String) {
        Task { await record(.teen, text, withImage: false) }
    }

    /// The teen picked a photo. Haven checks it first (on the service actor): a photo it wants the teen to think
    /// twice about is held in `pendingPhoto` with its card, others are sent at once (also without an image model).
    /// A sent photo is observed as an image attachment, which is when Haven records it, with the check's verdict.
    func sendPhoto(_ data: Data) {
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
    func sendPendingPhotoAnyway() {
        guard let photo = pendingPhoto else { return }
        pendingPhoto = nil
        card = nil
        Task { await record(.teen, "", withImage: true, photo: photo) }
    }

    /// The teen decided not to send the held photo.
    func discardPendingPhoto() {
        pendingPhoto = nil
        card = nil
    }

    func dismissCard() {
        card = nil
    }

    /// The teen tapped one of the card's actions. No backend here: blocking stops the script and the composer.
    func act(_ action: Action) {
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
            timestampMs: Int64(Date().timeIntervalSince1970 * 1000),
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
