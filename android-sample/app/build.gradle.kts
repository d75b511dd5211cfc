// The sample app: one conversation screen built from framework views (no AndroidX, so it also compile-checks
// against android-all from Maven Central). Photo checks use the NudeNet model that scripts/fetch-models.sh puts
// in ../../models; it is copied into the APK's assets at build time and never committed.
plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

val modelAssets = layout.buildDirectory.dir("generated/havenModel")

android {
    namespace = "org.haven.sample.app"
    compileSdk = 35

    defaultConfig {
        applicationId = "org.haven.sample"
        minSdk = 24
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
    }

    sourceSets["main"].assets.srcDir(modelAssets)

    buildTypes {
        release {
            // R8 on: Haven's AAR brings the keep rules JNA and the generated bindings need.
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"))
            signingConfig = signingConfigs.getByName("debug")
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    packaging {
        // Native libraries stay uncompressed and 16 KB-aligned in the APK.
        jniLibs.useLegacyPackaging = false
    }
}

kotlin {
    jvmToolchain(17)
}

// The model and its manifest go under assets/models/. Without them the app still runs, with photo checks off.
val copyHavenModel by tasks.registering(Copy::class) {
    // scripts/fetch-models.sh writes both files there.
    from(rootDir.resolve("../models")) { include("nudenet-320n.onnx", "nudenet-320n.json") }
    into(modelAssets.map { it.dir("models") })
}
tasks.named("preBuild") { dependsOn(copyHavenModel) }

dependencies {
    implementation(project(":chat"))
    // Dispatchers.Main for the Activity's coroutine scope.
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.10.2")
}
