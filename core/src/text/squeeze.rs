//! Squeezing of rule patterns: the pattern-side twin of the normaliser's letter squeeze, shared with the build
//! script that prepares the embedded rule packs.

/// Applies step 7 (squeeze) to the literal ASCII letters of a regex pattern, so rule packs are written in
/// normal spelling: `\bfollow\b` becomes `\bfolow\b`, matching normalised text.
///
/// Escapes (`\b`, `\s`, `\p{..}`, `\x{..}`...), character classes, `{..}` repetitions and `(?flags)` or
/// `(?P<name>` group headers are copied unchanged. A run of one letter repeated, some copies with
/// quantifiers, becomes that letter once, or once made optional when every copy was optional: `fol+ow` stays,
/// `foll?ow` and `fo{2}d` become `folow` and `fod`, `o?o?` becomes `o?`. Letters split by a group boundary
/// (`o(o)`) are not merged. Free-spacing `(?x)` comments are not recognised. Cost: linear; call it once per
/// pattern when compiling a rule pack.
pub fn squeeze_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len());
    let mut i = 0;
    while i < chars.len() {
        let end = match chars[i] {
            '\\' => escape_end(&chars, i),
            '[' => class_end(&chars, i),
            '{' => after(&chars, i, '}'),
            '(' if chars.get(i + 1) == Some(&'?') => group_header_end(&chars, i),
            c if c.is_ascii_alphabetic() => {
                i = squeeze_letter_run(&chars, i, &mut out);
                continue;
            }
            _ => i + 1,
        };
        out.extend(&chars[i..end]);
        i = end;
    }
    out
}

/// Writes the squeezed form of the run of atoms of the letter at `i` and returns the index after the run.
fn squeeze_letter_run(chars: &[char], i: usize, out: &mut String) -> usize {
    let letter = chars[i];
    let mut j = i;
    let mut atoms = 0;
    let mut min_total = 0;
    while chars.get(j) == Some(&letter) {
        let (quantifier_end, min) = quantifier(chars, j + 1);
        atoms += 1;
        min_total += min;
        j = quantifier_end;
    }
    if atoms == 1 && min_total <= 1 {
        out.extend(&chars[i..j]);
    } else {
        out.push(letter);
        if min_total == 0 {
            out.push('?');
        }
    }
    j
}

/// The end of the quantifier (with its lazy `?`) starting at `i`, if any, and the minimum count it allows.
fn quantifier(chars: &[char], i: usize) -> (usize, usize) {
    let (end, min) = match chars.get(i) {
        Some('?') | Some('*') => (i + 1, 0),
        Some('+') => (i + 1, 1),
        Some('{') => {
            let end = after(chars, i, '}');
            let digits: String = chars[i + 1..end]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            (end, digits.parse().unwrap_or(1))
        }
        _ => return (i, 1),
    };
    let lazy = chars.get(end) == Some(&'?');
    (end + usize::from(lazy), min)
}

/// The index after the first `close` at or after `i + 1`, or the end.
fn after(chars: &[char], i: usize, close: char) -> usize {
    chars[i + 1..]
        .iter()
        .position(|&c| c == close)
        .map_or(chars.len(), |p| i + 1 + p + 1)
}

fn escape_end(chars: &[char], i: usize) -> usize {
    let Some(&kind) = chars.get(i + 1) else {
        return chars.len();
    };
    let braced = chars.get(i + 2) == Some(&'{');
    let end = match kind {
        'p' | 'P' | 'x' | 'u' | 'U' if braced => after(chars, i + 2, '}'),
        'p' | 'P' => i + 3,
        'x' => i + 4,
        'u' => i + 6,
        'U' => i + 10,
        _ => i + 2,
    };
    end.min(chars.len())
}

fn class_end(chars: &[char], i: usize) -> usize {
    let mut j = i + 1;
    if chars.get(j) == Some(&'^') {
        j += 1;
    }
    if chars.get(j) == Some(&']') {
        j += 1;
    }
    let mut depth = 1;
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 1,
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
        j += 1;
    }
    chars.len()
}

fn group_header_end(chars: &[char], i: usize) -> usize {
    match (chars.get(i + 2), chars.get(i + 3)) {
        (Some('P'), Some('<')) | (Some('<'), _) => after(chars, i + 2, '>'),
        _ => {
            let rest = &chars[i + 2..];
            rest.iter()
                .position(|&c| c == ':' || c == ')')
                .map_or(chars.len(), |p| i + 2 + p + 1)
        }
    }
}
