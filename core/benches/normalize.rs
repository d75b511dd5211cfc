//! Benchmarks the text normaliser on chat-sized messages (it runs on every message the engine observes).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use haven_core::text::normalize::Normalized;

fn normalize(c: &mut Criterion) {
    let messages = [
        (
            "plain_200",
            "hey, how was practice today? my coach made us run laps for like an hour and I'm so tired lol. \
             are you going to the game on friday? we could get pizza after if your mom says it's ok. text me",
        ),
        (
            "obfuscated_200",
            "s e n d  m0r3 p1cs 📸📸 or I p0st them 🔥 everywhere. Ｙｏｕ have 10min ⏰ to pay $500 in \
             g1ft c@rds 💳, d0n't t3ll any0ne 🤫 s\u{435}nd n\u{43E}w or ur life is 0v3r. pleeeease just p4y!!",
        ),
        (
            "french_200",
            "Salut ! Tu es où ? J'ai vu ta photo, elle est très jolie. Envoie-moi une autre photo stp, \
             personne ne le saura, c'est notre secret. Sinon je montre tout à ta famille et à tes amis.",
        ),
    ];
    for (name, text) in messages {
        c.bench_function(name, |b| b.iter(|| Normalized::new(black_box(text))));
    }
}

criterion_group!(benches, normalize);
criterion_main!(benches);
