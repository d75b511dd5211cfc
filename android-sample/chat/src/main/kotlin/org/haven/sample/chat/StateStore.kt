// Where the sample keeps Haven's exported state between app launches: a file in app-private storage.
package org.haven.sample.chat

import java.io.File
import java.io.IOException

/** Persists the bytes of `HavenEngine.exportState()`. Implementations do blocking I/O: call them off the main thread. */
interface StateStore {
    /** The last saved bytes, or null when nothing was saved yet. */
    fun load(): ByteArray?

    /** Replaces the saved bytes. */
    fun save(bytes: ByteArray)
}

/**
 * A [StateStore] backed by one file, for example `File(context.filesDir, "haven.state")` on Android (app-private,
 * excluded from nothing else: add it to your backup rules' exclusions if you do not want it in cloud backups).
 *
 * Writes go to a sibling temporary file that is then renamed over the target, so a crash mid-write leaves the
 * previous state intact. Blocking I/O.
 */
class FileStateStore(private val file: File) : StateStore {
    override fun load(): ByteArray? = if (file.isFile) file.readBytes() else null

    override fun save(bytes: ByteArray) {
        file.parentFile?.mkdirs()
        val partial = File(file.parentFile, file.name + ".partial")
        partial.writeBytes(bytes)
        if (!partial.renameTo(file)) {
            // renameTo does not replace an existing file on every platform: replace it explicitly.
            if (!file.delete() || !partial.renameTo(file)) throw IOException("could not replace $file")
        }
    }
}
