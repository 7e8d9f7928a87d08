//! Redis's glob-style pattern matching (`stringmatchlen`): `*`, `?`, `[...]`
//! with ranges and `^` negation, `\` escapes, optional ASCII case folding.
//! Patterns are bytes and may be unterminated (`[abc` matches like Redis).
//!
//! Like Redis 7.0.15, a run of stars is collapsed and a failed star stops
//! longer matches (no exponential blow-up), and nesting is capped so an
//! abusive pattern cannot exhaust the stack (a WASM stack is small).

const MAX_NESTING: usize = 1000;

/// True if `s` matches `pattern`.
pub fn matches(pattern: &[u8], s: &[u8], nocase: bool) -> bool {
    let mut skip_longer = false;
    match_impl(pattern, s, nocase, &mut skip_longer, 0)
}

fn lower(c: u8, nocase: bool) -> u8 {
    if nocase {
        c.to_ascii_lowercase()
    } else {
        c
    }
}

fn match_impl(mut p: &[u8], mut s: &[u8], nocase: bool, skip_longer: &mut bool, nesting: usize) -> bool {
    if nesting > MAX_NESTING {
        return false;
    }
    while !p.is_empty() && !s.is_empty() {
        match p[0] {
            b'*' => {
                while p.len() > 1 && p[1] == b'*' {
                    p = &p[1..];
                }
                if p.len() == 1 {
                    return true;
                }
                while !s.is_empty() {
                    if match_impl(&p[1..], s, nocase, skip_longer, nesting + 1) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    s = &s[1..];
                }
                *skip_longer = true;
                return false;
            }
            b'?' => {
                s = &s[1..];
            }
            b'[' => {
                p = &p[1..];
                let not = p.first() == Some(&b'^');
                if not {
                    p = &p[1..];
                }
                let mut matched = false;
                let c = s[0];
                loop {
                    if p.first() == Some(&b'\\') && p.len() >= 2 {
                        p = &p[1..];
                        if p[0] == c {
                            matched = true;
                        }
                    } else if p.first() == Some(&b']') {
                        break;
                    } else if p.is_empty() {
                        // Unterminated class: Redis steps back so the outer
                        // advance lands at the end of the pattern.
                        break;
                    } else if p.len() >= 3 && p[1] == b'-' {
                        let (mut start, mut end) = (p[0], p[2]);
                        if start > end {
                            core::mem::swap(&mut start, &mut end);
                        }
                        let (start, end, cc) = (lower(start, nocase), lower(end, nocase), lower(c, nocase));
                        p = &p[2..];
                        if cc >= start && cc <= end {
                            matched = true;
                        }
                    } else if lower(p[0], nocase) == lower(c, nocase) {
                        matched = true;
                    }
                    p = &p[1..];
                }
                if not {
                    matched = !matched;
                }
                if !matched {
                    return false;
                }
                s = &s[1..];
                // The outer advance below skips the ']' (or nothing if the
                // class was unterminated and the pattern is exhausted).
                if p.is_empty() {
                    if s.is_empty() {
                        break;
                    }
                    continue;
                }
            }
            b'\\' if p.len() >= 2 => {
                p = &p[1..];
                if lower(p[0], nocase) != lower(s[0], nocase) {
                    return false;
                }
                s = &s[1..];
            }
            c => {
                if lower(c, nocase) != lower(s[0], nocase) {
                    return false;
                }
                s = &s[1..];
            }
        }
        p = &p[1..];
        if s.is_empty() {
            while p.first() == Some(&b'*') {
                p = &p[1..];
            }
            break;
        }
    }
    p.is_empty() && s.is_empty()
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
        ];
        for (p, s) in yes {
            assert!(matches(p.as_bytes(), s.as_bytes(), false), "{} ~ {}", p, s);
        }
        let no: &[(&str, &str)] = &[("*", ""), ("h[^e]llo", "hello"), ("h?llo", "hllo"), ("a*b", "acd"), ("", "a"), ("abc", "ab")];
        for (p, s) in no {
            assert!(!matches(p.as_bytes(), s.as_bytes(), false), "{} !~ {}", p, s);
        }
        assert!(matches(b"HeLLo", b"hello", true));
        let long = "a*".repeat(5000);
        let _ = matches(long.as_bytes(), &[b'a'; 10000], false);
    }
}
