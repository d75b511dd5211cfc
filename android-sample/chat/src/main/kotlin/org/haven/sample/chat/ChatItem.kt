// One line of the sample's conversation screen, as plain data the UI renders.
package org.haven.sample.chat

/** Who wrote a chat line. */
enum class Sender { CONTACT, TEEN, SYSTEM }

/**
 * One line of the conversation screen. Plain data: the UI layer turns it into views.
 *
 * @property imageBytes the encoded photo when the line carries one (only the teen sends photos in the sample).
 */
data class ChatItem(
    val id: Long,
    val sender: Sender,
    val text: String,
    val timestampMs: Long,
    val imageBytes: ByteArray? = null,
) {
    // ByteArray has identity equality; compare by id, which is unique per screen.
    override fun equals(other: Any?): Boolean = other is ChatItem && other.id == id
    override fun hashCode(): Int = id.hashCode()
}
