//! RESP request parsing: multibulk (`*N\r\n$len\r\n...`) and inline commands,
//! with Redis 7.0's protocol errors and limits. Pure byte slicing, no I/O.
//!
//! [`Parser`] is incremental and zero-copy. The caller keeps received bytes
//! in a buffer and calls [`Parser::parse`] with the unconsumed part (starting
//! at the first byte of the next request). A complete request comes back as a
//! [`Request`] whose arguments are slices of that buffer (inline requests,
//! which may contain escapes, are unescaped into the parser's scratch buffer
//! instead) together with the number of bytes it consumed.
//!
//! Invariants:
//! - After `Ok(None)` (incomplete) the parser remembers how far it got in the
//!   current multibulk request, so a large request arriving in many reads is
//!   scanned once. The next call must pass a buffer that starts with the same
//!   bytes (possibly moved, possibly extended); offsets are relative to the
//!   start of the request. Passing something else never panics, it merely
//!   yields garbage arguments; [`Parser::reset`] starts over.
//! - Nothing is allocated from a count the peer chose: argument lists grow
//!   one element per argument actually present in the buffer.
//! - The rules follow Redis's `processMultibulkBuffer`/`processInlineBuffer`
//!   byte for byte, quirks included: line ends are searched like `strchr`
//!   (a NUL byte hides everything after it), the byte after `\r` in a length
//!   line and the two bytes after bulk data are skipped unchecked, `*0` and
//!   negative counts are empty requests, as are blank inline lines.

use alloc::vec::Vec;
use core::fmt;

use crate::error::Error;
use crate::num;

/// Longest inline request, and longest multibulk/bulk length line, that may
/// sit in the buffer without its line end (Redis's `PROTO_INLINE_MAX_SIZE`).
pub const INLINE_MAX_SIZE: usize = 64 * 1024;

/// Largest accepted multibulk count (Redis 7.0 checks `ll > INT_MAX`).
pub const MAX_MULTIBULK_LEN: i64 = i32::MAX as i64;

/// Default largest bulk argument (`proto-max-bulk-len`, 512 MB).
pub const DEFAULT_MAX_BULK_LEN: u64 = 512 * 1024 * 1024;

/// A protocol violation. The connection must be closed after sending
/// [`ProtocolError::write_reply`], as Redis does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtocolError {
    /// `Protocol error: invalid multibulk length`
    InvalidMultibulkLength,
    /// `Protocol error: expected '$', got 'X'`, holding the byte found.
    ExpectedDollar(u8),
    /// `Protocol error: invalid bulk length`
    InvalidBulkLength,
    /// `Protocol error: too big mbulk count string`
    TooBigMultibulkCount,
    /// `Protocol error: too big bulk count string`
    TooBigBulkCount,
    /// `Protocol error: too big inline request`
    TooBigInline,
    /// `Protocol error: unbalanced quotes in request`
    UnbalancedQuotes,
}

impl ProtocolError {
    /// Appends the error text (`Protocol error: ...`, without `ERR `).
    /// CR and LF are written as spaces, as Redis's `addReplyErrorFormat` does.
    pub fn write_text(&self, out: &mut Vec<u8>) {
        let s: &[u8] = match self {
            ProtocolError::InvalidMultibulkLength => b"Protocol error: invalid multibulk length",
            ProtocolError::ExpectedDollar(c) => {
                out.extend_from_slice(b"Protocol error: expected '$', got '");
                out.push(if matches!(c, b'\r' | b'\n') { b' ' } else { *c });
                out.push(b'\'');
                return;
            }
            ProtocolError::InvalidBulkLength => b"Protocol error: invalid bulk length",
            ProtocolError::TooBigMultibulkCount => b"Protocol error: too big mbulk count string",
            ProtocolError::TooBigBulkCount => b"Protocol error: too big bulk count string",
            ProtocolError::TooBigInline => b"Protocol error: too big inline request",
            ProtocolError::UnbalancedQuotes => b"Protocol error: unbalanced quotes in request",
        };
        out.extend_from_slice(s);
    }

    /// Appends the whole error reply, `-ERR Protocol error: ...\r\n`.
    pub fn write_reply(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"-ERR ");
        self.write_text(out);
        out.extend_from_slice(b"\r\n");
    }

    /// The error as an engine [`Error`] (`ERR Protocol error: ...`).
    pub fn to_error(&self) -> Error {
        let mut v = Vec::with_capacity(64);
        v.extend_from_slice(b"ERR ");
        self.write_text(&mut v);
        Error::Msg(v.into_boxed_slice())
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut v = Vec::new();
        self.write_text(&mut v);
        f.write_str(&alloc::string::String::from_utf8_lossy(&v))
    }
}

impl core::error::Error for ProtocolError {}

/// Where the parser is inside a multibulk request that is not complete yet.
/// Offsets are relative to the request's first byte.
#[derive(Debug, Clone, Copy)]
struct Pending {
    /// Arguments still to read.
    remaining: u64,
    /// Next byte to look at.
    pos: usize,
    /// Length of the bulk whose data is awaited, once its `$len` line is read.
    bulk_len: Option<u64>,
}

/// An incremental RESP request parser (see the module docs). Reusing one
/// parser per connection keeps parsing allocation-free once warmed up.
#[derive(Debug, Clone)]
pub struct Parser {
    max_bulk_len: u64,
    pending: Option<Pending>,
    /// Argument ranges (start, end) into the caller's buffer or `scratch`.
    args: Vec<(usize, usize)>,
    /// Unescaped inline arguments.
    scratch: Vec<u8>,
}

impl Default for Parser {
    fn default() -> Self {
        Parser::new(DEFAULT_MAX_BULK_LEN)
    }
}

/// One complete request: its arguments (possibly none, for `*0` or a blank
/// inline line, which the caller just skips) and the bytes it used.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    src: &'a [u8],
    args: &'a [(usize, usize)],
    consumed: usize,
}

impl<'a> Request<'a> {
    /// Bytes of the buffer this request used; the next request starts there.
    pub fn consumed(&self) -> usize {
        self.consumed
    }

    /// Number of arguments, command name included.
    pub fn len(&self) -> usize {
        self.args.len()
    }

    /// True for an empty request (`*0`, `*-1`, a blank inline line).
    pub fn is_empty(&self) -> bool {
        self.args.is_empty()
    }

    /// Argument `i`.
    pub fn arg(&self, i: usize) -> Option<&'a [u8]> {
        let &(s, e) = self.args.get(i)?;
        self.src.get(s..e)
    }

    /// The arguments in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        let src = self.src;
        self.args.iter().map(move |&(s, e)| src.get(s..e).unwrap_or(&[]))
    }

    /// Clears `out` and fills it with the arguments, ready for
    /// [`crate::Engine::execute`]; reusing `out` avoids an allocation per
    /// command.
    pub fn fill(&self, out: &mut Vec<&'a [u8]>) {
        out.clear();
        out.extend(self.iter());
    }
}

/// The first `\r` at or after `from`, searched like C's `strchr` on a
/// NUL-terminated buffer: a NUL byte ends the search unsuccessfully.
#[inline]
fn find_cr(buf: &[u8], from: usize) -> Option<usize> {
    find_byte(buf, from, b'\r')
}

#[inline]
fn find_byte(buf: &[u8], from: usize, want: u8) -> Option<usize> {
    let rest = buf.get(from..)?;
    for (i, &b) in rest.iter().enumerate() {
        if b == want {
            return Some(from + i);
        }
        if b == 0 {
            return None;
        }
    }
    None
}

/// A `*N` / `$N` length line whose number starts at `start`.
enum LenLine {
    /// No `\r` (before any NUL) yet.
    NoCr,
    /// `\r` found but not the byte after it.
    Short,
    /// The number (`None` if it is not a valid `string2ll` integer) and the
    /// offset after the line.
    Line(Option<i64>, usize),
}

/// Reads a length line. The common case (1 to 18 plain digits, no leading
/// zero) is decoded while scanning; anything else goes through `strchr` +
/// `string2ll` semantics ([`find_cr`], [`num::parse_i64`]).
#[inline]
fn len_line(buf: &[u8], start: usize) -> LenLine {
    let digits = buf.get(start..).unwrap_or(&[]);
    let mut v: u64 = 0;
    for (i, &b) in digits.iter().enumerate().take(19) {
        if b.is_ascii_digit() {
            v = v * 10 + u64::from(b - b'0');
            continue;
        }
        if b == b'\r' && i > 0 && !(digits[0] == b'0' && i > 1) {
            let next = start + i + 2;
            if next > buf.len() {
                return LenLine::Short;
            }
            // At most 18 digits: fits i64.
            return LenLine::Line(Some(v as i64), next);
        }
        break;
    }
    len_line_from(buf, start, start)
}

/// [`len_line`] the slow way: the line end is searched from `search`
/// (`strchr` semantics), the number starts at `start`.
fn len_line_from(buf: &[u8], search: usize, start: usize) -> LenLine {
    match find_cr(buf, search) {
        None => LenLine::NoCr,
        Some(cr) if cr + 2 > buf.len() => LenLine::Short,
        Some(cr) => LenLine::Line(buf.get(start..cr).and_then(num::parse_i64), cr + 2),
    }
}

impl Parser {
    /// A parser rejecting bulk arguments longer than `max_bulk_len`
    /// (`proto-max-bulk-len`).
    pub fn new(max_bulk_len: u64) -> Self {
        Parser { max_bulk_len, pending: None, args: Vec::new(), scratch: Vec::new() }
    }

    /// Changes the bulk length limit (after `CONFIG SET proto-max-bulk-len`).
    pub fn set_max_bulk_len(&mut self, n: u64) {
        self.max_bulk_len = n;
    }

    /// Forgets any partially parsed request.
    pub fn reset(&mut self) {
        self.pending = None;
        self.args.clear();
    }

    /// True while a multibulk request has been started but not completed.
    pub fn in_request(&self) -> bool {
        self.pending.is_some()
    }

    /// How many more bytes the request in progress needs at least, when the
    /// parser knows (it is waiting for the data of a bulk argument). A host
    /// may use it to size its next read; it is only a hint.
    pub fn bulk_bytes_needed(&self, buffered: usize) -> Option<u64> {
        let p = self.pending?;
        let len = p.bulk_len?;
        let have = buffered.saturating_sub(p.pos) as u64;
        Some((len + 2).saturating_sub(have))
    }

    /// Parses the next request at the start of `buf`.
    ///
    /// `Ok(None)`: more bytes are needed (call again with the same request
    /// start and more bytes). `Ok(Some(req))`: a complete request, possibly
    /// empty; drop `req.consumed()` bytes before the next call. `Err`: the
    /// peer broke the protocol; reply with the error and close.
    pub fn parse<'a>(&'a mut self, buf: &'a [u8]) -> Result<Option<Request<'a>>, ProtocolError> {
        if let Some(p) = self.pending {
            if p.pos > buf.len() {
                // The caller passed a different buffer: start over rather
                // than index out of bounds.
                self.reset();
            }
        }
        if self.pending.is_none() {
            self.args.clear();
            match buf.first() {
                None => return Ok(None),
                Some(b'*') => {}
                Some(_) => return self.parse_inline(buf),
            }
            // Redis wants one byte after the `\r` (assumed `\n`, unchecked).
            let (n, next) = match len_line(buf, 1) {
                LenLine::NoCr if buf.len() > INLINE_MAX_SIZE => return Err(ProtocolError::TooBigMultibulkCount),
                LenLine::NoCr | LenLine::Short => return Ok(None),
                LenLine::Line(Some(n), next) if n <= MAX_MULTIBULK_LEN => (n, next),
                LenLine::Line(..) => return Err(ProtocolError::InvalidMultibulkLength),
            };
            if n <= 0 {
                return Ok(Some(Request { src: buf, args: &[], consumed: next }));
            }
            self.pending = Some(Pending { remaining: n as u64, pos: next, bulk_len: None });
        }
        let Some(mut p) = self.pending else { return Ok(None) };
        while p.remaining > 0 {
            let len = match p.bulk_len {
                Some(len) => len,
                None => {
                    let Some(&first) = buf.get(p.pos) else { break };
                    // Redis finds the line end (searching from the type
                    // byte itself) before it checks the type byte.
                    let line = if first == b'$' { len_line(buf, p.pos + 1) } else { len_line_from(buf, p.pos, p.pos + 1) };
                    let (n, next) = match line {
                        LenLine::NoCr if buf.len() - p.pos > INLINE_MAX_SIZE => {
                            self.reset();
                            return Err(ProtocolError::TooBigBulkCount);
                        }
                        LenLine::NoCr | LenLine::Short => break,
                        LenLine::Line(n, next) => (n, next),
                    };
                    if first != b'$' {
                        self.reset();
                        return Err(ProtocolError::ExpectedDollar(first));
                    }
                    let len = match n {
                        Some(l) if l >= 0 && (l as u64) <= self.max_bulk_len => l as u64,
                        _ => {
                            self.reset();
                            return Err(ProtocolError::InvalidBulkLength);
                        }
                    };
                    p.pos = next;
                    p.bulk_len = Some(len);
                    len
                }
            };
            let have = (buf.len() - p.pos) as u64;
            if have < len + 2 {
                break;
            }
            // `have >= len + 2` bounds `len` by the buffer, so it fits usize.
            let end = p.pos + len as usize;
            self.args.push((p.pos, end));
            p.pos = end + 2;
            p.bulk_len = None;
            p.remaining -= 1;
        }
        if p.remaining > 0 {
            self.pending = Some(p);
            return Ok(None);
        }
        self.pending = None;
        Ok(Some(Request { src: buf, args: &self.args, consumed: p.pos }))
    }

    fn parse_inline<'a>(&'a mut self, buf: &'a [u8]) -> Result<Option<Request<'a>>, ProtocolError> {
        let Some(nl) = find_byte(buf, 0, b'\n') else {
            if buf.len() > INLINE_MAX_SIZE {
                return Err(ProtocolError::TooBigInline);
            }
            return Ok(None);
        };
        let end = if nl > 0 && buf[nl - 1] == b'\r' { nl - 1 } else { nl };
        self.scratch.clear();
        if !split_args_into(&buf[..end], &mut self.scratch, &mut self.args) {
            self.args.clear();
            return Err(ProtocolError::UnbalancedQuotes);
        }
        Ok(Some(Request { src: &self.scratch, args: &self.args, consumed: nl + 1 }))
    }
}

/// C's `isspace` in the C locale.
#[inline]
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

#[inline]
fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Splits a line like Redis's `sdssplitargs`, appending unescaped argument
/// bytes to `out` and their ranges to `ranges`. Returns false on unbalanced
/// quotes (or a closing quote followed by something other than a space).
/// The line ends at its end or at its first NUL byte, as in C.
fn split_args_into(line: &[u8], out: &mut Vec<u8>, ranges: &mut Vec<(usize, usize)>) -> bool {
    // The C code reads `*p`, with NUL past the end.
    let at = |i: usize| -> u8 { line.get(i).copied().unwrap_or(0) };
    let mut p = 0usize;
    loop {
        while at(p) != 0 && is_space(at(p)) {
            p += 1;
        }
        if at(p) == 0 {
            return true;
        }
        let start = out.len();
        let (mut inq, mut insq) = (false, false);
        loop {
            let c = at(p);
            if inq {
                if c == b'\\' && at(p + 1) == b'x' {
                    if let (Some(h), Some(l)) = (hex_val(at(p + 2)), hex_val(at(p + 3))) {
                        out.push(h * 16 + l);
                        p += 4;
                        continue;
                    }
                }
                if c == b'\\' && at(p + 1) != 0 {
                    p += 1;
                    out.push(match at(p) {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        o => o,
                    });
                } else if c == b'"' {
                    if at(p + 1) != 0 && !is_space(at(p + 1)) {
                        return false;
                    }
                    p += 1;
                    break;
                } else if c == 0 {
                    return false;
                } else {
                    out.push(c);
                }
            } else if insq {
                if c == b'\\' && at(p + 1) == b'\'' {
                    p += 1;
                    out.push(b'\'');
                } else if c == b'\'' {
                    if at(p + 1) != 0 && !is_space(at(p + 1)) {
                        return false;
                    }
                    p += 1;
                    break;
                } else if c == 0 {
                    return false;
                } else {
                    out.push(c);
                }
            } else {
                match c {
                    b' ' | b'\n' | b'\r' | b'\t' | 0 => {
                        if c != 0 {
                            p += 1;
                        }
                        break;
                    }
                    b'"' => inq = true,
                    b'\'' => insq = true,
                    _ => out.push(c),
                }
            }
            p += 1;
        }
        ranges.push((start, out.len()));
    }
}

/// Splits a line into arguments with Redis's `sdssplitargs` rules (spaces
/// separate, `"..."` with `\n \r \t \b \a \xHH` escapes, `'...'` with `\'`).
/// `None` on unbalanced quotes. Used for inline requests and config files.
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    let mut ranges = Vec::new();
    if !split_args_into(line, &mut out, &mut ranges) {
        return None;
    }
    Some(ranges.iter().map(|&(s, e)| out[s..e].to_vec()).collect())
}

/// A request's arguments, owned, and the bytes it used.
pub type OwnedRequest = (Vec<Vec<u8>>, usize);

/// One-shot parse of the request at the start of `buf` into owned
/// arguments and the bytes consumed (no state kept between calls). Handy
/// for embedders and tests; servers should keep a [`Parser`].
pub fn parse_owned(buf: &[u8], max_bulk_len: u64) -> Result<Option<OwnedRequest>, ProtocolError> {
    let mut p = Parser::new(max_bulk_len);
    Ok(p.parse(buf)?.map(|r| (r.iter().map(|a| a.to_vec()).collect(), r.consumed())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn one(buf: &[u8]) -> Result<Option<OwnedRequest>, ProtocolError> {
        parse_owned(buf, DEFAULT_MAX_BULK_LEN)
    }

    fn args(v: &[&str]) -> Vec<Vec<u8>> {
        v.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    #[test]
    fn multibulk_basic() {
        let b = b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\nextra";
        assert_eq!(one(b), Ok(Some((args(&["GET", "k"]), 20))));
        assert_eq!(one(b"*1\r\n$0\r\n\r\n"), Ok(Some((vec![vec![]], 10))));
    }

    #[test]
    fn multibulk_incomplete_at_every_split() {
        let b = b"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
        for cut in 0..b.len() {
            assert_eq!(one(&b[..cut]), Ok(None), "cut {cut}");
        }
        // The incremental parser, fed byte by byte, gives the same result.
        let mut p = Parser::default();
        for cut in 0..b.len() {
            assert!(p.parse(&b[..cut]).unwrap().is_none());
        }
        let r = p.parse(b).unwrap().unwrap();
        assert_eq!(r.consumed(), b.len());
        let got: Vec<&[u8]> = r.iter().collect();
        assert_eq!(got, vec![&b"SET"[..], b"key", b"value"]);
    }

    #[test]
    fn binary_safe_and_unchecked_terminators() {
        // Bulk data may hold CR, LF and NUL; the two bytes after it are
        // skipped unchecked, and so is the byte after a length line's CR.
        assert_eq!(one(b"*1\r\n$4\r\na\r\n\0XY"), Ok(Some((vec![b"a\r\n\0".to_vec()], 14))));
        assert_eq!(one(b"*1\rX$4\r\nPINGXY"), Ok(Some((args(&["PING"]), 14))));
    }

    #[test]
    fn empty_requests() {
        assert_eq!(one(b"*0\r\n"), Ok(Some((vec![], 4))));
        assert_eq!(one(b"*-1\r\n"), Ok(Some((vec![], 5))));
        assert_eq!(one(b"*-5\r\nping"), Ok(Some((vec![], 5))));
        assert_eq!(one(b"\r\n"), Ok(Some((vec![], 2))));
        assert_eq!(one(b"\n"), Ok(Some((vec![], 1))));
        assert_eq!(one(b" \t\r\n"), Ok(Some((vec![], 4))));
    }

    #[test]
    fn multibulk_errors() {
        use ProtocolError::*;
        assert_eq!(one(b"*abc\r\n"), Err(InvalidMultibulkLength));
        assert_eq!(one(b"*\r\n"), Err(InvalidMultibulkLength));
        assert_eq!(one(b"*+1\r\n"), Err(InvalidMultibulkLength));
        assert_eq!(one(b"*01\r\n"), Err(InvalidMultibulkLength));
        assert_eq!(one(b"*-0\r\n"), Err(InvalidMultibulkLength));
        assert_eq!(one(b"*2147483648\r\n"), Err(InvalidMultibulkLength));
        assert_eq!(one(b"*2147483647\r\n"), Ok(None));
        assert_eq!(one(b"*1\r\n:1\r\n"), Err(ExpectedDollar(b':')));
        assert_eq!(one(b"*1\r\n\r\n"), Err(ExpectedDollar(b'\r')));
        assert_eq!(one(b"*1\r\n$-1\r\n"), Err(InvalidBulkLength));
        assert_eq!(one(b"*1\r\n$\r\n"), Err(InvalidBulkLength));
        assert_eq!(one(b"*1\r\n$04\r\n"), Err(InvalidBulkLength));
        assert_eq!(one(b"*1\r\n$+4\r\n"), Err(InvalidBulkLength));
        assert_eq!(one(b"*1\r\n$536870913\r\n"), Err(InvalidBulkLength));
        assert_eq!(one(b"*1\r\n$536870912\r\n"), Ok(None));
        assert_eq!(parse_owned(b"*1\r\n$5\r\n", 4), Err(InvalidBulkLength));
    }

    #[test]
    fn line_length_limits() {
        use ProtocolError::*;
        let mut b = vec![b'*'];
        b.resize(INLINE_MAX_SIZE, b'1');
        assert_eq!(one(&b), Ok(None));
        b.push(b'1');
        assert_eq!(one(&b), Err(TooBigMultibulkCount));

        let mut b = b"*1\r\n$".to_vec();
        b.resize(4 + INLINE_MAX_SIZE, b'1');
        assert_eq!(one(&b), Ok(None));
        b.push(b'1');
        assert_eq!(one(&b), Err(TooBigBulkCount));

        let mut b = vec![b'A'; INLINE_MAX_SIZE];
        assert_eq!(one(&b), Ok(None));
        b.push(b'A');
        assert_eq!(one(&b), Err(TooBigInline));
        // A NUL hides the line end, as with strchr.
        let mut b = b"PI\0NG\r\n".to_vec();
        assert_eq!(one(&b), Ok(None));
        b.resize(INLINE_MAX_SIZE + 1, b'A');
        assert_eq!(one(&b), Err(TooBigInline));
        assert_eq!(one(b"*1\0\r\n"), Ok(None));
    }

    #[test]
    fn error_texts() {
        let mut out = Vec::new();
        ProtocolError::ExpectedDollar(b'\n').write_reply(&mut out);
        assert_eq!(out, b"-ERR Protocol error: expected '$', got ' '\r\n");
        let mut out = Vec::new();
        ProtocolError::ExpectedDollar(0xff).write_reply(&mut out);
        assert_eq!(out, b"-ERR Protocol error: expected '$', got '\xff'\r\n");
        assert_eq!(
            ProtocolError::UnbalancedQuotes.to_error().to_bytes(),
            b"ERR Protocol error: unbalanced quotes in request".to_vec()
        );
        let all = [
            (ProtocolError::InvalidMultibulkLength, "invalid multibulk length"),
            (ProtocolError::InvalidBulkLength, "invalid bulk length"),
            (ProtocolError::TooBigMultibulkCount, "too big mbulk count string"),
            (ProtocolError::TooBigBulkCount, "too big bulk count string"),
            (ProtocolError::TooBigInline, "too big inline request"),
        ];
        for (e, t) in all {
            assert_eq!(alloc::format!("{e}"), alloc::format!("Protocol error: {t}"));
        }
    }

    #[test]
    fn inline() {
        assert_eq!(one(b"PING\r\nPING\r\n"), Ok(Some((args(&["PING"]), 6))));
        assert_eq!(one(b"PING\nX"), Ok(Some((args(&["PING"]), 5))));
        assert_eq!(one(b"ECHO a\r\r\n"), Ok(Some((args(&["ECHO", "a"]), 9))));
        assert_eq!(one(b"set  a   b \r\n"), Ok(Some((args(&["set", "a", "b"]), 13))));
        assert_eq!(one(b"ECHO \x0ba\x0cb \r\n"), Ok(Some((vec![b"ECHO".to_vec(), b"a\x0cb".to_vec()], 12))));
        assert_eq!(one(b"ECHO a\"b c\"\r\n"), Ok(Some((args(&["ECHO", "ab c"]), 13))));
        assert_eq!(one(b"PING"), Ok(None));
    }

    #[test]
    fn split_args_rules() {
        let s = |l: &[u8]| split_args(l);
        assert_eq!(s(b"set a \"x\\x41\\n\\q\""), Some(args(&["set", "a", "xA\nq"])));
        assert_eq!(s(b"\"\\x4\""), Some(args(&["x4"])));
        assert_eq!(s(b"\"\\xZZ\""), Some(args(&["xZZ"])));
        assert_eq!(s(b"\"\\t\\r\\b\\a\\\\\\\"\""), Some(vec![b"\t\r\x08\x07\\\"".to_vec()]));
        assert_eq!(s(b"'b\\'c' 'd\\n'"), Some(args(&["b'c", "d\\n"])));
        assert_eq!(s(b"\"\" ''"), Some(args(&["", ""])));
        assert_eq!(s(b"\"a\"\x0bb"), Some(args(&["a", "b"])));
        assert_eq!(s(b"\"a\"b"), None);
        assert_eq!(s(b"'a'b"), None);
        assert_eq!(s(b"\"a"), None);
        assert_eq!(s(b"'a"), None);
        assert_eq!(s(b"\"a\\"), None);
        assert_eq!(s(b""), Some(vec![]));
        assert_eq!(s(b"a\0b"), Some(args(&["a"])));
        assert_eq!(one(b"ECHO \"a\r\n"), Err(ProtocolError::UnbalancedQuotes));
    }

    #[test]
    fn pipeline_with_reused_parser() {
        let b = b"*1\r\n$4\r\nPING\r\nPING\r\n*0\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n";
        let mut p = Parser::default();
        let mut pos = 0;
        let mut seen = Vec::new();
        while let Some(r) = p.parse(&b[pos..]).unwrap() {
            pos += r.consumed();
            seen.push(r.iter().map(|a| a.to_vec()).collect::<Vec<_>>());
        }
        assert_eq!(pos, b.len());
        assert_eq!(seen, vec![args(&["PING"]), args(&["PING"]), vec![], args(&["ECHO", "hi"])]);
    }

    #[test]
    fn resumes_after_buffer_moves() {
        let b = b"*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n";
        let mut p = Parser::default();
        assert!(p.parse(&b[..18]).unwrap().is_none());
        assert_eq!(p.bulk_bytes_needed(18), Some(7));
        // Same request bytes at another address.
        let moved = b.to_vec();
        let r = p.parse(&moved).unwrap().unwrap();
        assert_eq!(r.arg(1), Some(&b"hello"[..]));
        // A shorter, different buffer resets instead of panicking.
        assert!(p.parse(b"*2\r\n$4\r\nECHO\r\n$5\r\nhel").unwrap().is_none());
        assert!(p.parse(b"*1").unwrap().is_none());
    }

    #[test]
    fn fast_length_lines_agree_with_string2ll() {
        let same = |a: LenLine, b: LenLine| match (a, b) {
            (LenLine::NoCr, LenLine::NoCr) | (LenLine::Short, LenLine::Short) => true,
            (LenLine::Line(x, i), LenLine::Line(y, j)) => x == y && i == j,
            _ => false,
        };
        let mut seed = 7u64;
        for _ in 0..100_000 {
            let len = (xorshift(&mut seed) % 24) as usize;
            let mut b = vec![b'$'];
            for _ in 0..len {
                let r = xorshift(&mut seed);
                let alphabet = b"0123456789012345678901-\r\n\0x";
                b.push(alphabet[(r % alphabet.len() as u64) as usize]);
            }
            assert!(same(len_line(&b, 1), len_line_from(&b, 1, 1)), "{:?}", b);
        }
        for t in [&b"$9223372036854775807\r\n"[..], b"$9223372036854775808\r\n", b"$999999999999999999\r\n", b"$1234567890123456789\r\n"] {
            assert!(same(len_line(t, 1), len_line_from(t, 1, 1)));
        }
    }

    /// A tiny xorshift, so the fuzz test needs no dependency.
    fn xorshift(s: &mut u64) -> u64 {
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        *s
    }

    #[test]
    fn random_bytes_never_panic_and_allocate_by_input() {
        let alphabet = b"*$\r\n0123456789-+ \"'\\xabAZ\0";
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut p = Parser::default();
        for round in 0..20_000u32 {
            let len = (xorshift(&mut seed) % 64) as usize;
            let mut buf = Vec::with_capacity(len);
            for _ in 0..len {
                let r = xorshift(&mut seed);
                let b = if r.is_multiple_of(4) { (r >> 8) as u8 } else { alphabet[(r >> 8) as usize % alphabet.len()] };
                buf.push(b);
            }
            if round.is_multiple_of(3) {
                buf.splice(0..0, b"*9999999\r\n".iter().copied());
            }
            // Feed in growing prefixes like a socket would, consuming requests.
            let mut start = 0;
            let mut end = 0;
            while end < buf.len() {
                end = (end + 1 + (xorshift(&mut seed) % 8) as usize).min(buf.len());
                loop {
                    match p.parse(&buf[start..end]) {
                        Ok(Some(r)) => {
                            assert!(r.consumed() > 0 && r.consumed() <= end - start);
                            for a in r.iter() {
                                assert!(a.len() <= end - start);
                            }
                            start += r.consumed();
                        }
                        Ok(None) => break,
                        Err(_) => {
                            p.reset();
                            start = end;
                            break;
                        }
                    }
                }
                // Allocation tracks the input, not claimed counts.
                assert!(p.args.capacity() <= 64 && p.scratch.capacity() <= 128, "round {round}");
            }
            p.reset();
        }
    }
}
