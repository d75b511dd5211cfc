// Everything the conversation screen draws, as one immutable value.
package org.haven.sample.chat

/**
 * A photo Haven asked the teen to think twice about: held back until the teen sends it anyway or drops it.
 */
class PendingPhoto(val bytes: ByteArray, val card: InterventionCard)

/**
 * The conversation screen's state.
 *
 * @property card the intervention to show above the composer, if any (the latest one Haven asked for).
 * @property pendingPhoto a photo waiting for the teen's decision, with the card explaining why.
 * @property checkingPhoto a photo check is running (the UI disables the photo button meanwhile).
 * @property blocked the teen blocked the contact from a card: the script stops and the composer is disabled.
 */
data class ChatUiState(
    val contactName: String,
    val items: List<ChatItem> = emptyList(),
    val card: InterventionCard? = null,
    val pendingPhoto: PendingPhoto? = null,
    val checkingPhoto: Boolean = false,
    val blocked: Boolean = false,
)
