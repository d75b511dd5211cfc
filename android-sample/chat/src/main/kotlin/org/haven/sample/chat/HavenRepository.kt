// The one place the sample talks to the Haven SDK: every call runs on a background dispatcher.
package org.haven.sample.chat

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import uniffi.haven.Assessment
import uniffi.haven.Attachment
import uniffi.haven.ContactContext
import uniffi.haven.Direction
import uniffi.haven.HavenEngineInterface
import uniffi.haven.HavenException
import uniffi.haven.ImageAssessment
import uniffi.haven.ImageInput
import uniffi.haven.Message

/**
 * Haven as the app sees it: observe each message, check photos before they are sent, and save the engine's
 * state after each change so it survives restarts ([Haven.open] restores it).
 *
 * Every function suspends and runs the SDK call on [sdkDispatcher] (default: [Dispatchers.Default]) and file I/O
 * on [ioDispatcher], so callers on the main thread never block. Text calls cost microseconds, but image checks
 * take tens of milliseconds and state export grows with the number of conversations, so the sample moves all of
 * them off the caller's thread alike.
 *
 * The repository does not own [engine]: whoever created it (one per process, see `HavenApp` in the app module)
 * closes it.
 */
class HavenRepository(
    private val engine: HavenEngineInterface,
    private val store: StateStore,
    private val sdkDispatcher: CoroutineDispatcher = Dispatchers.Default,
    private val ioDispatcher: CoroutineDispatcher = Dispatchers.IO,
) {
    /** Saves the engine's state (derived evidence only, never message text) to the [StateStore]. */
    suspend fun persist() {
        val bytes = withContext(sdkDispatcher) { engine.exportState() }
        withContext(ioDispatcher) { store.save(bytes) }
    }

    /** Tells Haven what the app knows about the contact of a conversation. */
    suspend fun setContact(conversationId: String, contact: ContactContext) =
        withContext(sdkDispatcher) { engine.setContact(conversationId, contact) }

    /** Scores one message of a conversation, in order, and returns the conversation's assessment after it. */
    suspend fun observe(conversationId: String, sender: Sender, text: String, timestampMs: Long, withImage: Boolean): Assessment {
        val message = Message(
            direction = if (sender == Sender.TEEN) Direction.FROM_USER else Direction.FROM_CONTACT,
            text = text,
            timestampMs = timestampMs,
            attachments = if (withImage) listOf(Attachment.IMAGE) else emptyList(),
        )
        return withContext(sdkDispatcher) { engine.observe(conversationId, message) }
    }

    /**
     * Checks a photo the teen is about to send, in the context of the conversation (one model run, tens of
     * milliseconds). The check records nothing: the caller reports the photo with [observe] (as an image
     * attachment) if and when the teen sends it. Returns null when no image model is loaded.
     */
    suspend fun checkOutgoingPhoto(conversationId: String, bytes: ByteArray): ImageAssessment? =
        withContext(sdkDispatcher) {
            try {
                engine.assessOutgoingImage(conversationId, ImageInput.Encoded(bytes))
            } catch (e: HavenException.NoImageModel) {
                null
            }
        }

    /** The conversation's assessment as of its last message, or null when the engine does not hold it. */
    suspend fun current(conversationId: String): Assessment? = withContext(sdkDispatcher) {
        try {
            engine.currentAssessment(conversationId)
        } catch (e: HavenException.UnknownConversation) {
            null
        }
    }
}
