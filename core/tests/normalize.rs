//! Tests of the text normaliser: each step, span mapping back to the original, odd and large inputs.

use haven_core::text::normalize::Normalized;
use haven_core::text::squeeze::squeeze_pattern;

fn norm(s: &str) -> String {
    Normalized::new(s).text().to_owned()
}

/// The original chars behind the first occurrence of `needle` in the normalised text.
fn original_of(original: &str, needle: &str) -> String {
    let n = Normalized::new(original);
    let at = n
        .text()
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {:?}", n.text()));
    let span = n.span(at, at + needle.len());
    original
        .chars()
        .skip(span.start as usize)
        .take((span.end - span.start) as usize)
        .collect()
}

#[test]
fn step1_drops_invisible_and_control_characters() {
    assert_eq!(norm("s\u{200B}e\u{200C}n\u{200D}d"), "send");
    assert_eq!(norm("nu\u{2060}de\u{FEFF}s\u{00AD}"), "nudes");
    assert_eq!(norm("s\u{202E}n\u{2063}a\u{FE0F}p\u{E0041}"), "snap");
    assert_eq!(norm("\u{7}bell\u{1B}[1;31m"), "bel[1;31m");
    assert_eq!(
        norm("hi\tthere\nhow\r\nare\u{85}you"),
        "hi there how are you"
    );
}

#[test]
fn only_zero_width_characters_give_empty_text() {
    let n = Normalized::new("\u{200B}\u{200C}\u{200D}\u{FEFF}\u{2060}\u{00AD}");
    assert_eq!(n.text(), "");
    assert_eq!(n.span(0, 0).start, 6);
}

#[test]
fn empty_input() {
    let n = Normalized::new("");
    assert_eq!(n.text(), "");
    let span = n.span(0, 0);
    assert_eq!(
        (span.start, span.end, span.start_utf16, span.end_utf16),
        (0, 0, 0, 0)
    );
}

#[test]
fn step2_folds_compatibility_forms_case_and_diacritics() {
    assert_eq!(norm("ＳＥＮＤ ＰＩＣＳ"), "send pics");
    assert_eq!(norm("\u{FB01}nd"), "find");
    assert_eq!(norm("𝐬𝐞𝐧𝐝 𝓃𝓊𝒹𝑒𝓈"), "send nudes");
    assert_eq!(norm("ⓢⓔⓝⓓ 🅢🅝🅐🅟 ⒮⒩⒜⒫"), "send snap snap");
    assert_eq!(norm("ꜱᴇɴᴅ ᴘɪᴄꜱ"), "send pics");
    assert_eq!(norm("NIÑO está"), "nino esta");
    assert_eq!(norm("e\u{301}te\u{301}"), "ete");
    assert_eq!(norm("z\u{336}a\u{337}l\u{338}g\u{33F}o\u{346}"), "zalgo");
    assert_eq!(
        norm("don’t ‘x’ it`s l´amour ʼ “hi”"),
        "don't 'x' it's l'amour ' \"hi\""
    );
}

#[test]
fn mixed_french_and_spanish_accents() {
    assert_eq!(
        norm("Envoie-moi une photo, ¿está bien? ¡Ñandú! Ça coûte cher, garçon. Où es-tu? Pingüino, sí."),
        "envoie-moi une photo, ¿esta bien? ¡nandu! ca coute cher, garcon. ou es-tu? pinguino, si."
    );
    // Doubled letters are squeezed after the accents go: "année" reads "ane", as a rule "année" would.
    assert_eq!(norm("Bonne année, ÉLÈVE"), "bone ane, eleve");
    assert_eq!(norm("œuvre æther Łódź Øre"), "oeuvre aether lodz ore");
}

#[test]
fn step3_folds_confusable_letters() {
    assert_eq!(norm("s\u{435}nd"), "send");
    assert_eq!(norm("\u{455}\u{435}nd nud\u{435}\u{455}"), "send nudes");
    assert_eq!(
        norm("\u{440}\u{430}\u{443} m\u{3BF}n\u{435}\u{443}"),
        "pay money"
    );
    assert_eq!(norm("h\u{456}"), "hi");
    assert_eq!(norm("h\u{3BF}t \u{3B1}ss"), "hot as");
    // Words of another script that are not disguised Latin stay readable.
    assert_eq!(norm("Привет, как дела"), "привет, как дела");
    assert_eq!(norm("مرحبا"), "مرحبا");
    assert_eq!(norm("你好 こんにちは 안녕"), "你好 こんにちは 안녕");
    assert_eq!(norm("が"), "が");
    // ASCII never goes through the skeleton.
    assert_eq!(norm("0 1 I l"), "0 1 i l");
}

#[test]
fn step4_replaces_emoji_with_words_or_spaces() {
    assert_eq!(norm("send 📷"), "send pic");
    assert_eq!(norm("send📸now"), "send pic now");
    assert_eq!(norm("💰💵 or 🍑"), "money money or peach");
    assert_eq!(norm("❤️ u ♥"), "love u love");
    assert_eq!(norm("🌶️🍆"), "sexy sexy");
    assert_eq!(
        norm("⏰⌛ 🔞 😈 🔥🥵 🤫 👻 🔪 😘 💳 🎁"),
        "hury hury nsfw naughty hot hot secret snap knife kis card gift"
    );
    assert_eq!(norm("hi👀there"), "hithere");
    assert_eq!(norm("ok👍🏽ok"), "ok ok");
    assert_eq!(norm("👨‍👩‍👧 family 🇫🇷 trip"), "family trip");
    assert_eq!(norm("🤑🏻‍💻"), "money");
}

#[test]
fn step5_maps_leetspeak_inside_words() {
    assert_eq!(norm("s3nd n00dz"), "send nodz");
    assert_eq!(norm("h0t pr1v4te wh4t"), "hot private what");
    assert_eq!(
        norm("0nlyfans 5ex 4nd 53nd 0r 0n 0f 0k 1t 4n m3 u5 h1"),
        "onlyfans sex and send or on of ok it an me us hi"
    );
    // Once a word is plainly leetspeak, its leading and trailing digits are too.
    assert_eq!(
        norm("h4v3 ph0n3 3v3rywh3r3 4ft3r"),
        "have phone everywhere after"
    );
    assert_eq!(norm("m3 s0 d0 n0 g0ldenb0y777"), "me so do no goldenboyt");
    assert_eq!(norm("4r3 1t5 0n3 cut3 lik3"), "are its one cute like");
    assert_eq!(
        norm("ps5 ps4 mp3 4ever 4u 4real im15 th15 5k 1s 3d year8"),
        "ps5 ps4 mp3 4ever 4u 4real im15 th15 5k 1s 3d year8"
    );
    assert_eq!(
        norm("15yo 10min 5k 500usd 3rd 1st 100robux 16yrs 9am 1ro 2da 1er 5euros 13th 101st"),
        "15yo 10min 5k 500usd 3rd 1st 100robux 16yrs 9am 1ro 2da 1er 5euros 13th 101st"
    );
    assert_eq!(norm("jess22 2024 hey1"), "jes22 2024 hey1");
    assert_eq!(norm("a2b w1n9s"), "a2b win9s");
    assert_eq!(
        norm("sn@p ca$h cla$$ k!ss b|tch c@$h"),
        "snap cash clas kis bitch cash"
    );
    assert_eq!(
        norm("$jane22 @jane email@ hi! wow!!"),
        "$jane22 @jane email@ hi! wow!!"
    );
    // Long tokens with digits are identifiers: no leetspeak and no squeezing, so rules can match them.
    let wallet = "bc1qzz8k3m9x2v7p4n6r1t5y0w8q3e2r7t9y6u4i1o3";
    assert_eq!(
        norm(&format!("send to {wallet}")),
        format!("send to {wallet}")
    );
    assert_eq!(norm("pleeeeeeeeeeeeeeeeeeeeeeeeease"), "please");
}

#[test]
fn step6_joins_spaced_or_dotted_letters() {
    assert_eq!(norm("s e n d"), "send");
    assert_eq!(norm("please s.n.a.p me"), "please snap me");
    assert_eq!(norm("s e n d  n u d e s"), "send nudes");
    assert_eq!(norm("s-e-x-y p/i/c"), "sexy pic");
    assert_eq!(norm("s_n_a_p + c*a*s*h"), "snap + cash");
    // One run uses one separator throughout, so a neighbouring single letter stays a word.
    assert_eq!(
        norm("p.a.y or i s.e.n.d it to every f.o.l.l.o.w.e.r u have"),
        "pay or i send it to every folower u have"
    );
    assert_eq!(norm("s.e.x_y"), "sex_y");
    // Short words next to a joined run, one word gap away, are part of the same spaced-out sentence.
    assert_eq!(norm("s e n d  m e  a  p i c"), "send me a pic");
    assert_eq!(norm("m e  a  p i c"), "me a pic");
    assert_eq!(norm("n.u.d.e.s n.o.w"), "nudes now");
    assert_eq!(norm("i s e n d"), "isend");
    assert_eq!(norm("i m  jena,  n e w  here"), "im jena, new here");
    assert_eq!(norm("o k"), "ok");
    assert_eq!(norm("u r cute"), "u r cute");
    assert_eq!(norm("i am a boy"), "i am a boy");
    assert_eq!(norm("a b and c d"), "a b and c d");
    assert_eq!(norm("s  e  n  d"), "s e n d");
    assert_eq!(norm("p.m. e.g."), "p.m. e.g.");
}

#[test]
fn step7_squeezes_repeated_letters_but_not_digits() {
    assert_eq!(norm("pleeeease sooo"), "please so");
    assert_eq!(norm("follow add"), "folow ad");
    assert_eq!(norm("1000 2000"), "1000 2000");
}

#[test]
fn step8_collapses_whitespace_and_keeps_punctuation() {
    assert_eq!(norm("   hi    there  "), "hi there");
    assert_eq!(norm("what?! ok... (no)"), "what?! ok... (no)");
    assert_eq!(norm(" \u{3000}\u{A0}x\u{2003}y\u{2028}"), "x y");
}

#[test]
fn spans_cover_the_original_words() {
    assert_eq!(original_of("please s.n.a.p me", "snap"), "s.n.a.p");
    assert_eq!(
        original_of("s e n d  n u d e s", "send nudes"),
        "s e n d  n u d e s"
    );
    assert_eq!(original_of("ok s\u{435}nd it", "send"), "s\u{435}nd");
    assert_eq!(original_of("plz s3nd", "send"), "s3nd");
    assert_eq!(original_of("pleeease", "please"), "pleeease");
    assert_eq!(original_of("ＳＥＮＤ", "send"), "ＳＥＮＤ");
    assert_eq!(original_of("x s\u{200B}end", "send"), "s\u{200B}end");
    assert_eq!(original_of("caf\u{65}\u{301}!", "cafe"), "caf\u{65}\u{301}");
    assert_eq!(original_of("\u{FB01}ne", "i"), "\u{FB01}");
    assert_eq!(original_of("send ❤️ now", "love"), "❤️");
    assert_eq!(original_of("send 📷 now", " pic "), " 📷 ");
    assert_eq!(original_of("  hi", "hi"), "hi");
}

#[test]
fn cyrillic_span_offsets() {
    let original = "ok s\u{435}nd";
    let n = Normalized::new(original);
    assert_eq!(n.text(), "ok send");
    let span = n.span(3, 7);
    assert_eq!(
        (span.start, span.end, span.start_utf16, span.end_utf16),
        (3, 7, 3, 7)
    );
    let e = n.span(4, 5);
    assert_eq!((e.start, e.end), (4, 5));
}

#[test]
fn utf16_offsets_count_astral_emoji_before_the_match() {
    let original = "😀😀 send 𝐧𝐮𝐝𝐞𝐬";
    let n = Normalized::new(original);
    assert_eq!(n.text(), "send nudes");
    let span = n.span(0, n.text().len());
    assert_eq!((span.start, span.end), (3, 13));
    assert_eq!((span.start_utf16, span.end_utf16), (5, 20));
    let pic = Normalized::new("🔥 📷");
    assert_eq!(pic.text(), "hot pic");
    let span = pic.span(4, 7);
    assert_eq!(
        (span.start, span.end, span.start_utf16, span.end_utf16),
        (2, 3, 3, 5)
    );
}

#[test]
fn span_clamps_out_of_range_and_empty_ranges() {
    let n = Normalized::new("héllo");
    let len = n.text().len();
    let whole = n.span(0, len + 10);
    assert_eq!((whole.start, whole.end), (0, 5));
    let empty = n.span(len, len);
    assert_eq!((empty.start, empty.end), (5, 5));
    let backwards = n.span(3, 1);
    assert_eq!(backwards.start, backwards.end);
}

#[test]
fn one_megabyte_input_is_normalised() {
    let chunk = "S.E.N.D n00dz 📷 ❤️ s\u{435}nd ｍｅ \u{200B}plzzz, está bien 😀 ";
    let original = chunk.repeat(1_000_000 / chunk.len() + 1);
    assert!(original.len() >= 1_000_000);
    let n = Normalized::new(&original);
    assert!(n
        .text()
        .starts_with("send nodz pic love send me plz, esta bien send"));
    let span = n.span(0, n.text().len());
    assert_eq!(span.start, 0);
    assert!(span.end as usize <= original.chars().count());
    assert!(span.end_utf16 as usize <= original.encode_utf16().count());
}

/// A small deterministic generator, so failures reproduce.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn spans_never_panic_and_stay_inside_the_original() {
    let palette: Vec<char> = "aeilnosSEND0134578 29 .-_*/+@$!|'`’\t\n\u{0}\u{7}\u{200B}\u{200D}\u{FE0F}\u{301}\u{336}\
        éñçœßıеоаѕіαν привет你好안가ＳＥ𝐬ﬁ⒜🅐ꜱᴇ📷❤♥💰😀👍🏽🇫🇷\u{1F3FB}\u{20E3}\u{E0041}\u{10FFFF}\u{FFFD}"
        .chars()
        .collect();
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let len = (rng.next() % 40) as usize;
        let original: String = (0..len)
            .map(|_| palette[(rng.next() % palette.len() as u64) as usize])
            .collect();
        let chars = original.chars().count() as u32;
        let units = original.encode_utf16().count() as u32;
        let n = Normalized::new(&original);
        let text_len = n.text().len();
        let mut previous = (0, 0);
        for start in 0..=text_len + 1 {
            for end in start..=text_len + 1 {
                let span = n.span(start, end);
                assert!(
                    span.start <= span.end && span.end <= chars,
                    "{original:?} {start}..{end}"
                );
                assert!(
                    span.start_utf16 <= span.end_utf16 && span.end_utf16 <= units,
                    "{original:?}"
                );
            }
            if start < text_len {
                let single = n.span(start, start + 1);
                assert!(
                    single.start < single.end,
                    "{original:?} byte {start} maps to nothing"
                );
                assert!(
                    (single.start, single.end) >= previous,
                    "{original:?} origins go backwards"
                );
                previous = (single.start, single.end);
            }
        }
    }
}

#[test]
fn squeeze_pattern_squeezes_literal_letters_only() {
    assert_eq!(squeeze_pattern("pleeease"), "please");
    assert_eq!(squeeze_pattern(r"\bfollow\b"), r"\bfolow\b");
    assert_eq!(squeeze_pattern(r"\bsnap\s*chat\b"), r"\bsnap\s*chat\b");
    assert_eq!(
        squeeze_pattern(r"\ss\ss\S\BB\d\dd\w\ww"),
        r"\ss\ss\S\BB\d\dd\w\ww"
    );
    assert_eq!(
        squeeze_pattern(r"\p{Greek}ee\pLL\x{65}e\x65e\u0065e"),
        r"\p{Greek}e\pLL\x{65}e\x65e\u0065e"
    );
    assert_eq!(squeeze_pattern("(?i)(?P<all>add|ll)"), "(?i)(?P<all>ad|l)");
    assert_eq!(squeeze_pattern("(?x-i:bee)"), "(?x-i:be)");
    assert_eq!(squeeze_pattern("[aa]a{2,3}(oo){2}"), "[aa]a(o){2}");
    assert_eq!(
        squeeze_pattern("fol+ow foll?ow fo{2}d fo+o?d o?o? o*o*"),
        "fol+ow folow fod fod o? o?"
    );
    assert_eq!(squeeze_pattern("fol+?ow foll??ow"), "fol+?ow folow");
    assert_eq!(squeeze_pattern(r"a\.a ab\\b"), r"a\.a ab\\b");
    assert_eq!(
        squeeze_pattern("unclosed [ab and \\"),
        "unclosed [ab and \\"
    );
    assert_eq!(squeeze_pattern(""), "");
}

#[test]
fn squeezed_patterns_match_normalised_text() {
    for (pattern, message) in [
        (r"\bfollow\s+me\b", "FOLLOOOW meee"),
        (r"\bsend\s+(?:me\s+)?(?:a\s+)?pics?\b", "s.e.n.d me a 📸"),
        (r"\bpay\s+(?:me\s+)?\$?\d+", "p4y me $500"),
        (r"\bbitt?e\b", "b|tte"),
    ] {
        let regex = regex::Regex::new(&squeeze_pattern(pattern)).unwrap();
        let text = norm(message);
        assert!(regex.is_match(&text), "{pattern} vs {text:?}");
    }
}

#[test]
fn bracketed_filler_tokens_between_words_are_dropped() {
    // Random-looking tokens (a digit among letters, or no vowel) in brackets are padding, not words.
    assert_eq!(norm("send [x7q] me (zz) a pic"), "send me a pic");
    assert_eq!(norm("pay {k9} now <qwv> or [3j] else"), "pay now or else");
    assert_eq!(norm("i could [zx]post[q2] it"), "i could post it");
    // Words, numbers and emoticons in brackets are kept: they can carry meaning.
    assert_eq!(norm("send (me) the pic [lol]"), "send (me) the pic [lol]");
    assert_eq!(norm("im (15) and (b)"), "im (15) and (b)");
    // The span of a word after a dropped filler still points at that word only.
    assert_eq!(original_of("send [x7q] me", "me"), "me");
}

#[test]
fn diacritic_salad_reads_as_the_plain_word() {
    assert_eq!(norm("sénd mè ä pîc"), "send me a pic");
    assert_eq!(norm("s̈̃e̊̄n̆d̋ n̤u̧d̰ȩs̱"), "send nudes");
    // Letters with a bar or stroke that Unicode does not decompose.
    assert_eq!(
        norm("søndi łøst đøg ħøt ıt ŧøp ƀıg ɨn"),
        "sondi lost dog hot it top big in"
    );
    assert_eq!(norm("pøst ıt ęvęrywħęrę"), "post it everywhere");
}

#[test]
fn compatibility_expansion_is_bounded_per_character() {
    // U+FDFA expands to 18 characters under NFKC; it may not multiply the work or the text.
    let text = "\u{FDFA}".repeat(2048);
    let n = Normalized::new(&text);
    assert!(
        n.text().chars().count() <= 2048 * haven_core::limits::MAX_FOLD_CHARS,
        "{} chars",
        n.text().chars().count()
    );
    // Ordinary ligatures still unfold in full.
    assert_eq!(norm("\u{FB03}x \u{FB00}"), "fix f");
}
