//! Redis's glob-style pattern matching (`stringmatchlen`): `*`, `?`, `[...]`
//! with ranges and `^` negation, `\` escapes, optional ASCII case folding.
//! Patterns are bytes and may be unterminated (`[abc` matches like Redis).
//!
//! Redis 7.0.15 matches recursively, one level per `*`, and stops retrying
//! outer stars once an inner star has tried every suffix
//! (`skipLongerMatches`). That is exactly the classic "backtrack to the last
//! star only" algorithm, which we run iteratively: no recursion, so no
//! pattern can exhaust the stack (a WASM stack is small) and no nesting cap
//! changes the answer. Quirks kept on purpose:
//! - a star never matches the empty string at the start (`*` does not match
//!   ``), because Redis only enters the loop with both sides non-empty;
//! - class ranges compare C `char`s, which are signed: bytes >= 0x80 sort
//!   below ASCII (`[a-\xff]` is the range `\xff..a`);
//! - in a class, `\x` compares `x` exactly even with case folding.

/// True if `s` matches `pattern`.
pub fn matches(pattern: &[u8], s: &[u8], nocase: bool) -> bool {
    let (mut p, mut i) = (0usize, 0usize);
    // Pattern index after the last star seen, and the string index its
    // current attempt started at.
    let mut star: Option<(usize, usize)> = None;
    if s.is_empty() {
        return pattern.is_empty();
    }
    loop {
        if p == pattern.len() {
            // Pattern used up with string left: fail this attempt.
            match star {
                Some((sp, si)) if si + 1 < s.len() => {
                    star = Some((sp, si + 1));
                    p = sp;
                    i = si + 1;
                    continue;
                }
                _ => return false,
            }
        }
        if pattern[p] == b'*' {
            while p + 1 < pattern.len() && pattern[p + 1] == b'*' {
                p += 1;
            }
            if p + 1 == pattern.len() {
                return true;
            }
            p += 1;
            star = Some((p, i));
            continue;
        }
        let (ok, len) = token(&pattern[p..], s[i], nocase);
        if ok {
            p += len;
            i += 1;
            if i == s.len() {
                while pattern.get(p) == Some(&b'*') {
                    p += 1;
                }
                if p == pattern.len() {
                    return true;
                }
            } else {
                continue;
            }
        }
        // Mismatch, or the string ran out with pattern left: retry the last
        // star one byte further, never against an empty suffix.
        match star {
            Some((sp, si)) if si + 1 < s.len() => {
                star = Some((sp, si + 1));
                p = sp;
                i = si + 1;
            }
            _ => return false,
        }
    }
}

/// ASCII lowercase on a C `char` value (bytes >= 0x80 are left alone, as
/// `tolower` does in the C and C.UTF-8 locales).
fn fold(c: i32, nocase: bool) -> i32 {
    if nocase && (b'A' as i32..=b'Z' as i32).contains(&c) {
        c + 32
    } else {
        c
    }
}

/// Matches the one-character token at the start of `p` (not a star) against
/// `c`. Returns whether it matched and how many pattern bytes it spans; the
/// span never depends on `c`.
fn token(p: &[u8], c: u8, nocase: bool) -> (bool, usize) {
    let lit = |x: u8| fold(x as i32, nocase) == fold(c as i32, nocase);
    match p[0] {
        b'?' => (true, 1),
        b'\\' if p.len() >= 2 => (lit(p[1]), 2),
        b'[' => {
            let mut j = 1;
            let not = p.get(1) == Some(&b'^');
            if not {
                j = 2;
            }
            let mut m = false;
            loop {
                if p.get(j) == Some(&b'\\') && p.len() - j >= 2 {
                    j += 1;
                    if p[j] == c {
                        m = true;
                    }
                } else if p.get(j) == Some(&b']') {
                    break;
                } else if j >= p.len() {
                    // Unterminated: Redis steps back onto the last byte so
                    // the shared advance lands at the end of the pattern.
                    j = p.len() - 1;
                    break;
                } else if p.len() - j >= 3 && p[j + 1] == b'-' {
                    let (mut lo, mut hi) = (p[j] as i8 as i32, p[j + 2] as i8 as i32);
                    if lo > hi {
                        core::mem::swap(&mut lo, &mut hi);
                    }
                    let cc = fold(c as i8 as i32, nocase);
                    if cc >= fold(lo, nocase) && cc <= fold(hi, nocase) {
                        m = true;
                    }
                    j += 2;
                } else if lit(p[j]) {
                    m = true;
                }
                j += 1;
            }
            (m != not, j + 1)
        }
        x => (lit(x), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn redis_glob_cases() {
        let yes: &[(&str, &str)] = &[
            ("*", "anything"),
            ("h?llo", "hello"),
            ("h*llo", "heeeello"),
            ("h[ae]llo", "hallo"),
            ("h[^e]llo", "hallo"),
            ("h[a-b]llo", "hbllo"),
            ("h[b-a]llo", "hallo"),
            ("h\\*llo", "h*llo"),
            ("a*b*c", "aXXbYYc"),
            ("[abc", "a"),
            ("foo*", "foo"),
            ("[^", "x"),
            ("*a*", "a"),
            ("a\\", "a\\"),
        ];
        for (p, s) in yes {
            assert!(matches(p.as_bytes(), s.as_bytes(), false), "{} ~ {}", p, s);
        }
        let no: &[(&str, &str)] = &[
            ("*", ""),
            ("h[^e]llo", "hello"),
            ("h?llo", "hllo"),
            ("a*b", "acd"),
            ("", "a"),
            ("abc", "ab"),
            ("[", "["),
            ("a*b*c", "aXXbYY"),
        ];
        for (p, s) in no {
            assert!(!matches(p.as_bytes(), s.as_bytes(), false), "{} !~ {}", p, s);
        }
        assert!(matches(b"HeLLo", b"hello", true));
        assert!(matches(b"[A-Z]", b"q", true));
        // Signed chars: 0xff is -1, so [a-\xff] is -1..=97: it holds '0' and
        // 0xff but not 0x80 (-128).
        assert!(matches(b"[a-\xff]", b"0", false));
        assert!(matches(b"[a-\xff]", b"\xff", false));
        assert!(!matches(b"[a-\xff]", b"\x80", false));
        assert!(!matches(b"[a-\xff]", b"b", false));
        // Deep star nesting is fine and exact (Redis 7.0 has no cap).
        let long = "a*".repeat(5000);
        assert!(matches(long.as_bytes(), &[b'a'; 10000], false));
        assert!(!matches(long.as_bytes(), &[b'a'; 4999], false));
    }
}
