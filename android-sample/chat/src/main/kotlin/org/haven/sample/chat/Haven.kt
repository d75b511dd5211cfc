// Opens the process's Haven engine: configuration, image model and the state saved by the last run.
package org.haven.sample.chat

import uniffi.haven.EngineConfig
import uniffi.haven.HavenEngine
import uniffi.haven.HavenException
import uniffi.haven.ModelSource

/**
 * The process's engine together with the store its state is saved to.
 *
 * @property photoChecks an image model is loaded, so photos are checked before they are sent.
 */
class Haven(val engine: HavenEngine, val store: StateStore, val photoChecks: Boolean) : AutoCloseable {
    /** Releases the engine's native memory. Call it only when no coroutine uses the engine any more. */
    override fun close() = engine.close()

    companion object {
        /**
         * Builds the engine, loads [model] when given and restores the state [store] holds. Blocking (the model
         * load takes hundreds of milliseconds): call it off the main thread, once per process.
         *
         * Saved state that Haven refuses (corrupt, or written by an incompatible version) is dropped: the engine
         * starts empty, which is safe, and the next save replaces the file.
         */
        fun open(config: EngineConfig, store: StateStore, model: ModelFiles? = null): Haven {
            val engine = HavenEngine(config)
            model?.let { engine.loadImageModel(ModelSource.Bytes(it.model), it.manifestJson) }
            store.load()?.let { saved ->
                try {
                    engine.importState(saved)
                } catch (e: HavenException.InvalidState) {
                    // Fall through with an empty engine, as documented above.
                }
            }
            return Haven(engine, store, photoChecks = model != null)
        }
    }
}


/** An image model for Haven's photo checks: the `.onnx` file's bytes and its manifest (JSON text). */
class ModelFiles(val model: ByteArray, val manifestJson: String)
