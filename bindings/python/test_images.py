"""Image checks through the Python bindings: synthetic models whose outputs we control (explicit, suggestive,
safe, brightness-driven), the fetched NudeNet model on benign photos, raw pixel buffers and every image error."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import EPOCH_MS, FIXTURES, REPO, haven, rank

Err = haven.HavenError
MODELS = FIXTURES / "models"
IMAGES = FIXTURES / "images"
NUDENET = REPO / "models" / "nudenet-320n.onnx"
NUDENET_MANIFEST = REPO / "manifests" / "nudenet-320n.json"


def manifest(name):
    return (MODELS / f"{name}.json").read_text(encoding="utf-8")


def engine_with(name, from_bytes=False):
    engine = haven.HavenEngine(haven.EngineConfig(user_age=15))
    model = MODELS / f"{name}.onnx"
    source = haven.ModelSource.BYTES(bytes=model.read_bytes()) if from_bytes else haven.ModelSource.PATH(path=str(model))
    engine.load_image_model(source, manifest(name))
    return engine


def encoded(path):
    return haven.ImageInput.ENCODED(bytes=path.read_bytes())


def solid(value, width=64, height=64, fmt=haven.PixelFormat.RGBA8, stride=None, fill=0):
    """A uniform grey buffer; bytes between rows (when the stride is wider) are set to `fill`."""
    stride = stride or width * 4
    row = bytes([value, value, value, 255]) * width + bytes([fill]) * (stride - width * 4)
    return haven.ImageInput.PIXELS(
        data=row * height, width=width, height=height, row_stride=stride, format=fmt
    )


def sending(engine, image, conversation_id=None):
    return engine.assess_outgoing_image(conversation_id, image)


def test_an_explicit_image_about_to_be_sent_pauses_with_the_card():
    engine = engine_with("synthetic-explicit")
    got = sending(engine, encoded(IMAGES / "chelsea_cat.jpg"))
    assert got.nudity.verdict == haven.ImageVerdict.EXPLICIT
    assert got.pause and not got.blur
    # Without a conversation there is no context to make it worse than a caution.
    assert got.intervention.kind == haven.InterventionKind.CAUTION
    assert got.level == haven.Level.MEDIUM
    assert got.intervention.topic == haven.Topic.OUTGOING_IMAGE
    assert got.intervention.kind != haven.InterventionKind.NONE and got.intervention.headline
    assert haven.Action.DONT_SEND in {a.action for a in got.intervention.actions}
    assert got.conversation is None
    labels = [d.label for d in got.nudity.detections]
    assert "FEMALE_BREAST_EXPOSED" in labels
    scores = [d.score for d in got.nudity.detections]
    assert scores == sorted(scores, reverse=True)
    t = got.nudity.timings
    assert min(t.decode_ms, t.preprocess_ms, t.inference_ms, t.postprocess_ms) >= 0.0


def test_an_explicit_image_arriving_is_blurred():
    engine = engine_with("synthetic-explicit")
    got = engine.assess_incoming_image(None, encoded(IMAGES / "coffee.jpg"))
    assert got.nudity.verdict == haven.ImageVerdict.EXPLICIT
    assert got.blur and not got.pause
    assert got.intervention.topic == haven.Topic.INCOMING_IMAGE


def test_detection_boxes_are_in_the_image_pixel_space():
    engine = engine_with("synthetic-explicit")
    width, height = 640, 640
    got = sending(engine, solid(128, width, height))
    for d in got.nudity.detections:
        b = d.bbox
        assert 0 <= b.x and 0 <= b.y and b.w > 0 and b.h > 0
        assert b.x + b.w <= width + 1 and b.y + b.h <= height + 1
    # The synthetic model puts the exposed box at (200, 220) size 80 in its 320-pixel space: twice that here.
    exposed = next(d for d in got.nudity.detections if d.label == "FEMALE_BREAST_EXPOSED")
    assert exposed.bbox.x == pytest.approx(2 * (200 - 40), abs=2)
    assert exposed.bbox.w == pytest.approx(2 * 80, abs=2)


@pytest.mark.parametrize(
    "model, verdict",
    [("synthetic-suggestive", haven.ImageVerdict.SUGGESTIVE), ("synthetic-safe", haven.ImageVerdict.SAFE)],
)
def test_suggestive_and_safe_models(model, verdict):
    engine = engine_with(model, from_bytes=True)
    got = sending(engine, encoded(IMAGES / "astronaut.jpg"))
    assert got.nudity.verdict == verdict
    if verdict == haven.ImageVerdict.SAFE:
        assert not got.pause and not got.blur
        assert got.level == haven.Level.NONE
        assert got.intervention.kind == haven.InterventionKind.NONE


@pytest.mark.parametrize("fmt", [haven.PixelFormat.RGBA8, haven.PixelFormat.BGRA8])
def test_raw_pixel_buffers_are_read_with_their_format_and_stride(fmt):
    engine = engine_with("synthetic-brightness")
    verdict = lambda image: sending(engine, image).nudity.verdict  # noqa: E731
    assert verdict(solid(10, fmt=fmt)) == haven.ImageVerdict.SAFE
    assert verdict(solid(128, fmt=fmt)) == haven.ImageVerdict.SUGGESTIVE
    assert verdict(solid(245, fmt=fmt)) == haven.ImageVerdict.EXPLICIT
    # Bright garbage between the rows of a dark image must not be read as pixels.
    assert verdict(solid(10, stride=64 * 4 + 64, fill=255, fmt=fmt)) == haven.ImageVerdict.SAFE
    # The last row needs only width * 4 bytes.
    tight = solid(245, width=30, height=30, stride=30 * 4 + 8, fmt=fmt)
    tight.data = tight.data[:-8]
    assert verdict(tight) == haven.ImageVerdict.EXPLICIT


def test_an_outgoing_explicit_image_raises_the_conversation():
    engine = engine_with("synthetic-explicit")
    engine.set_contact("c", haven.ContactContext(new_contact=True, mutual_connections=0, account_age_days=2))
    for i, text in enumerate(["hey ur cute", "add my snap", "send me a pic of u"]):
        engine.observe("c", haven.Message(direction=haven.Direction.FROM_CONTACT, text=text, timestamp_ms=EPOCH_MS + i))
    before = engine.current_assessment("c")
    got = sending(engine, encoded(IMAGES / "grace_hopper.jpg"), "c")
    # A new contact who asked for a picture: a hard pause with a warning (or crisis) card.
    assert got.pause
    assert rank(got.level) >= rank(haven.Level.HIGH)
    assert got.intervention.kind in (haven.InterventionKind.WARNING, haven.InterventionKind.CRISIS)
    assert got.conversation is not None
    assert got.conversation.conversation_id == "c"
    # The check records nothing: the teen may still cancel.
    assert got.conversation.score == before.score
    assert not {s.kind for s in got.conversation.evidence} & {haven.SignalKind.EXPLICIT_IMAGE_SENT,
                                                             haven.SignalKind.IMAGE_SHARED}
    # The teen sends it anyway: the message with the image records the share and the check's verdict.
    sent = engine.observe("c", haven.Message(direction=haven.Direction.FROM_USER, text="", timestamp_ms=EPOCH_MS + 9,
                                             attachments=[haven.Attachment.IMAGE]))
    kinds = {s.kind for s in sent.evidence}
    assert {haven.SignalKind.EXPLICIT_IMAGE_SENT, haven.SignalKind.IMAGE_SHARED} <= kinds
    assert sent.score > before.score


def test_an_incoming_explicit_image_from_a_new_contact_is_recorded_in_the_conversation():
    engine = engine_with("synthetic-explicit")
    engine.set_contact("d", haven.ContactContext(new_contact=True, mutual_connections=0, account_age_days=1))
    got = engine.assess_incoming_image("d", encoded(IMAGES / "rocket.webp"))
    assert got.blur
    assert got.intervention.kind == haven.InterventionKind.WARNING
    assert got.conversation is not None
    assert haven.SignalKind.EXPLICIT_IMAGE_RECEIVED in {s.kind for s in got.conversation.evidence}


def test_an_incoming_explicit_image_from_an_old_friend_is_blurred_but_not_evidence():
    engine = engine_with("synthetic-explicit")
    engine.set_contact("f", haven.ContactContext(new_contact=False, mutual_connections=50, account_age_days=900))
    engine.observe("f", haven.Message(direction=haven.Direction.FROM_CONTACT, text="hey", timestamp_ms=EPOCH_MS))
    got = engine.assess_incoming_image("f", encoded(IMAGES / "rocket.webp"))
    assert got.blur
    assert got.intervention.kind == haven.InterventionKind.CAUTION
    assert haven.SignalKind.EXPLICIT_IMAGE_RECEIVED not in {s.kind for s in got.conversation.evidence}


def test_no_model_loaded_is_an_error_for_both_directions(engine):
    image = encoded(IMAGES / "chelsea_cat.jpg")
    with pytest.raises(Err.NoImageModel) as raised:
        engine.assess_outgoing_image(None, image)
    assert "model" in str(raised.value)
    with pytest.raises(Err.NoImageModel):
        engine.assess_incoming_image("c", image)


@pytest.mark.parametrize("name", ["empty.jpg", "random_bytes.jpg", "truncated.jpg"])
def test_bad_image_bytes_are_refused(name):
    engine = engine_with("synthetic-explicit")
    with pytest.raises(Err.InvalidImage) as raised:
        sending(engine, encoded(IMAGES / "bad" / name))
    assert str(raised.value)


def test_an_image_declaring_too_many_pixels_is_refused_before_decoding():
    engine = engine_with("synthetic-explicit")
    with pytest.raises(Err.ImageTooLarge) as raised:
        sending(engine, encoded(IMAGES / "bad" / "huge_header_50000x50000.png"))
    assert "50000" in str(raised.value)
    limits = haven.limits()
    with pytest.raises(Err.ImageTooLarge):
        sending(engine, haven.ImageInput.ENCODED(bytes=bytes(limits.max_image_bytes + 1)))


@pytest.mark.parametrize(
    "width, height, stride, size",
    [
        (0, 10, 0, 0),  # empty
        (10, 10, 39, 400),  # stride shorter than a row
        (10, 10, 40, 399),  # one byte short
        (10, 10, 40, 0),  # no data
    ],
)
def test_inconsistent_pixel_buffers_are_refused(width, height, stride, size):
    engine = engine_with("synthetic-explicit")
    image = haven.ImageInput.PIXELS(
        data=bytes(size), width=width, height=height, row_stride=stride, format=haven.PixelFormat.RGBA8
    )
    with pytest.raises(Err.InvalidImage):
        sending(engine, image)


def test_a_bad_model_path_bytes_or_manifest_is_refused_and_the_engine_stays_usable():
    engine = haven.HavenEngine(haven.EngineConfig())
    good = manifest("synthetic-explicit")
    with pytest.raises(Err.ImageModel) as raised:
        engine.load_image_model(haven.ModelSource.PATH(path="/nonexistent/haven/model.onnx"), good)
    assert "model" in str(raised.value)
    # Bytes that are not the model the manifest names are refused by their digest, before parsing.
    with pytest.raises(Err.ImageModelDigestMismatch) as raised:
        engine.load_image_model(haven.ModelSource.BYTES(bytes=b"not an onnx model"), good)
    assert json.loads(good)["sha256"] in str(raised.value)
    with pytest.raises(Err.ImageModelDigestMismatch):
        engine.load_image_model(haven.ModelSource.PATH(path=str(MODELS / "synthetic-safe.onnx")), good)
    with pytest.raises(Err.ImageModel) as raised:
        engine.load_image_model(haven.ModelSource.PATH(path="/dev/zero"), good)
    assert "not a regular file" in str(raised.value)
    with pytest.raises(Err.ImageModel):
        engine.load_image_model(haven.ModelSource.PATH(path=str(MODELS / "synthetic-explicit.onnx")), "{not json")
    with pytest.raises(Err.ImageModel):
        engine.load_image_model(
            haven.ModelSource.PATH(path=str(MODELS / "synthetic-broken-shape.onnx")), manifest("synthetic-broken-shape")
        )
    with pytest.raises(Err.NoImageModel):
        sending(engine, encoded(IMAGES / "chelsea_cat.jpg"))
    # Text keeps working, and a good model still loads after the failures.
    engine.observe("c", haven.Message(direction=haven.Direction.FROM_USER, text="hi", timestamp_ms=EPOCH_MS))
    engine.load_image_model(haven.ModelSource.PATH(path=str(MODELS / "synthetic-explicit.onnx")), good)
    assert sending(engine, encoded(IMAGES / "chelsea_cat.jpg")).nudity.verdict == haven.ImageVerdict.EXPLICIT


def test_a_failed_load_keeps_the_model_already_loaded():
    engine = engine_with("synthetic-safe")
    with pytest.raises(Err.ImageModelDigestMismatch):
        engine.load_image_model(haven.ModelSource.BYTES(bytes=b"junk"), manifest("synthetic-explicit"))
    with pytest.raises(Err.ImageModel):
        engine.load_image_model(haven.ModelSource.PATH(path="/nonexistent/model.onnx"), manifest("synthetic-explicit"))
    assert sending(engine, encoded(IMAGES / "chelsea_cat.jpg")).nudity.verdict == haven.ImageVerdict.SAFE


def test_image_checks_and_text_from_several_threads_at_once():
    engine = engine_with("synthetic-brightness")
    start = threading.Barrier(6)
    images = {haven.ImageVerdict.SAFE: solid(10), haven.ImageVerdict.EXPLICIT: solid(245)}

    def worker(i):
        start.wait()
        verdicts = []
        for k in range(10):
            want = haven.ImageVerdict.EXPLICIT if (i + k) % 2 else haven.ImageVerdict.SAFE
            got = engine.assess_incoming_image(f"c{i}", images[want])
            verdicts.append(got.nudity.verdict == want)
            engine.observe(f"c{i}", haven.Message(direction=haven.Direction.FROM_CONTACT, text="hey", timestamp_ms=EPOCH_MS + k))
        return all(verdicts)

    with ThreadPoolExecutor(6) as pool:
        assert all(pool.map(worker, range(6)))
    assert engine.conversation_count() == 6


needs_nudenet = pytest.mark.skipif(
    not (NUDENET.is_file() and NUDENET_MANIFEST.is_file()), reason="scripts/fetch-models.sh has not fetched NudeNet"
)


@pytest.fixture(scope="module")
def nudenet():
    engine = haven.HavenEngine(haven.EngineConfig())
    engine.load_image_model(haven.ModelSource.PATH(path=str(NUDENET)), NUDENET_MANIFEST.read_text(encoding="utf-8"))
    return engine


@needs_nudenet
@pytest.mark.parametrize("name", ["astronaut.jpg", "grace_hopper.jpg", "chelsea_cat.jpg", "rocket.webp", "camera_gray.png"])
def test_nudenet_finds_nothing_explicit_in_benign_photos(nudenet, name):
    got = nudenet.assess_outgoing_image(None, encoded(IMAGES / name))
    assert got.nudity.verdict != haven.ImageVerdict.EXPLICIT
    assert not got.pause


@needs_nudenet
def test_nudenet_sees_a_face_upright_whatever_the_exif_orientation(nudenet):
    upright = nudenet.assess_incoming_image(None, encoded(IMAGES / "grace_hopper.jpg")).nudity
    rotated = nudenet.assess_incoming_image(None, encoded(IMAGES / "grace_hopper_exif6.jpg")).nudity
    faces = [d for d in upright.detections if d.label.startswith("FACE_")]
    assert faces, upright.detections
    rotated_faces = [d for d in rotated.detections if d.label.startswith("FACE_")]
    assert rotated_faces
    a, b = faces[0].bbox, rotated_faces[0].bbox
    assert abs(a.x - b.x) < 0.1 * max(a.w, 1) + 4 and abs(a.y - b.y) < 0.1 * max(a.h, 1) + 4
