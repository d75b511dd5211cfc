// Gradle settings for Haven's Android library (the AAR). Built on its own, or included by an app's build with
// `includeBuild("path/to/haven/bindings/android")`, which substitutes the `org.haven:haven-android` dependency.
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

rootProject.name = "haven-android"
