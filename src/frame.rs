//! Replies as flat frame lists, the shape the WIT `frame` variant takes
//! (`wit/redlet.wit`): WIT types cannot be recursive, so a reply crosses a
//! component boundary as its pre-order walk, with aggregate headers
//! carrying their item counts.
//!
//! - [`Reply::to_frames`] renders a reply exactly as a client of the given
//!   protocol reads it (a RESP2 client never sees a map, a double or a
//!   boolean). It is a second sink of `Reply::render`, the walk
//!   [`Reply::write_resp`] also uses, so frames and RESP bytes cannot
//!   disagree.
//!   [`Reply::into_frames`] does the same consuming the reply (bulk
//!   payloads move instead of being copied).
//! - [`to_reply`] rebuilds reply trees from frames (what a host binding
//!   does on the other side of the boundary). It never panics and never
//!   recurses: frames from a peer are input.
//! - [`write_resp`] encodes frames as RESP bytes (tests, RESP proxies).
//!
//! Invariant of a well-formed list: every header of count `n` is followed
//! by `n` complete values (`2n` for [`Frame::Map`]); the list is a sequence
//! of complete top-level values (several when a command answers more than
//! once, see [`Reply::Seq`]).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::error::Error;
use crate::num;
use crate::reply::{write_bulk, write_len, Agg, Protocol, Reply, Sink};

/// One frame of a reply: the WIT `frame` variant, in Rust.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// `+OK`
    Simple(String),
    /// `-ERR ...`: the whole text, code included.
    Error(String),
    /// `:42`
    Integer(i64),
    /// `$n` bulk string.
    Bulk(Vec<u8>),
    /// Null (`$-1` in RESP2, `_` in RESP3).
    Null,
    /// Null array (`*-1`; RESP2 only, since RESP3 has one null).
    NullArray,
    /// `,3.14` (RESP3).
    Double(f64),
    /// `#t` / `#f` (RESP3).
    Boolean(bool),
    /// `(1234...` (RESP3), decimal digits. The core never produces it; it
    /// exists because the WIT has it.
    BigNumber(String),
    /// `=n` verbatim string (RESP3): a 3-letter format and the text.
    Verbatim(String, Vec<u8>),
    /// `*n`: n values follow.
    Array(u32),
    /// `%n` (RESP3): n key-value pairs (2n values) follow.
    Map(u32),
    /// `~n` (RESP3): n values follow.
    Set(u32),
    /// `>n` (RESP3) out-of-band push: n values follow.
    Push(u32),
}

/// Why a frame list is not a sequence of complete replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameError {
    /// The list ends inside an aggregate: `missing` more values were due
    /// for the innermost open header.
    Truncated {
        /// Values the innermost open aggregate still expected.
        missing: usize,
    },
    /// A map header whose item count (2n) does not fit a `usize`.
    TooLong,
    /// Aggregates nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// Deepest nesting [`to_reply`] accepts. Dropping (or rendering) a reply
/// tree recurses once per level, so a deeper tree from a peer could
/// exhaust the stack; Redis's own replies nest a few levels, and its Lua
/// bridge stops far below this.
pub const MAX_DEPTH: usize = 1000;

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Truncated { missing } => write!(f, "frames end inside an aggregate ({missing} more values expected)"),
            FrameError::TooLong => f.write_str("frame count too large"),
            FrameError::TooDeep => write!(f, "frames nest deeper than {MAX_DEPTH} levels"),
        }
    }
}

impl core::error::Error for FrameError {}

impl Reply {
    /// Appends the frames a client of `proto` reads for this reply to
    /// `out`. A [`Reply::Seq`] gives consecutive top-level values.
    ///
    /// ```
    /// use redlet::{Protocol, Reply, frame::Frame};
    /// let r = Reply::Map(vec![(Reply::bulk(b"k"), Reply::Double(1.5))]);
    /// let mut f = Vec::new();
    /// r.to_frames(Protocol::Resp2, &mut f);
    /// assert_eq!(f, [Frame::Array(2), Frame::Bulk(b"k".to_vec()), Frame::Bulk(b"1.5".to_vec())]);
    /// ```
    pub fn to_frames(&self, proto: Protocol, out: &mut Vec<Frame>) {
        self.render(proto, &mut Frames(out));
    }
}

impl Reply {
    /// [`Reply::to_frames`] consuming the reply: bulk strings, at the top
    /// or inside arrays (GET, MGET, LRANGE, HGETALL in RESP2...), move into
    /// their frames instead of being copied, so a large value is not held
    /// twice on its way out. The shapes that differ between protocols go
    /// through [`Reply::to_frames`], so the two cannot disagree.
    pub fn into_frames(self, proto: Protocol, out: &mut Vec<Frame>) {
        match self {
            // Rendered alike in both protocols (see `Reply::render`).
            Reply::Bulk(b) => out.push(Frame::Bulk(b)),
            Reply::Array(items) => {
                out.push(Frame::Array(count(items.len())));
                for i in items {
                    i.into_frames(proto, out);
                }
            }
            Reply::Seq(items) => {
                for i in items {
                    i.into_frames(proto, out);
                }
            }
            r => r.to_frames(proto, out),
        }
    }
}

/// Counts are `u32` in the WIT; a reply never holds 2^32 items (wasm32
/// memory ends at 4 GiB), so saturating only guards a native caller's
/// absurd reply, never a real one.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The frame sink of [`Reply::render`].
struct Frames<'a>(&'a mut Vec<Frame>);

impl Sink for Frames<'_> {
    fn simple(&mut self, s: &str) {
        self.0.push(Frame::Simple(s.into()));
    }
    fn error(&mut self, e: &Error) {
        // Error texts are ASCII save for user bytes quoted in a few of
        // them; those are replaced, as the WIT's `string` requires.
        let text = String::from_utf8(e.to_bytes()).unwrap_or_else(|b| String::from_utf8_lossy(b.as_bytes()).into_owned());
        self.0.push(Frame::Error(text));
    }
    fn int(&mut self, n: i64) {
        self.0.push(Frame::Integer(n));
    }
    fn bulk(&mut self, b: &[u8]) {
        self.0.push(Frame::Bulk(b.to_vec()));
    }
    fn null(&mut self) {
        self.0.push(Frame::Null);
    }
    fn null_array(&mut self) {
        self.0.push(Frame::NullArray);
    }
    fn header(&mut self, agg: Agg, n: usize) {
        let n = count(n);
        self.0.push(match agg {
            Agg::Array => Frame::Array(n),
            Agg::Map => Frame::Map(n),
            Agg::Set => Frame::Set(n),
            Agg::Push => Frame::Push(n),
        });
    }
    fn double(&mut self, d: f64) {
        self.0.push(Frame::Double(d));
    }
    fn double_text(&mut self, t: &[u8]) {
        // GEO's `%.17Lf`-style text: a RESP3 client parses it to a double.
        let d = core::str::from_utf8(t).ok().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
        self.0.push(Frame::Double(d));
    }
    fn big_number(&mut self, t: &[u8]) {
        self.0.push(Frame::BigNumber(String::from_utf8_lossy(t).into_owned()));
    }
    fn boolean(&mut self, b: bool) {
        self.0.push(Frame::Boolean(b));
    }
    fn verbatim(&mut self, fmt: &str, b: &[u8]) {
        self.0.push(Frame::Verbatim(fmt.into(), b.to_vec()));
    }
}

/// An aggregate being rebuilt by [`to_reply`].
struct Open {
    kind: Agg,
    /// Values still expected (2n for a map).
    left: usize,
    items: Vec<Reply>,
}

impl Open {
    fn close(self) -> Reply {
        match self.kind {
            Agg::Array => Reply::Array(self.items),
            Agg::Set => Reply::Set(self.items),
            Agg::Push => Reply::Push(self.items),
            Agg::Map => {
                let mut pairs = Vec::with_capacity(self.items.len() / 2);
                let mut it = self.items.into_iter();
                while let (Some(k), Some(v)) = (it.next(), it.next()) {
                    pairs.push((k, v));
                }
                Reply::Map(pairs)
            }
        }
    }
}

/// Rebuilds the top-level replies a frame list holds (several when a
/// command answered more than once). Frame kinds [`Reply`] lacks map to
/// what a RESP2 client would read: a big number is a bulk string of its
/// digits. A verbatim format other than `txt` or `mkd` becomes `txt`
/// (the core only uses those two). Fails without panicking when the list
/// ends inside an aggregate or nests deeper than [`MAX_DEPTH`]; headers
/// claiming more values than the list holds are not trusted for
/// allocation sizes.
///
/// ```
/// use redlet::{Reply, frame::{Frame, to_reply}};
/// let f = [Frame::Array(2), Frame::Integer(1), Frame::Null, Frame::Simple("OK".into())];
/// assert_eq!(to_reply(&f).unwrap(), [Reply::Array(vec![Reply::Int(1), Reply::Nil]), Reply::ok()]);
/// assert!(to_reply(&[Frame::Map(1), Frame::Integer(1)]).is_err());
/// ```
pub fn to_reply(frames: &[Frame]) -> Result<Vec<Reply>, FrameError> {
    let mut top = Vec::new();
    // Explicit stack: nesting depth comes from the input.
    let mut stack: Vec<Open> = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        let remaining = frames.len() - i - 1;
        let (kind, n) = match f {
            Frame::Array(n) => (Agg::Array, *n as usize),
            Frame::Set(n) => (Agg::Set, *n as usize),
            Frame::Push(n) => (Agg::Push, *n as usize),
            Frame::Map(n) => (Agg::Map, (*n as usize).checked_mul(2).ok_or(FrameError::TooLong)?),
            leaf => {
                place(leaf_reply(leaf), &mut stack, &mut top);
                continue;
            }
        };
        let open = Open { kind, left: n, items: Vec::with_capacity(n.min(remaining)) };
        if n == 0 {
            place(open.close(), &mut stack, &mut top);
        } else if stack.len() >= MAX_DEPTH {
            return Err(FrameError::TooDeep);
        } else {
            stack.push(open);
        }
    }
    match stack.last() {
        Some(o) => Err(FrameError::Truncated { missing: o.left }),
        None => Ok(top),
    }
}

/// Adds a complete value to the innermost open aggregate, closing every
/// aggregate it completes, or to the top level.
fn place(mut r: Reply, stack: &mut Vec<Open>, top: &mut Vec<Reply>) {
    loop {
        let Some(o) = stack.last_mut() else {
            top.push(r);
            return;
        };
        o.items.push(r);
        o.left -= 1;
        if o.left > 0 {
            return;
        }
        match stack.pop() {
            Some(done) => r = done.close(),
            None => return,
        }
    }
}

fn leaf_reply(f: &Frame) -> Reply {
    match f {
        Frame::Simple(s) => Reply::Status(s.clone().into()),
        Frame::Error(e) => Reply::Error(Error::msg(e)),
        Frame::Integer(n) => Reply::Int(*n),
        Frame::Bulk(b) => Reply::Bulk(b.clone()),
        Frame::Null => Reply::Nil,
        Frame::NullArray => Reply::NilArray,
        Frame::Double(d) => Reply::Double(*d),
        Frame::Boolean(b) => Reply::Bool(*b),
        Frame::BigNumber(s) => Reply::BigNumber(s.clone().into_bytes()),
        Frame::Verbatim(fmt, b) => Reply::Verbatim(if fmt == "mkd" { "mkd" } else { "txt" }, b.clone()),
        // Headers are handled by `to_reply`; an empty array stands in so
        // this stays total.
        Frame::Array(_) | Frame::Map(_) | Frame::Set(_) | Frame::Push(_) => Reply::Array(Vec::new()),
    }
}

/// Appends the RESP encoding of `frames` to `out`, as a server speaking
/// `proto` would send them: `proto` only decides how [`Frame::Null`] and
/// [`Frame::NullArray`] look (RESP3 has one null, `_`). RESP3-only frames
/// are written in their RESP3 form whatever `proto` says (they never occur
/// in frames rendered for RESP2).
pub fn write_resp(frames: &[Frame], proto: Protocol, out: &mut Vec<u8>) {
    let r3 = proto == Protocol::Resp3;
    for f in frames {
        match f {
            Frame::Simple(s) => line(out, b'+', s.as_bytes()),
            Frame::Error(e) => line(out, b'-', e.as_bytes()),
            Frame::Integer(n) => line(out, b':', num::fmt_i64(*n).as_bytes()),
            Frame::Bulk(b) => write_bulk(out, b),
            Frame::Null if r3 => out.extend_from_slice(b"_\r\n"),
            Frame::Null => out.extend_from_slice(b"$-1\r\n"),
            Frame::NullArray if r3 => out.extend_from_slice(b"_\r\n"),
            Frame::NullArray => out.extend_from_slice(b"*-1\r\n"),
            Frame::Double(d) => line(out, b',', num::fmt_double_reply(*d).as_bytes()),
            Frame::Boolean(b) => out.extend_from_slice(if *b { b"#t\r\n" } else { b"#f\r\n" }),
            Frame::BigNumber(s) => line(out, b'(', s.as_bytes()),
            Frame::Verbatim(fmt, b) => {
                write_len(out, b'=', b.len() + fmt.len() + 1);
                out.extend_from_slice(fmt.as_bytes());
                out.push(b':');
                out.extend_from_slice(b);
                out.extend_from_slice(b"\r\n");
            }
            Frame::Array(n) => write_len(out, b'*', *n as usize),
            Frame::Map(n) => write_len(out, b'%', *n as usize),
            Frame::Set(n) => write_len(out, b'~', *n as usize),
            Frame::Push(n) => write_len(out, b'>', *n as usize),
        }
    }
}

fn line(out: &mut Vec<u8>, tag: u8, body: &[u8]) {
    out.push(tag);
    out.extend_from_slice(body);
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::borrow::Cow;
    use alloc::vec;

    fn samples() -> Vec<Reply> {
        let b = |s: &str| Reply::bulk(s.as_bytes());
        vec![
            Reply::ok(),
            Reply::Status(Cow::Owned("QUEUED".into())),
            Reply::Error(Error::WrongType),
            Reply::Error(Error::err("unknown command 'FOO'")),
            Reply::Int(0),
            Reply::Int(i64::MIN),
            Reply::Int(i64::MAX),
            b(""),
            Reply::Bulk(vec![0, 255, b'\r', b'\n']),
            Reply::Nil,
            Reply::NilArray,
            Reply::Array(vec![]),
            Reply::Array(vec![b("a"), Reply::Nil, Reply::Int(3), Reply::Array(vec![Reply::NilArray, Reply::Array(vec![])])]),
            Reply::Map(vec![]),
            Reply::Map(vec![(b("server"), b("redis")), (b("proto"), Reply::Int(3)), (b("modules"), Reply::Array(vec![]))]),
            Reply::Map(vec![(b("m"), Reply::Map(vec![(b("x"), Reply::Double(1.5))]))]),
            Reply::Set(vec![b("x"), b("y")]),
            Reply::Set(vec![]),
            Reply::Double(0.0),
            Reply::Double(-0.0),
            Reply::Double(3.14),
            Reply::Double(1e300),
            Reply::Double(f64::INFINITY),
            Reply::Double(f64::NEG_INFINITY),
            Reply::Bool(true),
            Reply::Bool(false),
            Reply::Verbatim("txt", b"hello\r\nworld".to_vec()),
            Reply::Verbatim("mkd", vec![]),
            Reply::Push(vec![b("message"), b("ch"), b("hi")]),
            Reply::Seq(vec![
                Reply::Push(vec![b("subscribe"), b("a"), Reply::Int(1)]),
                Reply::Push(vec![b("subscribe"), b("b"), Reply::Int(2)]),
            ]),
            Reply::Seq(vec![Reply::Push(vec![b("message"), b("c"), b("m")]), Reply::ok()]),
            Reply::Seq(vec![]),
            Reply::Array(vec![Reply::Map(vec![(Reply::Bool(true), Reply::Set(vec![Reply::Double(2.5), Reply::Verbatim("txt", b"v".to_vec())]))])]),
            // Exact in both forms: 17 significant digits of a double.
            Reply::DoubleText(b"13.361389338970184".to_vec()),
            Reply::Array(vec![Reply::DoubleText(b"0.5".to_vec()), Reply::DoubleText(b"-2".to_vec())]),
        ]
    }

    fn frames(r: &Reply, p: Protocol) -> Vec<Frame> {
        let mut f = Vec::new();
        r.to_frames(p, &mut f);
        f
    }

    #[test]
    fn frames_encode_to_write_resp_bytes() {
        for p in [Protocol::Resp2, Protocol::Resp3] {
            for r in samples() {
                let mut bytes = Vec::new();
                write_resp(&frames(&r, p), p, &mut bytes);
                assert_eq!(String::from_utf8_lossy(&bytes), String::from_utf8_lossy(&r.to_resp(p)), "{r:?} {p:?}");
            }
        }
    }

    #[test]
    fn into_frames_equals_to_frames() {
        for p in [Protocol::Resp2, Protocol::Resp3] {
            for r in samples() {
                let mut moved = Vec::new();
                r.clone().into_frames(p, &mut moved);
                assert_eq!(moved, frames(&r, p), "{r:?} {p:?}");
            }
        }
    }

    #[test]
    fn resp2_frames_use_only_resp2_kinds() {
        for r in samples() {
            for f in frames(&r, Protocol::Resp2) {
                assert!(
                    matches!(f, Frame::Simple(_) | Frame::Error(_) | Frame::Integer(_) | Frame::Bulk(_) | Frame::Null | Frame::NullArray | Frame::Array(_)),
                    "{f:?} in RESP2 frames of {r:?}"
                );
            }
        }
    }

    #[test]
    fn frames_rebuild_the_reply_a_client_reads() {
        for p in [Protocol::Resp2, Protocol::Resp3] {
            for r in samples() {
                let f = frames(&r, p);
                let rebuilt = to_reply(&f).unwrap();
                // Rendering the rebuilt replies gives the same frames: the
                // tree holds everything the client saw.
                let mut again = Vec::new();
                for x in &rebuilt {
                    x.to_frames(p, &mut again);
                }
                assert_eq!(again, f, "{r:?} {p:?}");
                let tops = match &r {
                    Reply::Seq(items) => items.len(),
                    _ => 1,
                };
                assert_eq!(rebuilt.len(), tops);
            }
        }
        let r = Reply::Map(vec![(Reply::bulk(b"a"), Reply::Set(vec![Reply::Int(1)]))]);
        assert_eq!(to_reply(&frames(&r, Protocol::Resp3)).unwrap(), [r]);
    }

    #[test]
    fn malformed_frames_are_errors() {
        assert_eq!(to_reply(&[]).unwrap(), []);
        assert_eq!(to_reply(&[Frame::Array(2), Frame::Null]), Err(FrameError::Truncated { missing: 1 }));
        assert_eq!(to_reply(&[Frame::Map(1), Frame::Null]), Err(FrameError::Truncated { missing: 1 }));
        assert!(to_reply(&[Frame::Array(u32::MAX)]).is_err());
        assert!(to_reply(&[Frame::Map(u32::MAX)]).is_err());
        assert!(to_reply(&[Frame::Push(3), Frame::Array(1)]).is_err());
        // Deep nesting is refused without recursion.
        let mut deep = vec![Frame::Array(1); 1_000_000];
        deep.push(Frame::Integer(7));
        assert_eq!(to_reply(&deep), Err(FrameError::TooDeep));
        let mut deep = vec![Frame::Array(1); MAX_DEPTH];
        deep.push(Frame::Integer(7));
        assert_eq!(to_reply(&deep).unwrap().len(), 1);
        deep.pop();
        assert_eq!(to_reply(&deep), Err(FrameError::Truncated { missing: 1 }));
        assert_eq!(
            to_reply(&[Frame::BigNumber("123".into()), Frame::Verbatim("zzz".into(), b"x".to_vec())]).unwrap(),
            [Reply::BigNumber(b"123".to_vec()), Reply::Verbatim("txt", b"x".to_vec())]
        );
    }
}
