// The scripted conversations the iOS sample plays (the same two as the Android sample), so the app can be tried
// without a chat backend.
import Foundation

public enum Sender { case contact, teen, system }

/// One scripted message; `at` is seconds from the start of the conversation.
public struct ScriptLine {
    public let sender: Sender
    public let text: String
    public let at: Int64
    public var withImage = false
}

/// A scripted contact: what the app knows about them, and what is said.
public struct Script {
    public let conversationId: String
    public let contactName: String
    public let newContact: Bool
    public let mutualConnections: UInt32
    public let accountAgeDays: UInt32
    public let lines: [ScriptLine]

    /// The common financial sextortion script, worded as these messages are reported, nothing graphic.
    public static let sextortion = Script(
        conversationId: "sample-emma", contactName: "emma.rose", newContact: true, mutualConnections: 0,
        accountAgeDays: 3,
        lines: [
            ScriptLine(sender: .contact, text: "hiii sorry random but u popped up on my suggested", at: 0),
            ScriptLine(sender: .teen, text: "lol hey", at: 50),
            ScriptLine(sender: .contact, text: "im emma, just moved here so i dont really know anyone yet", at: 80),
            ScriptLine(sender: .contact, text: "ur really cute btw", at: 160),
            ScriptLine(sender: .contact, text: "i barely use insta tbh, add my snap?", at: 260),
            ScriptLine(sender: .teen, text: "added", at: 300),
            ScriptLine(sender: .contact, text: "u seem so mature for ur age. u ever trade pics?", at: 600),
            ScriptLine(sender: .contact, text: "ill send first so its fair", at: 680),
            ScriptLine(sender: .teen, text: "ok", at: 900, withImage: true),
            ScriptLine(sender: .contact, text: "lol u really fell for it", at: 960),
            ScriptLine(sender: .contact, text: "i screenshotted ur followers. i know ur school and who ur mom is", at: 975),
            ScriptLine(sender: .contact, text: "if u dont want this sent to every one of them ur gonna pay me rn", at: 990),
            ScriptLine(sender: .teen, text: "what?? please delete it", at: 1010),
            ScriptLine(sender: .contact, text: "$300 in apple gift cards. send me pics of the codes", at: 1030),
            ScriptLine(sender: .contact, text: "u got 15 minutes or i post it everywhere", at: 1040),
            ScriptLine(sender: .teen, text: "i dont have that much im 15", at: 1100),
            ScriptLine(sender: .contact, text: "then go ask ur parents idc", at: 1120),
            ScriptLine(sender: .contact, text: "fine send $50 then and ill delete everything. clock is ticking", at: 1320),
        ]
    )

    /// A friend from school talking about a ramen place, with a photo of the food: Haven should stay silent.
    public static let friend = Script(
        conversationId: "sample-sam", contactName: "sam", newContact: false, mutualConnections: 60,
        accountAgeDays: 1400,
        lines: [
            ScriptLine(sender: .contact, text: "how was the new ramen place", at: 0),
            ScriptLine(sender: .teen, text: "insane. look at this", at: 30, withImage: true),
            ScriptLine(sender: .contact, text: "ok im jealous. how much was it", at: 50),
            ScriptLine(sender: .teen, text: "like 16 bucks", at: 60),
            ScriptLine(sender: .contact, text: "we r going friday no excuses", at: 70),
            ScriptLine(sender: .teen, text: "bet", at: 90),
        ]
    )
}
