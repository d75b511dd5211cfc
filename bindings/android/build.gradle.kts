// Haven's Android library module: packages the UniFFI-generated Kotlin bindings, libhaven.so for each ABI and
// the JNA dependency into one AAR (`org.haven:haven-android`).
//
// Inputs, both produced by `scripts/build-android.sh` from the same sources:
//   src/main/jniLibs/<abi>/libhaven.so     release, stripped, 16 KB-aligned (arm64-v8a, armeabi-v7a, x86_64)
//   ../../target/bindings/kotlin/          the generated Kotlin (package uniffi.haven)
// Build: scripts/build-android.sh && (cd bindings/android && gradle assembleRelease)
//   -> build/outputs/aar/haven-android-release.aar
plugins {
    id("com.android.library") version "8.7.3"
    id("org.jetbrains.kotlin.android") version "2.1.21"
    `maven-publish`
}

group = "org.haven"
version = "0.1.0"

// The cargo target directory; pass -Phaven.target=/path when CARGO_TARGET_DIR points elsewhere.
val cargoTarget = (findProperty("haven.target") as String?)?.let(::file) ?: rootDir.resolve("../../target")
val generatedKotlin = cargoTarget.resolve("bindings/kotlin")
val jniLibs = file("src/main/jniLibs")

android {
    namespace = "org.haven"
    compileSdk = 35

    defaultConfig {
        // Matches ANDROID_API in scripts/build-android.sh.
        minSdk = 24
        // Shipped inside the AAR and applied by R8 in every consuming app: keeps JNA and the generated classes.
        consumerProguardFiles("consumer-rules.pro")
    }

    sourceSets["main"].java.srcDir(generatedKotlin)

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    packaging {
        // Stored uncompressed and page-aligned in the APK, so the 16 KB-aligned .so loads in place.
        jniLibs.useLegacyPackaging = false
    }

    publishing {
        singleVariant("release") {
            withSourcesJar()
        }
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    // The AAR flavour of JNA carries libjnidispatch.so for every Android ABI. 5.17.0 is the first release whose
    // libjnidispatch.so is 16 KB-aligned. `api`: the generated classes expose JNA types.
    api("net.java.dev.jna:jna:5.17.0@aar")
}

// Fail early with the fix, rather than with an UnsatisfiedLinkError on a device.
tasks.named("preBuild") {
    doFirst {
        check(generatedKotlin.resolve("uniffi/haven").isDirectory) {
            "No generated Kotlin in $generatedKotlin: run scripts/build-android.sh (or scripts/gen-bindings.sh) first"
        }
        val abis = listOf("arm64-v8a", "armeabi-v7a", "x86_64")
        val missing = abis.filterNot { jniLibs.resolve("$it/libhaven.so").isFile }
        check(missing.size < abis.size) { "No libhaven.so in $jniLibs: run scripts/build-android.sh first" }
        // A subset (ABIS=... scripts/build-android.sh) is fine for a local loop, never for a release.
        if (missing.isNotEmpty()) logger.warn("haven-android: no libhaven.so for $missing; devices with those ABIs will fail")
    }
}

publishing {
    publications {
        register<MavenPublication>("release") {
            artifactId = "haven-android"
            afterEvaluate { from(components["release"]) }
        }
    }
}
