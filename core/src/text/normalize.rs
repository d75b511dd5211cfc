//! Folds obfuscated chat text into a plain lowercase form while remembering where each byte came from.
//!
//! Rule packs match against [`Normalized::text`], never against the raw message, so that "Ｓ３ＮＤ",
//! "s.e.n.d", "sеnd" (Cyrillic е) and "seeend" all read "send". The steps run in this order, and rule-pack
//! authors rely on them:
//!
//! 1. **Invisible and control characters.** Zero-width and format characters are dropped: U+200B–U+200F,
//!    U+2060–U+2064, U+FEFF, soft hyphen, bidi controls, variation selectors, tag characters and the rest of
//!    general category Cf and of Default_Ignorable_Code_Point. Control characters are dropped too, except tab,
//!    line feed, carriage return and the other line breaks, which become a space.
//! 2. **Compatibility folding.** Each character is NFKC-normalised (full-width letters, ligatures, mathematical
//!    alphanumerics, circled and parenthesised letters...), lowercased, and stripped of diacritics (NFD, then
//!    the combining diacritical marks U+0300–U+036F and their supplements are dropped): "année" → "annee",
//!    "está" → "esta", "ñ" → "n". Curly apostrophes, backtick and acute accent (’ ‘ ʼ ` ´) become `'`; curly
//!    double quotes become `"`. Small capitals (ᴀ ʙ ᴅ ᴇ...) and negative circled or squared letters (🅐 🅰)
//!    become their letter. Folding is per character: marks are never composed across characters. One character
//!    yields at most [`crate::limits::MAX_FOLD_CHARS`] characters (U+FDFA's 18-character NFKC expansion is cut),
//!    which bounds the work per input character.
//! 3. **Confusables.** A non-ASCII letter left over is replaced by its UTS #39 confusable skeleton when that is
//!    made of ASCII letters (Cyrillic а е о р с у х і, Greek ο α ν, Latin ø ł æ...), lowercased. Latin-script
//!    letters are always replaced. Letters of other scripts are replaced only in a word (a run of letters and
//!    digits) whose every letter is ASCII or has such a look-alike, so "sеnd" and an all-Cyrillic "ѕеnd" become
//!    "send" while Russian, Greek or Arabic words stay readable for their own rule packs. ASCII is never passed
//!    to the skeleton (it would turn "l" into "I" and "0" into "O").
//! 4. **Emoji stand-ins.** Emoji listed in `core/data/normalize/emoji.toml` become their word with a space on
//!    either side (📷 → " pic ", 💰 → " money "); the few listed under `drop` vanish; any other emoji becomes a
//!    space. Skin tones, variation selectors, keycaps and ZWJ continuations belong to the emoji before them.
//!    4b. **Filler tokens.** Bracketed tokens of two to eight ASCII letters and digits that cannot be a word (a
//!    digit among the letters, or no vowel: "[x7q]", "(zz)", "{k9}", "<qwv>") are dropped with their brackets, so
//!    "send [x7q] me (zz) a pic" reads "send me a pic"; "(me)", "[lol]", "(15)" and "(b)" stay.
//! 5. **Leetspeak.** Inside a token (a maximal run of letters, digits and `@ $ ! |`), a run of the digits
//!    0 1 3 4 5 7 8 becomes o i e a s t b when it has a letter on both sides ("s3nd", "n00dz", "h0t"), or when
//!    it starts the token and at least two letters follow that are not a unit, currency or ordinal suffix
//!    ("0nlyfans" → "onlyfans", "53nd" → "send", but "15yo", "10min", "5k", "500usd", "100robux", "1st",
//!    "1er", "1ro" stay; a "4" meaning "for" stays in "4ever", "4real", "4u"; see `UNITS`). Once a token has
//!    digits between letters, its leading and trailing digits map too ("h4v3" → "have", "3v3rywh3r3" →
//!    "everywhere"); otherwise trailing digits stay ("jessica22", "ps5", "im15", "th15"). Two-character words
//!    are read as words: "m3", "s0", "u5", "h1", "0r", "1t", "4n" → "me", "so", "us", "hi", "or", "it", "an"
//!    (but "5k", "1s", "3d" stay). Runs holding 2, 6 or 9 and pure numbers stay. `@` between two letters
//!    becomes `a` ("sn@p", and "c@$h" where the `$` reads as a letter), `$` right after a letter becomes `s`
//!    ("ca$h"), `!` or `|` between two letters becomes `i`; a token-initial `$` or `@` stays (Cash App $tags,
//!    @handles). Tokens longer than 20 characters that hold a digit are identifiers (wallet addresses,
//!    codes): steps 5 and 7 leave them exactly as typed.
//! 6. **Spaced or dotted letters.** A run of at least three single-letter words, each separated from the next
//!    by exactly one and the same one of ` . - _ * / +`, is joined: "s e n d" → "send", "s.n.a.p" → "snap".
//!    A double space is a word gap, never joined; shorter runs one word gap away from a joined run are joined
//!    too, so "s e n d  m e  a  p i c" → "send me a pic" (for dotted runs a single space is the word gap:
//!    "n.u.d.e.s n.o.w" → "nudes now"), and so is a two-letter run standing between word gaps or the ends of
//!    the text ("i m  jena" → "im jena", "o k" → "ok"). Because a run keeps one separator, "i s.e.n.d" →
//!    "i send", while "i s e n d" → "isend". "i am a boy" is left alone.
//! 7. **Squeeze.** Every run of one repeated ASCII letter collapses to one letter: "pleeease" → "please",
//!    "follow" → "folow", "add" → "ad". Rule patterns get the same treatment from [`super::squeeze::squeeze_pattern`], so
//!    they are written in normal spelling. Digits are never squeezed.
//! 8. **Whitespace.** Runs of spaces collapse to one; leading and trailing spaces go. Other punctuation stays.
//!
//! Every byte of the normalised text maps back to the range of original characters it came from (a joined
//! "snap" maps to the whole "s.n.a.p", an emoji's word to the whole emoji sequence), so [`Normalized::span`]
//! can give an app the exact original words to highlight.

use std::collections::{BTreeMap, HashMap};
use std::str::Chars;
use std::sync::LazyLock;

use serde::Deserialize;
use unicode_normalization::char::{decompose_canonical, decompose_compatible};
use unicode_normalization::UnicodeNormalization;
use unicode_security::confusable_detection::skeleton;

use crate::assessment::Span;
use crate::limits;

/// Normalised text plus, for every byte of it, the range of original characters it stands for.
///
/// Immutable once built; `Send + Sync`. Memory is about 9 bytes per byte of normalised text plus 4 per
/// original character outside the Basic Multilingual Plane (emoji, mathematical letters).
pub struct Normalized {
    text: String,
    /// For each byte of `text`: (first original char, one past the last original char). Both are
    /// non-decreasing along `text`, which is what lets `span` look only at the ends of a range.
    origin: Vec<(u32, u32)>,
    /// Number of original chars.
    chars: u32,
    /// Indices of the original chars that take two UTF-16 units, ascending. A char's UTF-16 offset is its index
    /// plus the number of these before it, so plain text needs no per-char table.
    astral: Vec<u32>,
}

impl Normalized {
    /// Normalises `original` with the steps described in the module docs.
    ///
    /// Cost is linear in the length of `original` (a few passes, one allocation each for the text and the
    /// maps); callers bound the length first. The first call also builds two small lookup tables (about a
    /// millisecond); later calls share them across threads.
    pub fn new(original: &str) -> Normalized {
        let (mut pieces, read, other_letters) = fold_chars(original);
        if other_letters {
            pieces = fold_confusable_words(pieces);
        }
        drop_filler_tokens(&mut pieces);
        map_leetspeak(&mut pieces);
        join_spaced_letters(&mut pieces);
        squeeze_and_trim(&mut pieces);

        let mut text = String::with_capacity(pieces.len());
        let mut origin = Vec::with_capacity(pieces.len());
        for piece in &pieces {
            text.push(piece.c);
            origin.extend(std::iter::repeat_n(
                (piece.start, piece.end),
                piece.c.len_utf8(),
            ));
        }
        Normalized {
            text,
            origin,
            chars: read.chars,
            astral: read.astral,
        }
    }

    /// The normalised text rules match against. Cost: free.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The original-text span behind the normalised byte range `start..end`, as a regex match gives it.
    ///
    /// Never panics: an out-of-range `end` is clamped to the text length, and an empty range gives an empty
    /// span at the original position of `start`. Cost: constant.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let end = end.min(self.origin.len());
        let start = start.min(end);
        let (first, last) = if start < end {
            (self.origin[start].0, self.origin[end - 1].1)
        } else {
            let at = self.origin.get(start).map_or(self.chars, |o| o.0);
            (at, at)
        };
        Span {
            start: first,
            end: last,
            start_utf16: self.utf16(first),
            end_utf16: self.utf16(last),
        }
    }

    /// The UTF-16 offset of original char `index` (at most the char count). Cost: a binary search of the astral
    /// chars.
    fn utf16(&self, index: u32) -> u32 {
        index + self.astral.partition_point(|&a| a < index) as u32
    }
}

/// One character of the text being normalised and the original characters `start..end` it came from.
#[derive(Clone, Copy, Debug)]
struct Piece {
    c: char,
    start: u32,
    end: u32,
    /// Part of an identifier token, which steps 5 and 7 leave alone (see [`MAX_WORD_TOKEN`]).
    verbatim: bool,
}

/// Marks a piece deleted by step 6; step 7 skips it. Step 1 drops every real NUL, so none can be confused.
const REMOVED: char = '\0';

/// Walks the original text, counting chars and recording those that take two UTF-16 units.
struct Reader<'a> {
    chars: Chars<'a>,
    index: u32,
    astral: Vec<u32>,
}

/// What [`Reader`] learnt of the original text.
struct Read {
    chars: u32,
    astral: Vec<u32>,
}

impl<'a> Reader<'a> {
    fn new(original: &'a str) -> Self {
        Reader {
            chars: original.chars(),
            index: 0,
            astral: Vec::new(),
        }
    }

    fn next(&mut self) -> Option<(u32, char)> {
        let c = self.chars.next()?;
        if c as u32 > 0xFFFF {
            self.astral.push(self.index);
        }
        self.index += 1;
        Some((self.index - 1, c))
    }

    /// Consumes what belongs to the emoji `first` just read (second flag letter, skin tone, variation
    /// selector, keycap, tags, ZWJ and the emoji it joins) and returns the index one past it.
    fn skip_emoji_tail(&mut self, first: char) -> u32 {
        if is_regional_indicator(first)
            && self.chars.clone().next().is_some_and(is_regional_indicator)
        {
            self.next();
        }
        loop {
            let mut ahead = self.chars.clone();
            match ahead.next() {
                Some(c) if is_emoji_modifier(c) => {
                    self.next();
                }
                Some('\u{200D}') if ahead.next().is_some_and(is_emoji) => {
                    self.next();
                    self.next();
                }
                _ => return self.index,
            }
        }
    }

    fn finish(self) -> Read {
        Read {
            chars: self.index,
            astral: self.astral,
        }
    }
}

/// Pieces produced by steps 1–4.
struct Pieces {
    list: Vec<Piece>,
    /// Whether a non-ASCII letter was produced, so step 3's word pass is needed.
    other_letters: bool,
}

impl Pieces {
    fn push(&mut self, c: char, start: u32, end: u32) {
        self.other_letters |= !c.is_ascii() && c.is_alphabetic();
        self.list.push(Piece {
            c,
            start,
            end,
            verbatim: false,
        });
    }

    /// Lets the last piece cover a dropped char right after it, so highlighting a word keeps its combining
    /// accents and invisible joiners instead of cutting a grapheme in two.
    fn attach(&mut self, index: u32) {
        if let Some(last) = self.list.last_mut() {
            if last.end == index {
                last.end = index + 1;
            }
        }
    }
}

/// Steps 1, 2 and 4, and step 3 for Latin-script letters. Returns the pieces, what was read of the original
/// chars and whether letters of other scripts are left for [`fold_confusable_words`].
fn fold_chars(original: &str) -> (Vec<Piece>, Read, bool) {
    let mut reader = Reader::new(original);
    let mut out = Pieces {
        list: Vec::with_capacity(original.len() + 8),
        other_letters: false,
    };
    while let Some((i, c)) = reader.next() {
        if c.is_ascii() {
            match fold_ascii(c) {
                Some(x) => out.push(x, i, i + 1),
                None => out.attach(i),
            }
        } else if is_invisible(c) || is_diacritic(c) {
            out.attach(i);
        } else if let Some(letter) = enclosed_letter(c) {
            out.push(letter, i, i + 1);
        } else if is_emoji(c) {
            let end = reader.skip_emoji_tail(c);
            match EMOJI.get(&c) {
                Some(word) if word.is_empty() => {}
                Some(word) => {
                    out.push(' ', i, end);
                    for w in word.chars() {
                        out.push(w, i, end);
                    }
                    out.push(' ', i, end);
                }
                None => out.push(' ', i, end),
            }
        } else {
            let mut room = limits::MAX_FOLD_CHARS;
            fold_char(c, &mut |x| {
                if room > 0 {
                    room -= 1;
                    out.push(x, i, i + 1);
                }
            });
        }
    }
    (out.list, reader.finish(), out.other_letters)
}

/// Step 1 and 2 for ASCII: `None` drops the char.
fn fold_ascii(c: char) -> Option<char> {
    match c {
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' => Some(' '),
        '`' => Some('\''),
        c if c.is_ascii_control() => None,
        c => Some(c.to_ascii_lowercase()),
    }
}

/// Whether step 1 or 2 drops `c` entirely (an invisible, control or combining mark character), for the assessed
/// window, which counts what remains visible. Cost: a few comparisons.
pub(crate) fn is_dropped(c: char) -> bool {
    if c.is_ascii() {
        fold_ascii(c).is_none()
    } else {
        is_invisible(c) || is_diacritic(c)
    }
}

/// Step 1: format (Cf), default-ignorable and C1 control characters, except NEL (a line break).
fn is_invisible(c: char) -> bool {
    let cp = c as u32;
    // Latin-1 letters to Armenian hold only one: chat text's accented and Cyrillic letters answer here.
    if (0xAE..0x600).contains(&cp) {
        return cp == 0x34F;
    }
    matches!(cp,
        0x80..=0x84 | 0x86..=0x9F | 0xAD | 0x34F | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891
        | 0x8E2 | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFFB | 0x110BD | 0x110CD
        | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

/// Step 2: the combining diacritical mark blocks. Marks of other scripts (Devanagari vowel signs, kana voicing
/// marks...) are spelling, not decoration, and stay.
fn is_diacritic(c: char) -> bool {
    matches!(c as u32,
        0x300..=0x36F | 0x483..=0x489 | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Step 2: apostrophe and quote look-alikes.
fn quote(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2BC}' | '`' | '\u{B4}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' => Some('"'),
        _ => None,
    }
}

/// Step 2: letters in shapes NFKC leaves alone: parenthesised ⒜ (NFKC gives "(a)") and negative circled or
/// squared 🅐 🅰, which "fancy text" generators use.
fn enclosed_letter(c: char) -> Option<char> {
    let base = match c as u32 {
        0x249C..=0x24B5 => 0x249C,
        0x1F150..=0x1F169 => 0x1F150,
        0x1F170..=0x1F189 => 0x1F170,
        _ => return None,
    };
    char::from_u32('a' as u32 + c as u32 - base)
}

/// Step 2: small capitals that neither NFKC nor the confusable skeleton turn into ASCII.
fn small_capital(c: char) -> Option<char> {
    Some(match c {
        'ᴀ' => 'a',
        'ʙ' => 'b',
        'ᴅ' => 'd',
        'ᴇ' => 'e',
        'ꜰ' => 'f',
        'ɢ' => 'g',
        'ʜ' => 'h',
        'ᴊ' => 'j',
        'ᴋ' => 'k',
        'ʟ' => 'l',
        'ᴍ' => 'm',
        'ɴ' => 'n',
        'ᴘ' => 'p',
        'ʀ' => 'r',
        'ᴛ' => 't',
        _ => return None,
    })
}

/// Step 4: pictographic blocks and the emoji scattered in other blocks. Enclosed alphanumerics that NFKC turns
/// into letters (🄰 → a) are letters, not emoji.
fn is_emoji(c: char) -> bool {
    match c as u32 {
        0x1F100..=0x1F2FF => !has_compatibility_decomposition(c),
        0x1F000..=0x1FAFF
        | 0x2600..=0x27BF
        | 0x231A..=0x231B
        | 0x2328
        | 0x23CF
        | 0x23E9..=0x23F3
        | 0x23F8..=0x23FA
        | 0x2934..=0x2935
        | 0x2B05..=0x2B07
        | 0x2B1B..=0x2B1C
        | 0x2B50
        | 0x2B55
        | 0x3030
        | 0x303D
        | 0x3297
        | 0x3299 => true,
        _ => false,
    }
}

fn has_compatibility_decomposition(c: char) -> bool {
    let mut same = true;
    decompose_compatible(c, |x| same &= x == c);
    !same
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c as u32, 0x1F1E6..=0x1F1FF)
}

/// Characters that extend the emoji before them: variation selectors, skin tones, keycap, tags.
fn is_emoji_modifier(c: char) -> bool {
    matches!(c as u32, 0xFE0E | 0xFE0F | 0x1F3FB..=0x1F3FF | 0x20E3 | 0xE0020..=0xE007F)
}

/// Steps 2 and 3 (Latin script) for one non-ASCII char that is neither invisible nor an emoji.
fn fold_char(c: char, emit: &mut impl FnMut(char)) {
    match FOLDS.get(c) {
        Some(entry) => entry.fold.chars().for_each(emit),
        None => fold_uncached(c, emit),
    }
}

fn fold_uncached(c: char, emit: &mut impl FnMut(char)) {
    if let Some(q) = quote(c) {
        return emit(q);
    }
    for x in std::iter::once(c).nfkc() {
        for y in x.to_lowercase() {
            strip_and_fold(y, emit);
        }
    }
}

/// Strips diacritics from an NFKC-folded lowercase char, then folds Latin-script letters to ASCII.
fn strip_and_fold(y: char, emit: &mut impl FnMut(char)) {
    if y.is_ascii() {
        return emit(quote(y).unwrap_or(y));
    }
    if let Some(q) = quote(y) {
        return emit(q);
    }
    if y.is_whitespace() {
        return emit(' ');
    }
    // A canonical decomposition is at most four chars long.
    let mut kept = ['\0'; 4];
    let mut len = 0;
    let mut stripped = false;
    decompose_canonical(y, |z| {
        if is_diacritic(z) {
            stripped = true;
        } else if len < kept.len() {
            kept[len] = z;
            len += 1;
        }
    });
    if !stripped {
        // Keep `y` whole: its decomposition may be Hangul jamo or kana plus a voicing mark.
        return fold_latin_letter(y, emit);
    }
    for &z in &kept[..len] {
        fold_latin_letter(z, emit);
    }
}

fn fold_latin_letter(z: char, emit: &mut impl FnMut(char)) {
    if !z.is_ascii() && is_latin_script(z) {
        if let Some(letter) = small_capital(z) {
            return emit(letter);
        }
        if let Some(word) = lookalike_uncached(z) {
            return word.chars().for_each(emit);
        }
    }
    emit(z)
}

/// Latin-script blocks (Latin-1 to IPA, phonetic extensions, Latin Extended Additional, C, D, E).
fn is_latin_script(c: char) -> bool {
    matches!(c as u32,
        0x80..=0x2AF | 0x1D00..=0x1DBF | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xAB30..=0xAB6F)
}

/// Up to eight lowercase ASCII letters, the confusable look-alike of one char.
#[derive(Clone, Copy, Default)]
struct AsciiWord {
    bytes: [u8; 8],
    len: u8,
}

impl AsciiWord {
    fn chars(self) -> impl Iterator<Item = char> {
        (0..self.len as usize).map(move |k| self.bytes[k] as char)
    }
}

/// The ASCII letters a non-ASCII letter is confusable with: its UTS #39 skeleton with marks dropped, if that
/// is made of ASCII letters only.
fn lookalike_uncached(c: char) -> Option<AsciiWord> {
    if c.is_ascii() || !c.is_alphabetic() {
        return None;
    }
    let mut word = AsciiWord::default();
    let mut buf = [0u8; 4];
    for s in skeleton(c.encode_utf8(&mut buf)) {
        if is_diacritic(s) {
            continue;
        }
        if !s.is_ascii_alphabetic() || word.len as usize == word.bytes.len() {
            return None;
        }
        word.bytes[word.len as usize] = s.to_ascii_lowercase() as u8;
        word.len += 1;
    }
    (word.len > 0).then_some(word)
}

fn lookalike(c: char) -> Option<AsciiWord> {
    match FOLDS.get(c) {
        Some(entry) => entry.lookalike,
        None => lookalike_uncached(c),
    }
}

/// Step 3 for letters of other scripts, word by word (see the module docs).
fn fold_confusable_words(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out = Vec::with_capacity(pieces.len() + 8);
    let mut i = 0;
    while i < pieces.len() {
        if !pieces[i].c.is_alphanumeric() {
            out.push(pieces[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < pieces.len() && pieces[i].c.is_alphanumeric() {
            i += 1;
        }
        let word = &pieces[start..i];
        let foreign = |p: &&Piece| !p.c.is_ascii() && p.c.is_alphabetic();
        if word
            .iter()
            .filter(foreign)
            .all(|p| lookalike(p.c).is_some())
        {
            for p in word {
                match lookalike(p.c).filter(|_| foreign(&p)) {
                    Some(ascii) => out.extend(ascii.chars().map(|c| Piece { c, ..*p })),
                    None => out.push(*p),
                }
            }
        } else {
            out.extend_from_slice(word);
        }
    }
    out
}

/// Per-char results of steps 2 and 3 for U+0080..U+0530 (Latin-1 to Cyrillic), the non-ASCII letters chat
/// text uses most; computing the skeleton each time would cost about 70 ns a char.
struct FoldTable {
    entries: Vec<FoldEntry>,
}

struct FoldEntry {
    fold: Box<str>,
    lookalike: Option<AsciiWord>,
}

const TABLE_START: u32 = 0x80;
const TABLE_END: u32 = 0x530;

impl FoldTable {
    fn build() -> FoldTable {
        let entries = (TABLE_START..TABLE_END)
            .map(|cp| {
                // The range holds no surrogates, so every code point is a char.
                let c = char::from_u32(cp).unwrap_or(' ');
                let mut fold = String::new();
                fold_uncached(c, &mut |x| fold.push(x));
                FoldEntry {
                    fold: fold.into_boxed_str(),
                    lookalike: lookalike_uncached(c),
                }
            })
            .collect();
        FoldTable { entries }
    }

    fn get(&self, c: char) -> Option<&FoldEntry> {
        self.entries
            .get((c as u32).checked_sub(TABLE_START)? as usize)
    }
}

static FOLDS: LazyLock<FoldTable> = LazyLock::new(FoldTable::build);

/// The emoji table file, `core/data/normalize/emoji.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EmojiFile {
    drop: Vec<String>,
    words: BTreeMap<String, Vec<String>>,
}

/// Parses the emoji table into emoji → word ("" for dropped emoji), checking every entry.
fn parse_emoji_table(source: &str) -> Result<HashMap<char, Box<str>>, String> {
    let file: EmojiFile = toml::from_str(source).map_err(|e| e.to_string())?;
    let mut table = HashMap::new();
    let entries = file
        .words
        .iter()
        .flat_map(|(word, emoji)| emoji.iter().map(move |e| (word.as_str(), e)));
    for (word, emoji) in entries.chain(file.drop.iter().map(|e| ("", e))) {
        if !word.chars().all(|c| c.is_ascii_lowercase()) {
            return Err(format!("word {word:?} is not lowercase ASCII letters"));
        }
        let mut chars = emoji.chars().filter(|&c| c != '\u{FE0F}');
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return Err(format!("{emoji:?} is not a single emoji"));
        };
        if !is_emoji(c) {
            return Err(format!(
                "{emoji:?} is outside the emoji ranges normalisation looks at"
            ));
        }
        if table.insert(c, word.into()).is_some() {
            return Err(format!("{emoji:?} is listed twice"));
        }
    }
    Ok(table)
}

static EMOJI: LazyLock<HashMap<char, Box<str>>> = LazyLock::new(|| {
    parse_emoji_table(include_str!("../../data/normalize/emoji.toml"))
        .expect("the embedded emoji table is checked by a unit test")
});

/// Longest filler token dropped by step 4b, brackets excluded.
const MAX_FILLER: usize = 8;

/// Step 4b: drops bracketed filler tokens, "[x7q]", "(zz)", "{k9}", "<qwv>": two to [`MAX_FILLER`] ASCII letters
/// and digits in matching brackets, with a letter, and either a digit or no vowel, so they cannot be a word. Such
/// tokens pad a sentence to break up the phrases rules look for; words ("(me)", "[lol]"), numbers ("(15)") and
/// single letters ("(b)") in brackets are kept. Linear: each bracket looks at most [`MAX_FILLER`] + 1 pieces ahead.
fn drop_filler_tokens(pieces: &mut Vec<Piece>) {
    // Allocated at the first filler token: most messages have none.
    let mut keep: Vec<bool> = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let close = match pieces[i].c {
            '[' => ']',
            '(' => ')',
            '{' => '}',
            '<' => '>',
            _ => {
                i += 1;
                continue;
            }
        };
        let inner = pieces[i + 1..]
            .iter()
            .take(MAX_FILLER + 1)
            .take_while(|p| p.c.is_ascii_alphanumeric())
            .count();
        let end = i + 1 + inner;
        let closed = pieces.get(end).is_some_and(|p| p.c == close);
        let token = &pieces[i + 1..end];
        let letter = token.iter().any(|p| p.c.is_ascii_alphabetic());
        let digit = token.iter().any(|p| p.c.is_ascii_digit());
        let vowel = token
            .iter()
            .any(|p| matches!(p.c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y'));
        if closed && (2..=MAX_FILLER).contains(&inner) && letter && (digit || !vowel) {
            if keep.is_empty() {
                keep = vec![true; pieces.len()];
            }
            keep[i..=end].iter_mut().for_each(|k| *k = false);
            i = end + 1;
        } else {
            i += 1;
        }
    }
    if !keep.is_empty() {
        let mut k = 0;
        pieces.retain(|_| {
            k += 1;
            keep[k - 1]
        });
    }
}

/// Tokens longer than this that hold a digit are identifiers (wallet addresses, links, codes), not disguised
/// words: steps 5 and 7 leave them as typed so rules can match them.
const MAX_WORD_TOKEN: usize = 20;

/// Step 5 over the whole text; also marks identifier tokens [`Piece::verbatim`].
fn map_leetspeak(pieces: &mut [Piece]) {
    let mut i = 0;
    while i < pieces.len() {
        if !is_token_char(pieces[i].c) {
            i += 1;
            continue;
        }
        let start = i;
        while i < pieces.len() && is_token_char(pieces[i].c) {
            i += 1;
        }
        let token = &mut pieces[start..i];
        if token.len() > MAX_WORD_TOKEN && token.iter().any(|p| p.c.is_ascii_digit()) {
            token.iter_mut().for_each(|p| p.verbatim = true);
        } else {
            map_leet_digits(token);
            map_leet_symbols(token);
        }
    }
}

fn is_letter(c: char) -> bool {
    c.is_ascii_lowercase() || (!c.is_ascii() && c.is_alphabetic())
}

fn is_token_char(c: char) -> bool {
    is_letter(c) || c.is_ascii_digit() || matches!(c, '@' | '$' | '!' | '|')
}

fn leet_letter(d: char) -> Option<char> {
    Some(match d {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '8' => 'b',
        _ => return None,
    })
}

/// Letters that follow a number as a unit or currency (English, French, Spanish), so "5min", "5k" and
/// "5euros" keep their digit. Sorted for binary search.
const UNITS: &[&str] = &[
    "am",
    "an",
    "ano",
    "anos",
    "ans",
    "aud",
    "balles",
    "bolivares",
    "btc",
    "bucks",
    "cad",
    "cm",
    "d",
    "day",
    "days",
    "dia",
    "dias",
    "dlls",
    "dolares",
    "dollar",
    "dollars",
    "eth",
    "eur",
    "euro",
    "euros",
    "f",
    "ft",
    "gb",
    "gbp",
    "h",
    "heure",
    "heures",
    "hora",
    "horas",
    "hour",
    "hours",
    "hr",
    "hrs",
    "jour",
    "jours",
    "k",
    "kb",
    "kg",
    "km",
    "lb",
    "lbs",
    "lucas",
    "m",
    "mb",
    "mes",
    "meses",
    "mil",
    "min",
    "mins",
    "minute",
    "minutes",
    "minuto",
    "minutos",
    "mn",
    "mo",
    "mois",
    "month",
    "months",
    "ms",
    "mxn",
    "pavos",
    "pesos",
    "piasses",
    "piastres",
    "pm",
    "pounds",
    "quid",
    "robux",
    "s",
    "sec",
    "secs",
    "seg",
    "semaine",
    "semaines",
    "soles",
    "tb",
    "usd",
    "usdt",
    "varos",
    "vbucks",
    "week",
    "weeks",
    "x",
    "y",
    "year",
    "years",
    "yo",
    "yr",
    "yrs",
];

/// Words that follow a "4" meaning "for" ("4ever", "4real", "4u"), which must not read "aever".
const AFTER_FOR: &[&str] = &[
    "eva", "evah", "ever", "evr", "get", "give", "got", "gotten", "life", "now", "real", "reals",
    "sure", "u", "ur", "ward", "wards",
];

/// Whether `suffix` makes the digit `d` an ordinal: "1st", "3rd", "5th", "1er", "3e", "1ro", "4to", "8vo".
fn is_ordinal(d: char, suffix: &str) -> bool {
    matches!(
        (d, suffix),
        (_, "th" | "e" | "eme" | "ieme")
            | (
                '1',
                "st" | "er" | "ere" | "re" | "ro" | "ra" | "ero" | "era"
            )
            | ('3', "rd" | "ro" | "ra" | "er" | "ero" | "era")
            | ('4' | '5', "to" | "ta")
            | ('7', "mo" | "ma")
            | ('8', "vo" | "va")
    )
}

/// The letters of `pieces` as a short ASCII string in `buf`, or "" when they are not short ASCII.
fn ascii_word<'b>(pieces: &[Piece], buf: &'b mut [u8; 12]) -> &'b str {
    if pieces.len() > buf.len() || !pieces.iter().all(|p| p.c.is_ascii()) {
        return "";
    }
    for (b, p) in buf.iter_mut().zip(pieces) {
        *b = p.c as u8;
    }
    std::str::from_utf8(&buf[..pieces.len()]).unwrap_or("")
}

/// Step 5 for the digits of one token (at most [`MAX_WORD_TOKEN`] pieces).
fn map_leet_digits(token: &mut [Piece]) {
    let letter_at = |token: &[Piece], i: usize| token.get(i).is_some_and(|p| is_letter(p.c));
    // Runs of mappable digits, and whether each is to be mapped.
    let mut runs = [(0usize, 0usize, false); MAX_WORD_TOKEN];
    let mut count = 0;
    let mut k = 0;
    while k < token.len() {
        if !token[k].c.is_ascii_digit() {
            k += 1;
            continue;
        }
        let start = k;
        while k < token.len() && token[k].c.is_ascii_digit() {
            k += 1;
        }
        if token[start..k].iter().all(|p| leet_letter(p.c).is_some()) {
            let inside = start > 0 && letter_at(token, start - 1) && letter_at(token, k);
            runs[count] = (start, k, inside);
            count += 1;
        }
    }
    let runs = &mut runs[..count];
    // Once a word is plainly leetspeak, its leading and trailing digits are too: digits between letters
    // ("h4v3"), or letters between a leading digit run and a lone trailing digit ("4r3", "1t5", "0n3").
    let framed = count == 2
        && runs[0].0 == 0
        && runs[1].1 == token.len()
        && runs[1].1 - runs[1].0 == 1
        && token[runs[0].1..runs[1].0].iter().all(|p| is_letter(p.c));
    let leet_word = framed || runs.iter().any(|r| r.2);
    let has_vowel = token
        .iter()
        .any(|p| matches!(p.c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y'));
    for (start, end, map) in runs.iter_mut().filter(|r| !r.2) {
        let leading = *start == 0 && letter_at(token, *end);
        let trailing = *end == token.len() && *start > 0 && letter_at(token, *start - 1);
        let last_digit = token[*end - 1].c;
        *map = if leet_word {
            leading || trailing
        } else if leading {
            let letters = token[*end..].iter().take_while(|p| is_letter(p.c)).count();
            let mut buf = [0u8; 12];
            let suffix = ascii_word(&token[*end..*end + letters], &mut buf);
            let counted = UNITS.binary_search(&suffix).is_ok()
                || is_ordinal(last_digit, suffix)
                || (last_digit == '4' && AFTER_FOR.binary_search(&suffix).is_ok());
            if letters >= 2 {
                !counted
            } else {
                // A two-character word: "0r", "0k", "0f" (a zero counts nothing), "1t", "4n"; not "5k", "1s".
                token.len() == 2 && (last_digit == '0' || !counted)
            }
        } else if trailing && token.len() == 2 {
            // "m3", "s0", "u5", "h1": a two-character word ending in a look-alike of e, o, s or i.
            matches!(last_digit, '0' | '1' | '3' | '5')
        } else {
            // "cut3", "lik3", "qu3": a word with a vowel ending in a lone e or o look-alike; "mp3" stays.
            trailing && *end - *start == 1 && has_vowel && matches!(last_digit, '0' | '3')
        };
    }
    for &(start, end, map) in runs.iter() {
        if map {
            for p in &mut token[start..end] {
                p.c = leet_letter(p.c).unwrap_or(p.c);
            }
        }
    }
}

/// Step 5 for `@ $ ! |`, left to right so "ki$$" sees its first `$` already read as `s`.
fn map_leet_symbols(token: &mut [Piece]) {
    for k in 0..token.len() {
        let before = k > 0 && is_letter(token[k - 1].c);
        let next = token.get(k + 1).map(|p| p.c);
        let after = next.is_some_and(is_letter);
        token[k].c = match token[k].c {
            // "c@$h": the `$` after the `@` is read next.
            '@' if before && (after || next == Some('$')) => 'a',
            '$' if before => 's',
            '!' | '|' if before && after => 'i',
            c => c,
        };
    }
}

/// Step 6: removes (marks [`REMOVED`]) the separators inside runs of spaced single letters.
///
/// A run is a sequence of single letters joined by one and the same separator. A run of three or more letters is
/// joined; so is a shorter run written the same way right next to it, one word gap away (two spaces, or one
/// space between runs not spaced by spaces), so "s e n d  m e  a  p i c" reads "send me a pic" and
/// "p.a.y or i s.e.n.d" reads "pay or i send".
fn join_spaced_letters(pieces: &mut [Piece]) {
    let runs = find_letter_runs(pieces);
    let mut joined: Vec<bool> = runs
        .iter()
        .map(|r| {
            r.letters >= 3
                || (r.letters == 2 && r.separator == Some(' ') && stands_alone(pieces, r))
        })
        .collect();
    for k in 1..runs.len() {
        if joined[k - 1] && word_gap(pieces, &runs[k - 1], &runs[k]) {
            joined[k] = true;
        }
    }
    for k in (1..runs.len()).rev() {
        if joined[k] && word_gap(pieces, &runs[k - 1], &runs[k]) {
            joined[k - 1] = true;
        }
    }
    for (run, _) in runs.iter().zip(joined).filter(|(_, j)| *j) {
        for s in (run.first + 1..run.last).step_by(2) {
            pieces[s].c = REMOVED;
        }
    }
}

/// Single letters `first`, `first + 2`, ..., `last`, with `separator` between them (`None` for one letter).
struct LetterRun {
    first: usize,
    last: usize,
    letters: usize,
    separator: Option<char>,
}

fn find_letter_runs(pieces: &[Piece]) -> Vec<LetterRun> {
    let mut runs = Vec::new();
    let mut k = 0;
    while k < pieces.len() {
        if !is_single_letter(pieces, k) {
            k += 1;
            continue;
        }
        let mut run = LetterRun {
            first: k,
            last: k,
            letters: 1,
            separator: None,
        };
        while let Some(&Piece { c, .. }) = pieces.get(run.last + 1) {
            let same = run.separator.is_none_or(|s| s == c);
            if !(same
                && is_separator(c)
                && run.last + 2 < pieces.len()
                && is_single_letter(pieces, run.last + 2))
            {
                break;
            }
            run.separator = Some(c);
            run.last += 2;
            run.letters += 1;
        }
        // The last letter may start a run with another separator: "i s.e.n.d".
        let other_separator = pieces.get(run.last + 1).is_some_and(|p| is_separator(p.c))
            && run.last + 2 < pieces.len()
            && is_single_letter(pieces, run.last + 2);
        k = if other_separator {
            run.last
        } else {
            run.last + 1
        };
        runs.push(run);
    }
    runs
}

/// Whether a run has a word gap (two spaces) or the edge of the text on both sides: "o k", "i m  jena".
fn stands_alone(pieces: &[Piece], run: &LetterRun) -> bool {
    let double_space = |a: usize, b: usize| pieces[a].c == ' ' && pieces[b].c == ' ';
    let before = run.first == 0 || (run.first >= 2 && double_space(run.first - 2, run.first - 1));
    let after = run.last + 1 == pieces.len()
        || (run.last + 2 < pieces.len() && double_space(run.last + 1, run.last + 2));
    before && after
}

/// Whether runs `a` and `b` are consecutive words of the same spaced-out sentence.
fn word_gap(pieces: &[Piece], a: &LetterRun, b: &LetterRun) -> bool {
    let gap = &pieces[a.last + 1..b.first.max(a.last + 1)];
    let spaced = |r: &LetterRun| r.separator == Some(' ');
    match gap.len() {
        2 => gap.iter().all(|p| p.c == ' '),
        1 => gap[0].c == ' ' && !spaced(a) && !spaced(b),
        _ => false,
    }
}

fn is_single_letter(pieces: &[Piece], k: usize) -> bool {
    let in_word = |c: char| c.is_alphanumeric() || c == '\'';
    pieces[k].c.is_ascii_lowercase()
        && (k == 0 || !in_word(pieces[k - 1].c))
        && pieces.get(k + 1).is_none_or(|p| !in_word(p.c))
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '.' | '-' | '_' | '*' | '/' | '+')
}

/// Steps 7 and 8, compacting in place and dropping [`REMOVED`] pieces.
fn squeeze_and_trim(pieces: &mut Vec<Piece>) {
    let mut kept = 0;
    for r in 0..pieces.len() {
        let piece = pieces[r];
        if piece.c == REMOVED || (kept == 0 && piece.c == ' ') {
            continue;
        }
        if kept > 0 {
            let prev = &mut pieces[kept - 1];
            let squeezable = (piece.c.is_ascii_lowercase() && !piece.verbatim) || piece.c == ' ';
            if prev.c == piece.c && squeezable && !prev.verbatim {
                prev.end = prev.end.max(piece.end);
                continue;
            }
        }
        pieces[kept] = piece;
        kept += 1;
    }
    if kept > 0 && pieces[kept - 1].c == ' ' {
        kept -= 1;
    }
    pieces.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_emoji_table_is_valid() {
        let table = parse_emoji_table(include_str!("../../data/normalize/emoji.toml")).unwrap();
        assert_eq!(table.get(&'📷').map(|w| &**w), Some("pic"));
        assert_eq!(table.get(&'❤').map(|w| &**w), Some("love"));
        assert_eq!(table.get(&'👀').map(|w| &**w), Some(""));
    }

    #[test]
    fn bad_emoji_tables_are_rejected() {
        let cases = [
            "drop = []\n[words]\npic = [\"ab\"]",
            "drop = []\n[words]\nPic = [\"📷\"]",
            "drop = [\"📷\"]\n[words]\npic = [\"📷\"]",
            "drop = []\n[words]\npic = [\"é\"]",
            "drop = []\nextra = 1\n[words]",
        ];
        for case in cases {
            assert!(parse_emoji_table(case).is_err(), "{case}");
        }
    }

    #[test]
    fn cached_folds_match_uncached() {
        for cp in TABLE_START..TABLE_END {
            let c = char::from_u32(cp).unwrap();
            let mut uncached = String::new();
            fold_uncached(c, &mut |x| uncached.push(x));
            assert_eq!(&*FOLDS.get(c).unwrap().fold, uncached);
        }
        assert!(FOLDS.get('a').is_none());
        assert!(FOLDS.get('\u{530}').is_none());
    }

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        assert!(UNITS.windows(2).all(|w| w[0] < w[1]));
        assert!(AFTER_FOR.windows(2).all(|w| w[0] < w[1]));
    }
}
