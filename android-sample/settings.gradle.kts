// Gradle settings of the Android sample, for Android Studio. Haven's AAR module is included as a composite
// build, so `org.haven:haven-android` resolves to ../bindings/android built from source.
// Before the first build: scripts/build-android.sh (native libraries and generated Kotlin).
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "haven-android-sample"
includeBuild("../bindings/android")
include(":chat", ":app")
