// Plugin versions for the sample's modules; keep them equal to bindings/android/build.gradle.kts.
plugins {
    id("com.android.application") version "8.7.3" apply false
    id("com.android.library") version "8.7.3" apply false
    id("org.jetbrains.kotlin.android") version "2.1.21" apply false
}
