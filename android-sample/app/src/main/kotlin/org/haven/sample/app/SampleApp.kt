// The sample's Application: owns the process's one Haven engine.
package org.haven.sample.app

import android.app.Application
import org.haven.sample.chat.FileStateStore
import org.haven.sample.chat.Haven
import org.haven.sample.chat.ModelFiles
import uniffi.haven.EngineConfig
import java.io.File
import java.util.Locale

/**
 * Holds the one Haven engine of the process. It lives as long as the process: Android kills processes without
 * notice, so the sample never relies on `close()` here and instead saves Haven's state after every message.
 */
class SampleApp : Application() {
    /**
     * The engine with its image model and restored state. Built on first access, which blocks for the model load
     * (hundreds of milliseconds) and the state import: touch it only from a background thread.
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
        Haven.open(config, FileStateStore(File(filesDir, "haven-state.bin")), bundledModel())
    }


    /** The model copied into the APK's assets by the build, or null when the developer did not fetch it. */
    private fun bundledModel(): ModelFiles? {
        val names = assets.list("models")?.toSet().orEmpty()
        if (MODEL !in names || MANIFEST !in names) return null
        return ModelFiles(
            model = assets.open("models/$MODEL").use { it.readBytes() },
            manifestJson = assets.open("models/$MANIFEST").use { it.readBytes().decodeToString() },
        )
    }

    private companion object {
        const val MODEL = "nudenet-320n.onnx"
        const val MANIFEST = "nudenet-320n.json"
    }
}
