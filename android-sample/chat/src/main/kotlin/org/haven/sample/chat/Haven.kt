// Opens the process's Haven engine with the state saved by the last run.
package org.haven.sample.chat

import uniffi.haven.EngineConfig
import uniffi.haven.HavenEngine
import uniffi.haven.HavenException

/** The process's engine together with the store its state is saved to. */
class Haven(val engine: HavenEngine, val store: StateStore) : AutoCloseable {
    /** Releases the engine's native memory. Call it only when no coroutine uses the engine any more. */
    override fun close() = engine.close()

    companion object {
        /**
         * Builds the engine and restores the state [store] holds. Blocking (file I/O, and the first engine of a
         * process compiles Haven's rule packs): call it off the main thread, once per process.
         *
         * Saved state that Haven refuses (corrupt, or written by an incompatible version) is dropped: the engine
         * starts empty, which is safe, and the next save replaces the file.
         */
        fun open(config: EngineConfig, store: StateStore): Haven {
            val engine = HavenEngine(config)
            store.load()?.let { saved ->
                try {
                    engine.importState(saved)
                } catch (e: HavenException.InvalidState) {
                    // Fall through with an empty engine, as documented above.
                }
            }
            return Haven(engine, store)
        }
    }
}

