// The sample's SDK-facing module: repository and view model, free of Android UI types. An Android library here
// only so it can depend on Haven's AAR; its JUnit tests run on the JVM with Maven (chat/pom.xml, through
// scripts/test-samples.sh) against the host build of libhaven, which Android's local unit tests cannot load.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "org.haven.sample.chat"
    compileSdk = 35
    defaultConfig {
        minSdk = 24
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    testOptions {
        // See the header: the tests need the desktop JNA and libhaven, so Maven runs them.
        unitTests.all { it.enabled = false }
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    api("org.haven:haven-android:0.1.0")
    api("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.10.2")
}
