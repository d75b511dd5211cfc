// The scripted conversations the sample plays, so the app can be tried without a chat backend.
package org.haven.sample.chat

/**
 * One scripted message.
 *
 * @property atSeconds when it is sent, in seconds from the start of the conversation.
 * @property withImage the message carries a photo (the sample sends no real photo for the contact's lines).
 */
data class ScriptLine(val sender: Sender, val text: String, val atSeconds: Long, val withImage: Boolean = false)

/**
 * A scripted contact: who they are as far as the app knows, and what is said. The app plays the contact's
 * lines; the teen's lines show what a teen might answer and let the tests walk the whole conversation.
 */
data class Script(
    val conversationId: String,
    val contactName: String,
    val newContact: Boolean,
    val mutualConnections: UInt,
    val accountAgeDays: UInt,
    val lines: List<ScriptLine>,
)

/** The two conversations the sample ships: a financial sextortion script and an ordinary chat with a friend. */
object Scripts {
    private fun contact(at: Long, text: String, withImage: Boolean = false) = ScriptLine(Sender.CONTACT, text, at, withImage)
    private fun teen(at: Long, text: String, withImage: Boolean = false) = ScriptLine(Sender.TEEN, text, at, withImage)

    /**
     * The common financial sextortion script (a stranger, flattery, a move to another app, an image request, then
     * leverage, threats and a gift-card demand with a countdown). Worded as these messages are reported, nothing
     * graphic.
     */
    val sextortion = Script(
        conversationId = "sample-emma",
        contactName = "emma.rose",
        newContact = true,
        mutualConnections = 0u,
        accountAgeDays = 3u,
        lines = listOf(
            contact(0, "hiii sorry random but u popped up on my suggested"),
            teen(50, "lol hey"),
            contact(80, "im emma, just moved here so i dont really know anyone yet"),
            contact(160, "ur really cute btw"),
            contact(260, "i barely use insta tbh, add my snap?"),
            teen(300, "added"),
            contact(600, "u seem so mature for ur age. u ever trade pics?"),
            contact(680, "ill send first so its fair"),
            teen(900, "ok", withImage = true),
            contact(960, "lol u really fell for it"),
            contact(975, "i screenshotted ur followers. i know ur school and who ur mom is"),
            contact(990, "if u dont want this sent to every one of them ur gonna pay me rn"),
            teen(1010, "what?? please delete it"),
            contact(1030, "\$300 in apple gift cards. send me pics of the codes"),
            contact(1040, "u got 15 minutes or i post it everywhere"),
            teen(1100, "i dont have that much im 15"),
            contact(1120, "then go ask ur parents idc"),
            contact(1320, "fine send \$50 then and ill delete everything. clock is ticking"),
        ),
    )

    /** A friend from school talking about a ramen place, with a photo of the food: Haven should stay silent. */
    val friend = Script(
        conversationId = "sample-sam",
        contactName = "sam",
        newContact = false,
        mutualConnections = 60u,
        accountAgeDays = 1400u,
        lines = listOf(
            contact(0, "how was the new ramen place"),
            teen(30, "insane. look at this", withImage = true),
            contact(50, "ok im jealous. how much was it"),
            teen(60, "like 16 bucks"),
            contact(70, "we r going friday no excuses"),
            teen(90, "bet"),
        ),
    )
}
