// The sample's Application: owns the process's one Haven engine.
package org.haven.sample.app

import android.app.Application
import org.haven.sample.chat.FileStateStore
import org.haven.sample.chat.Haven
import uniffi.haven.EngineConfig
import java.io.File
import java.util.Locale

/**
 * Holds the one Haven engine of the process. It lives as long as the process: Android kills processes without
 * notice, so the sample never relies on `close()` here and instead saves Haven's state after every message.
 */
class SampleApp : Application() {
    /**
     * The engine with its restored state. Built on first access, which blocks on the state file and, for the first
     * engine of the process, on compiling Haven's rule packs: touch it only from a background thread.
     */
    val haven: Haven by lazy {
        val locale = Locale.getDefault()
        val config = EngineConfig(
            userAge = null,
            // Help resources follow the device's region; Haven falls back to worldwide ones for unlisted regions.
            region = locale.country.takeIf { it.length == 2 } ?: "US",
            languages = listOf(locale.toLanguageTag(), "en"),
            sensitivity = null,
            maxConversations = 1000u,
        )
        Haven.open(config, FileStateStore(File(filesDir, "haven-state.bin")))
    }

}
