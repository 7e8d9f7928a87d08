//! Lua 5.1's pattern matcher (lstrlib.c's `match` and helpers) over byte
//! slices: character classes (`%a %c %d %l %p %s %u %w %x %z` and their
//! upper-case complements, with the C locale's ctype), sets `[...]` with
//! ranges and classes, quantifiers `* + - ?`, `^`/`$` anchors, captures
//! (including position captures `()`), `%b`, `%f` and back-references.
//!
//! Positions are indices: `s` into the subject, `p` into the pattern. The C
//! code reads the terminating NUL of both strings; here `Matcher::sc` and
//! `Matcher::pc` return 0 past the end, which keeps every such read (the
//! frontier test at the end of the subject, the end-of-pattern test) as it
//! was. Like the C code, which takes the pattern as a C string, the pattern
//! ends at its first NUL byte ([`Matcher::new`] cuts it there).
//!
//! Deviations from 5.1, both so that hostile patterns cannot hurt the host:
//! * recursion is bounded: more than [`MAX_DEPTH`] nested calls fail with
//!   "pattern too complex" (Lua 5.2's limit and message; 5.1 has no limit but
//!   the C stack), so a 100k-character pattern cannot overflow the Rust stack;
//! * work is metered: every [`TICK_INTERVAL`] steps the matcher asks its
//!   `keep_going` callback whether to continue, so exponential backtracking
//!   can be stopped by the host ([`PatternError::Interrupted`]).

use alloc::vec::Vec;

/// Maximum number of captures (LUA_MAXCAPTURES).
pub const MAX_CAPTURES: usize = 32;
/// Maximum recursion depth of the matcher (Lua 5.2's MAXCCALLS).
pub const MAX_DEPTH: u32 = 200;
/// Steps between two calls of the `keep_going` callback.
pub const TICK_INTERVAL: u64 = 1 << 14;

const L_ESC: u8 = b'%';
const SPECIALS: &[u8] = b"^$*+?.([%-";

/// A capture's length while open, and the marker of a position capture.
const CAP_UNFINISHED: isize = -1;
const CAP_POSITION: isize = -2;

/// Everything that stops a match with an error (`luaL_error` in lstrlib).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatternError {
    /// "malformed pattern (ends with '%')"
    EndsWithEscape,
    /// "malformed pattern (missing ']')"
    MissingBracket,
    /// "invalid capture index"
    InvalidCaptureIndex,
    /// "invalid pattern capture"
    InvalidPatternCapture,
    /// "unfinished capture"
    UnfinishedCapture,
    /// "missing '[' after '%f' in pattern"
    MissingFrontierSet,
    /// "too many captures"
    TooManyCaptures,
    /// "unbalanced pattern" (`%b` without two characters)
    Unbalanced,
    /// "pattern too complex": deeper than [`MAX_DEPTH`] (not in Lua 5.1).
    TooComplex,
    /// The `keep_going` callback asked to stop.
    Interrupted,
}

impl PatternError {
    /// Lua's message text (without the "chunk:line:" prefix luaL_error adds).
    pub fn message(self) -> &'static str {
        match self {
            PatternError::EndsWithEscape => "malformed pattern (ends with '%')",
            PatternError::MissingBracket => "malformed pattern (missing ']')",
            PatternError::InvalidCaptureIndex => "invalid capture index",
            PatternError::InvalidPatternCapture => "invalid pattern capture",
            PatternError::UnfinishedCapture => "unfinished capture",
            PatternError::MissingFrontierSet => "missing '[' after '%f' in pattern",
            PatternError::TooManyCaptures => "too many captures",
            PatternError::Unbalanced => "unbalanced pattern",
            PatternError::TooComplex => "pattern too complex",
            PatternError::Interrupted => "interrupted",
        }
    }
}

/// One capture's value: a slice of the subject or a 1-based position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capture {
    /// `subject[start..end]`.
    Str {
        /// Index of the first byte.
        start: usize,
        /// Index just after the last byte.
        end: usize,
    },
    /// A position capture `()`: the 1-based index it stood at.
    Position(usize),
}

/// The state of one match attempt (lstrlib's `MatchState`).
pub struct Matcher<'a> {
    src: &'a [u8],
    pat: &'a [u8],
    level: usize,
    capture: [(usize, isize); MAX_CAPTURES],
    depth: u32,
    steps: u64,
    next_tick: u64,
}

/// C locale `isalpha`, ... for the class letter `cl` (lower case).
fn class_matches(c: u8, cl: u8) -> Option<bool> {
    Some(match cl {
        b'a' => c.is_ascii_alphabetic(),
        b'c' => c.is_ascii_control(),
        b'd' => c.is_ascii_digit(),
        b'l' => c.is_ascii_lowercase(),
        b'p' => c.is_ascii_punctuation(),
        b's' => crate::number::is_c_space(c),
        b'u' => c.is_ascii_uppercase(),
        b'w' => c.is_ascii_alphanumeric(),
        b'x' => c.is_ascii_hexdigit(),
        b'z' => c == 0,
        _ => return None,
    })
}

/// lstrlib's `match_class`: `%cl` against `c` (upper-case letters negate,
/// any other character matches itself).
fn match_class(c: u8, cl: u8) -> bool {
    match class_matches(c, cl.to_ascii_lowercase()) {
        Some(res) => {
            if cl.is_ascii_lowercase() {
                res
            } else {
                !res
            }
        }
        None => cl == c,
    }
}

/// Does the pattern contain a special character before its first NUL?
/// (`strpbrk(p, SPECIALS)`: `string.find` does a plain search otherwise.)
pub fn has_specials(p: &[u8]) -> bool {
    p.iter().take_while(|&&c| c != 0).any(|c| SPECIALS.contains(c))
}

/// lstrlib's `lmemfind`: the first index of `needle` in `hay`.
///
/// Short needles are compared in place; long ones use Knuth-Morris-Pratt,
/// so the search stays linear however the two strings are made (C's
/// memchr/memcmp loop is quadratic in the worst case).
pub fn find_plain(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    if needle.len() > hay.len() {
        return None;
    }
    if needle.len() <= 32 {
        return hay.windows(needle.len()).position(|w| w == needle);
    }
    // KMP failure function: fail[i] = length of the longest proper border
    // of needle[..=i]. Indexes stay in bounds: k < needle.len() whenever
    // needle[k] is read (a full match returns), and fail[k - 1] needs k > 0.
    let mut fail = Vec::new();
    if fail.try_reserve_exact(needle.len()).is_err() {
        return hay.windows(needle.len()).position(|w| w == needle);
    }
    fail.push(0usize);
    let mut k = 0;
    for &c in &needle[1..] {
        while k > 0 && needle[k] != c {
            k = fail[k - 1];
        }
        if needle[k] == c {
            k += 1;
        }
        fail.push(k);
    }
    let mut k = 0;
    for (i, &c) in hay.iter().enumerate() {
        while k > 0 && needle[k] != c {
            k = fail[k - 1];
        }
        if needle[k] == c {
            k += 1;
        }
        if k == needle.len() {
            return Some(i + 1 - k);
        }
    }
    None
}

impl<'a> Matcher<'a> {
    /// A matcher of `pattern` (cut at its first NUL, as C sees it) over
    /// `subject`, reusable for many match attempts.
    pub fn new(subject: &'a [u8], pattern: &'a [u8]) -> Self {
        let end = pattern.iter().position(|&c| c == 0).unwrap_or(pattern.len());
        Matcher {
            src: subject,
            pat: pattern.get(..end).unwrap_or(pattern),
            level: 0,
            capture: [(0, 0); MAX_CAPTURES],
            depth: 0,
            steps: 0,
            next_tick: TICK_INTERVAL,
        }
    }

    /// The pattern as matched (cut at its first NUL).
    pub fn pattern(&self) -> &'a [u8] {
        self.pat
    }

    /// Number of captures of the last successful match (`ms->level`).
    pub fn level(&self) -> usize {
        self.level
    }

    /// Tries to match the pattern from index `p` at subject index `s`
    /// (resetting the captures first): the end of the match, or `None`.
    /// `keep_going` is polled every [`TICK_INTERVAL`] steps of work (counted
    /// across the attempts of one matcher).
    pub fn match_at(&mut self, s: usize, p: usize, keep_going: &mut dyn FnMut() -> bool) -> Result<Option<usize>, PatternError> {
        self.level = 0;
        self.depth = 0;
        self.do_match(keep_going, s, p)
    }

    /// lstrlib's `push_onecapture` (as a value): capture `i` of the last
    /// match, or the whole match `s..e` when there are no captures and `i`
    /// is 0.
    pub fn get_capture(&self, i: usize, s: usize, e: usize) -> Result<Capture, PatternError> {
        if i >= self.level {
            if i == 0 {
                Ok(Capture::Str { start: s, end: e })
            } else {
                Err(PatternError::InvalidCaptureIndex)
            }
        } else {
            let (init, len) = self.capture.get(i).copied().ok_or(PatternError::InvalidCaptureIndex)?;
            match len {
                CAP_UNFINISHED => Err(PatternError::UnfinishedCapture),
                CAP_POSITION => Ok(Capture::Position(init + 1)),
                _ => Ok(Capture::Str { start: init, end: init + len as usize }),
            }
        }
    }

    /// How many values `push_captures` pushes: the captures, or 1 (the
    /// whole match) when there are none and `whole` is asked for.
    pub fn num_captures(&self, whole: bool) -> usize {
        if self.level == 0 && whole {
            1
        } else {
            self.level
        }
    }

    /// The subject byte at `i`, 0 past the end (C's terminating NUL).
    fn sc(&self, i: usize) -> u8 {
        self.src.get(i).copied().unwrap_or(0)
    }

    /// The pattern byte at `i`, 0 past the end.
    fn pc(&self, i: usize) -> u8 {
        self.pat.get(i).copied().unwrap_or(0)
    }

    /// Counts `n` units of work and polls `keep_going` once per
    /// [`TICK_INTERVAL`] units.
    fn step(&mut self, kg: &mut dyn FnMut() -> bool, n: u64) -> Result<(), PatternError> {
        self.steps += n;
        if self.steps >= self.next_tick {
            self.next_tick = self.steps + TICK_INTERVAL;
            if !kg() {
                return Err(PatternError::Interrupted);
            }
        }
        Ok(())
    }

    /// The index just after the single-character class starting at `p`.
    fn class_end(&self, mut p: usize) -> Result<usize, PatternError> {
        let c = self.pc(p);
        p += 1;
        match c {
            L_ESC => {
                if p >= self.pat.len() {
                    return Err(PatternError::EndsWithEscape);
                }
                Ok(p + 1)
            }
            b'[' => {
                if self.pc(p) == b'^' {
                    p += 1;
                }
                // Look for the ']' (the first character of the set is never
                // the closing one, as in C's do-while).
                loop {
                    if p >= self.pat.len() {
                        return Err(PatternError::MissingBracket);
                    }
                    let c = self.pc(p);
                    p += 1;
                    if c == L_ESC && p < self.pat.len() {
                        p += 1; // skip escapes such as `%]`
                    }
                    if self.pc(p) == b']' {
                        break;
                    }
                }
                Ok(p + 1)
            }
            _ => Ok(p),
        }
    }

    /// `[...]` from `p` (the '[') to `ec` (the ']') against `c`.
    fn match_bracket_class(&self, c: u8, mut p: usize, ec: usize) -> bool {
        let mut sig = true;
        if self.pc(p + 1) == b'^' {
            sig = false;
            p += 1;
        }
        loop {
            p += 1;
            if p >= ec {
                break;
            }
            if self.pc(p) == L_ESC {
                p += 1;
                if match_class(c, self.pc(p)) {
                    return sig;
                }
            } else if self.pc(p + 1) == b'-' && p + 2 < ec {
                p += 2;
                if self.pc(p - 2) <= c && c <= self.pc(p) {
                    return sig;
                }
            } else if self.pc(p) == c {
                return sig;
            }
        }
        !sig
    }

    /// One pattern item from `p` (ending before `ep`) against `c`.
    fn single_match(&self, c: u8, p: usize, ep: usize) -> bool {
        match self.pc(p) {
            b'.' => true,
            L_ESC => match_class(c, self.pc(p + 1)),
            b'[' => self.match_bracket_class(c, p, ep - 1),
            pc => pc == c,
        }
    }

    fn do_match(&mut self, kg: &mut dyn FnMut() -> bool, s: usize, p: usize) -> Result<Option<usize>, PatternError> {
        if self.depth >= MAX_DEPTH {
            return Err(PatternError::TooComplex);
        }
        self.depth += 1;
        let r = self.match_body(kg, s, p);
        self.depth -= 1;
        r
    }

    fn match_body(&mut self, kg: &mut dyn FnMut() -> bool, mut s: usize, mut p: usize) -> Result<Option<usize>, PatternError> {
        // The loop stands for C's `goto init` (tail calls).
        loop {
            self.step(kg, 1)?;
            match self.pc(p) {
                b'(' => {
                    return if self.pc(p + 1) == b')' {
                        self.start_capture(kg, s, p + 2, CAP_POSITION)
                    } else {
                        self.start_capture(kg, s, p + 1, CAP_UNFINISHED)
                    };
                }
                b')' => return self.end_capture(kg, s, p + 1),
                0 if p >= self.pat.len() => return Ok(Some(s)),
                b'$' if p + 1 == self.pat.len() => {
                    return Ok(if s == self.src.len() { Some(s) } else { None });
                }
                L_ESC if self.pc(p + 1) == b'b' => {
                    match self.match_balance(kg, s, p + 2)? {
                        Some(e) => {
                            s = e;
                            p += 4;
                            continue;
                        }
                        None => return Ok(None),
                    }
                }
                L_ESC if self.pc(p + 1) == b'f' => {
                    p += 2;
                    if self.pc(p) != b'[' {
                        return Err(PatternError::MissingFrontierSet);
                    }
                    let ep = self.class_end(p)?;
                    let previous = if s == 0 { 0 } else { self.sc(s - 1) };
                    if self.match_bracket_class(previous, p, ep - 1)
                        || !self.match_bracket_class(self.sc(s), p, ep - 1)
                    {
                        return Ok(None);
                    }
                    p = ep;
                    continue;
                }
                L_ESC if self.pc(p + 1).is_ascii_digit() => {
                    match self.match_capture(s, self.pc(p + 1))? {
                        Some(e) => {
                            s = e;
                            p += 2;
                            continue;
                        }
                        None => return Ok(None),
                    }
                }
                _ => {
                    let ep = self.class_end(p)?;
                    let m = s < self.src.len() && self.single_match(self.sc(s), p, ep);
                    match self.pc(ep) {
                        b'?' => {
                            if m {
                                if let Some(r) = self.do_match(kg, s + 1, ep + 1)? {
                                    return Ok(Some(r));
                                }
                            }
                            p = ep + 1;
                            continue;
                        }
                        b'*' => return self.max_expand(kg, s, p, ep),
                        b'+' => return if m { self.max_expand(kg, s + 1, p, ep) } else { Ok(None) },
                        b'-' => return self.min_expand(kg, s, p, ep),
                        _ => {
                            if !m {
                                return Ok(None);
                            }
                            s += 1;
                            p = ep;
                            continue;
                        }
                    }
                }
            }
        }
    }

    fn match_balance(&mut self, kg: &mut dyn FnMut() -> bool, s: usize, p: usize) -> Result<Option<usize>, PatternError> {
        if p + 1 >= self.pat.len() {
            return Err(PatternError::Unbalanced);
        }
        let (b, e) = (self.pc(p), self.pc(p + 1));
        if self.sc(s) != b || s >= self.src.len() {
            return Ok(None);
        }
        let mut cont = 1usize;
        let mut i = s + 1;
        while i < self.src.len() {
            let c = self.sc(i);
            if c == e {
                cont -= 1;
                if cont == 0 {
                    return Ok(Some(i + 1));
                }
            } else if c == b {
                cont += 1;
            }
            i += 1;
        }
        // Long scans count towards the budget too.
        self.step(kg, (i - s) as u64 / 16)?;
        Ok(None)
    }

    fn max_expand(&mut self, kg: &mut dyn FnMut() -> bool, s: usize, p: usize, ep: usize) -> Result<Option<usize>, PatternError> {
        let mut i = 0usize;
        while s + i < self.src.len() && self.single_match(self.sc(s + i), p, ep) {
            i += 1;
        }
        self.step(kg, i as u64 / 16)?;
        // Keep trying with the maximum repetitions, then one fewer, ...
        loop {
            if let Some(r) = self.do_match(kg, s + i, ep + 1)? {
                return Ok(Some(r));
            }
            if i == 0 {
                return Ok(None);
            }
            i -= 1;
        }
    }

    fn min_expand(&mut self, kg: &mut dyn FnMut() -> bool, mut s: usize, p: usize, ep: usize) -> Result<Option<usize>, PatternError> {
        loop {
            if let Some(r) = self.do_match(kg, s, ep + 1)? {
                return Ok(Some(r));
            }
            if s < self.src.len() && self.single_match(self.sc(s), p, ep) {
                s += 1;
            } else {
                return Ok(None);
            }
        }
    }

    fn start_capture(&mut self, kg: &mut dyn FnMut() -> bool, s: usize, p: usize, what: isize) -> Result<Option<usize>, PatternError> {
        let level = self.level;
        let slot = self.capture.get_mut(level).ok_or(PatternError::TooManyCaptures)?;
        *slot = (s, what);
        self.level = level + 1;
        let r = self.do_match(kg, s, p)?;
        if r.is_none() {
            self.level -= 1; // undo the capture
        }
        Ok(r)
    }

    fn end_capture(&mut self, kg: &mut dyn FnMut() -> bool, s: usize, p: usize) -> Result<Option<usize>, PatternError> {
        // capture_to_close: the innermost open capture.
        let l = (0..self.level)
            .rev()
            .find(|&l| self.capture[l].1 == CAP_UNFINISHED)
            .ok_or(PatternError::InvalidPatternCapture)?;
        self.capture[l].1 = (s - self.capture[l].0) as isize;
        let r = self.do_match(kg, s, p)?;
        if r.is_none() {
            self.capture[l].1 = CAP_UNFINISHED; // undo the close
        }
        Ok(r)
    }

    /// A back-reference `%1`..`%9` (`%0` is an invalid index).
    fn match_capture(&mut self, s: usize, digit: u8) -> Result<Option<usize>, PatternError> {
        let l = (digit as usize).wrapping_sub(b'1' as usize);
        if l >= self.level || self.capture[l].1 == CAP_UNFINISHED {
            return Err(PatternError::InvalidCaptureIndex);
        }
        let (init, len) = self.capture[l];
        // A position capture's length is negative: C compares it as a huge
        // size_t, so it never matches.
        if len < 0 {
            return Ok(None);
        }
        let len = len as usize;
        let cap = self.src.get(init..init + len).unwrap_or(&[]);
        match self.src.get(s..s + len) {
            Some(here) if here == cap => Ok(Some(s + len)),
            _ => Ok(None),
        }
    }
}

/// Lua 5.1's `posrelat`: a relative string position (negative counts back
/// from the end) made non-negative.
pub fn posrelat(pos: i64, len: usize) -> i64 {
    let pos = if pos < 0 { pos.saturating_add(len as i64 + 1) } else { pos };
    pos.max(0)
}

/// A successful `string.find`/`string.match`: the match `start..end`
/// (0-based, end exclusive) and its captures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Index of the first matched byte.
    pub start: usize,
    /// Index just after the match.
    pub end: usize,
    /// The captures to return: for `find`, only the pattern's captures; for
    /// `match`, the whole match when the pattern has none.
    pub captures: Vec<Capture>,
}

/// lstrlib's `str_find_aux` without the Lua stack: `find` selects
/// `string.find` (plain search when `plain` or when the pattern has no
/// special characters; captures exclude the whole match) over
/// `string.match`. `init` is the Lua argument (1-based, negative from the
/// end).
pub fn str_find_aux(
    subject: &[u8],
    pattern: &[u8],
    init: i64,
    find: bool,
    plain: bool,
    keep_going: &mut dyn FnMut() -> bool,
) -> Result<Option<Found>, PatternError> {
    let len = subject.len();
    let init = (posrelat(init, len) - 1).clamp(0, len as i64) as usize;
    if find && (plain || !has_specials(pattern)) {
        let hay = subject.get(init..).unwrap_or(&[]);
        return Ok(find_plain(hay, pattern).map(|i| Found {
            start: init + i,
            end: init + i + pattern.len(),
            captures: Vec::new(),
        }));
    }
    let mut m = Matcher::new(subject, pattern);
    let anchor = m.pattern().first() == Some(&b'^');
    let p0 = anchor as usize;
    let mut s1 = init;
    loop {
        if let Some(e) = m.match_at(s1, p0, keep_going)? {
            let n = m.num_captures(!find);
            let mut captures = Vec::with_capacity(n);
            for i in 0..n {
                captures.push(m.get_capture(i, s1, e)?);
            }
            return Ok(Some(Found { start: s1, end: e, captures }));
        }
        s1 += 1;
        if s1 > len || anchor {
            return Ok(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// string.find(s, p) with captures, as a list of strings (positions as
    /// decimal), or the error message.
    type FindResult = Result<Option<(usize, usize, Vec<Vec<u8>>)>, &'static str>;

    fn find(s: &[u8], p: &[u8]) -> FindResult {
        let mut go = || true;
        let mut m = Matcher::new(s, p);
        let (anchor, p0) = if m.pattern().first() == Some(&b'^') { (true, 1) } else { (false, 0) };
        let mut s1 = 0;
        loop {
            if let Some(e) = m.match_at(s1, p0, &mut go).map_err(|e| e.message())? {
                let mut caps = Vec::new();
                for i in 0..m.num_captures(false) {
                    caps.push(match m.get_capture(i, s1, e).map_err(|e| e.message())? {
                        Capture::Str { start, end } => s[start..end].to_vec(),
                        Capture::Position(n) => alloc::format!("{}", n).into_bytes(),
                    });
                }
                return Ok(Some((s1 + 1, e, caps)));
            }
            s1 += 1;
            if s1 > s.len() || anchor {
                return Ok(None);
            }
        }
    }

    fn caps(v: &[&str]) -> Vec<Vec<u8>> {
        v.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    #[test]
    fn basics() {
        assert_eq!(find(b"hello world", b"o w"), Ok(Some((5, 7, caps(&[])))));
        assert_eq!(find(b"hello", b"l+"), Ok(Some((3, 4, caps(&[])))));
        assert_eq!(find(b"hello", b"(h)(e)"), Ok(Some((1, 2, caps(&["h", "e"])))));
        assert_eq!(find(b"hello", b"()ll()"), Ok(Some((3, 4, caps(&["3", "5"])))));
        assert_eq!(find(b"THE (quick) fox", b"%((%a+)%)"), Ok(Some((5, 11, caps(&["quick"])))));
        assert_eq!(find(b"x = f(a(b)c) + 1", b"%b()"), Ok(Some((6, 12, caps(&[])))));
        assert_eq!(find(b"THE (quick) fox", b"%f[%a]%a+"), Ok(Some((1, 3, caps(&[])))));
        assert_eq!(find(b"hello", b"%f[%z]"), Ok(Some((6, 5, caps(&[])))));
        assert_eq!(find(b"abcabc", b"(abc)%1"), Ok(Some((1, 6, caps(&["abc"])))));
        assert_eq!(find(b"aaa", b"^a-$"), Ok(Some((1, 3, caps(&[])))));
        assert_eq!(find(b"aaab", b"a-b"), Ok(Some((1, 4, caps(&[])))));
        assert_eq!(find(b"ab", b"^b"), Ok(None));
        assert_eq!(find(b"a]b", b"[%]]"), Ok(Some((2, 2, caps(&[])))));
        assert_eq!(find(b"a-b", b"[a-]"), Ok(Some((1, 1, caps(&[])))));
        assert_eq!(find(b"x-", b"[%a-]+"), Ok(Some((1, 2, caps(&[])))));
        assert_eq!(find(b"\xe9t\xe9", b"%a+"), Ok(Some((2, 2, caps(&[])))));
        assert_eq!(find(b"a\0b", b"%z"), Ok(Some((2, 2, caps(&[])))));
        assert_eq!(find(b"a$b", b"$b"), Ok(Some((2, 3, caps(&[])))));
        assert_eq!(find(b" \x0b", b"%s+"), Ok(Some((1, 2, caps(&[])))));
        assert_eq!(find(b"key=val", b"(%w+)=(%w+)"), Ok(Some((1, 7, caps(&["key", "val"])))));
        assert_eq!(find(b"", b""), Ok(Some((1, 0, caps(&[])))));
        assert_eq!(find(b"abc", b"[^a]"), Ok(Some((2, 2, caps(&[])))));
        assert_eq!(find(b"()", b"%b()"), Ok(Some((1, 2, caps(&[])))));
        assert_eq!(find(b"abc", b"()a()%2"), Ok(None));
    }

    #[test]
    fn errors_match_lua51() {
        assert_eq!(find(b"a", b"%"), Err("malformed pattern (ends with '%')"));
        assert_eq!(find(b"a", b"[a"), Err("malformed pattern (missing ']')"));
        assert_eq!(find(b"a", b"[]"), Err("malformed pattern (missing ']')"));
        assert_eq!(find(b"a", b"[%"), Err("malformed pattern (missing ']')"));
        assert_eq!(find(b"a", b"%1"), Err("invalid capture index"));
        assert_eq!(find(b"a", b"(a%1)"), Err("invalid capture index"));
        assert_eq!(find(b"a", b"%0"), Err("invalid capture index"));
        assert_eq!(find(b"a", b"a)"), Err("invalid pattern capture"));
        assert_eq!(find(b"a", b"(a"), Err("unfinished capture"));
        assert_eq!(find(b"a", b"%fa"), Err("missing '[' after '%f' in pattern"));
        assert_eq!(find(b"a", b"%b"), Err("unbalanced pattern"));
        assert_eq!(find(b"a", b"%ba"), Err("unbalanced pattern"));
        let many = "()".repeat(33);
        assert_eq!(find(b"a", many.as_bytes()), Err("too many captures"));
        let ok = "()".repeat(32);
        assert!(find(b"a", ok.as_bytes()).unwrap().is_some());
    }

    #[test]
    fn bounded_depth_and_budget() {
        let long = "a-".repeat(50_000);
        assert_eq!(find(b"aaaa", long.as_bytes()), Err("pattern too complex"));
        let nested = "(".repeat(100_000);
        assert!(find(b"a", nested.as_bytes()).is_err());
        // Exponential backtracking, stopped by the callback.
        let subject = [b'a'; 40];
        let pat = "a*".repeat(20) + "b";
        let mut calls = 0;
        let mut go = || {
            calls += 1;
            calls < 10
        };
        let mut m = Matcher::new(&subject, pat.as_bytes());
        assert_eq!(m.match_at(0, 0, &mut go), Err(PatternError::Interrupted));
    }

    #[test]
    fn pattern_ends_at_nul() {
        assert_eq!(find(b"ab", b"a\0c"), Ok(Some((1, 1, caps(&[])))));
        assert!(!has_specials(b"a\0("));
        assert!(has_specials(b"a."));
        assert_eq!(find_plain(b"hello", b"ll"), Some(2));
        assert_eq!(find_plain(b"hello", b""), Some(0));
        assert_eq!(find_plain(b"he", b"hello"), None);
        // Long needles (KMP) agree with the naive search.
        let hay: Vec<u8> = (0..5000u32).map(|i| b"ab"[(i * i % 7 % 2) as usize]).collect();
        for start in [0usize, 17, 100, 4000] {
            for len in [33usize, 40, 200] {
                if start + len <= hay.len() {
                    let needle = &hay[start..start + len];
                    let naive = hay.windows(len).position(|w| w == needle);
                    assert_eq!(find_plain(&hay, needle), naive);
                }
            }
        }
        let a = alloc::vec![b'a'; 100_000];
        let mut needle = alloc::vec![b'a'; 50_000];
        needle.push(b'b');
        assert_eq!(find_plain(&a, &needle), None);
    }
}
