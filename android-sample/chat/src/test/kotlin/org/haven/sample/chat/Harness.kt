// Test scaffolding: a Haven engine on the host library, a state file in a temporary folder, a fake clock, and an
// engine wrapper that records which thread each SDK call ran on.
package org.haven.sample.chat

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.ExecutorCoroutineDispatcher
import kotlinx.coroutines.asCoroutineDispatcher
import uniffi.haven.Assessment
import uniffi.haven.ContactContext
import uniffi.haven.EngineConfig
import uniffi.haven.HavenEngineInterface
import uniffi.haven.ImageAssessment
import uniffi.haven.ImageInput
import uniffi.haven.Message
import java.io.File
import java.nio.file.Path
import java.util.Collections
import java.util.concurrent.Executors

/** The current thread's name without the coroutine suffix kotlinx.coroutines adds in debug mode (tests run with -ea). */
fun threadName(): String = Thread.currentThread().name.substringBefore(" @coroutine")

/** Delegates to a real engine and records the name of the thread each call ran on. */
class ThreadRecordingEngine(private val real: HavenEngineInterface) : HavenEngineInterface by real {
    val threads: MutableList<String> = Collections.synchronizedList(mutableListOf())

    private fun <T> recorded(call: () -> T): T {
        threads += threadName()
        return call()
    }

    override fun observe(conversationId: String, message: Message): Assessment = recorded { real.observe(conversationId, message) }
    override fun setContact(conversationId: String, contact: ContactContext) = recorded { real.setContact(conversationId, contact) }
    override fun currentAssessment(conversationId: String): Assessment = recorded { real.currentAssessment(conversationId) }
    override fun exportState(): ByteArray = recorded { real.exportState() }
    override fun importState(state: ByteArray) = recorded { real.importState(state) }
    override fun assessOutgoingImage(conversationId: String?, image: ImageInput): ImageAssessment =
        recorded { real.assessOutgoingImage(conversationId, image) }
}

/**
 * One "launch" of the sample app: an engine opened from the state file in [dir], a repository whose SDK calls run
 * on a named worker thread, and a view model for [script] in [scope].
 */
class AppRun(dir: Path, val script: Script, scope: CoroutineScope, model: ModelFiles? = null) : AutoCloseable {
    val stateFile: File = dir.resolve("haven-state.bin").toFile()
    val haven = Haven.open(CONFIG, FileStateStore(stateFile), model)
    val engine = ThreadRecordingEngine(haven.engine)
    private val worker: ExecutorCoroutineDispatcher =
        Executors.newSingleThreadExecutor { Thread(it, SDK_THREAD) }.asCoroutineDispatcher()
    var now = BASE_MS
    val repository = HavenRepository(engine, haven.store, sdkDispatcher = worker, ioDispatcher = worker)
    val viewModel = ChatViewModel(repository, script, scope, clock = { now }, contactGapMs = 0)

    /**
     * Plays the script's lines up to [until] (exclusive) through the view model, as the scripted contact and a
     * teen would, waiting for each to be observed. The teen's photo lines send [photo].
     */
    suspend fun play(until: Int = script.lines.size, photo: ByteArray = BENIGN_PHOTO, after: (ScriptLine) -> Unit = {}) {
        for (line in script.lines.take(until)) {
            now = BASE_MS + line.atSeconds * 1000
            when {
                line.sender == Sender.CONTACT -> viewModel.receive(line.text, line.withImage).join()
                line.withImage -> viewModel.sendPhoto(photo).join()
                else -> viewModel.send(line.text).join()
            }
            after(line)
        }
    }

    override fun close() {
        worker.close()
        haven.close()
    }

    companion object {
        const val SDK_THREAD = "haven-sdk-worker"
        const val BASE_MS = 1_764_000_000_000L
        val CONFIG = EngineConfig(userAge = 15u, region = "US", languages = listOf("en"), sensitivity = null, maxConversations = 100u)

        /** A tiny synthetic model from fixtures/models/ (see tools/image/gen_synthetic_models.py) and its manifest. */
        fun syntheticModel(name: String): ModelFiles {
            val dir = File(System.getProperty("haven.fixtures"), "models")
            return ModelFiles(dir.resolve("$name.onnx").readBytes(), dir.resolve("$name.json").readText())
        }

        /** A real benign photo from the repository's fixtures (a cat). */
        val BENIGN_PHOTO: ByteArray = File(System.getProperty("haven.fixtures"), "images/chelsea_cat.jpg").readBytes()
    }
}
