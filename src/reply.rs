//! Replies, shaped like RESP3. RESP2 is a rendering of the same value
//! ([`Reply::write_resp`]), so a command builds one reply whatever protocol its
//! client speaks.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use crate::error::Error;
use crate::num;
use crate::output::Output;

/// The protocol version a client speaks (`HELLO 2|3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protocol {
    /// RESP2, the default.
    #[default]
    Resp2,
    /// RESP3.
    Resp3,
}

/// A reply to one command.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// `+OK`-style simple string.
    Status(Cow<'static, str>),
    /// An error reply.
    Error(Error),
    /// `:n`
    Int(i64),
    /// `$n` bulk string.
    Bulk(Vec<u8>),
    /// Null bulk string (`$-1` in RESP2, `_` in RESP3).
    Nil,
    /// Null array (`*-1` in RESP2, `_` in RESP3).
    NilArray,
    /// `*n` array.
    Array(Vec<Reply>),
    /// `%n` map; a flat array of 2n items in RESP2.
    Map(Vec<(Reply, Reply)>),
    /// `~n` set; an array in RESP2.
    Set(Vec<Reply>),
    /// `,d` double; a bulk string (`%.17g`, `inf`, `-inf`) in RESP2.
    Double(f64),
    /// `#t`/`#f`; `:1`/`:0` in RESP2.
    Bool(bool),
    /// `=n` verbatim string with a 3-letter format; a bulk string in RESP2.
    Verbatim(&'static str, Vec<u8>),
    /// `>n` out-of-band push; an array in RESP2.
    Push(Vec<Reply>),
    /// `,text` double already formatted; a bulk string in RESP2. GEO's
    /// coordinates use it: Redis prints them `%.17Lf`-style, not `%.17g`.
    DoubleText(Vec<u8>),
    /// `(n` big number (decimal digits, a script's `{big_number=...}`); a
    /// bulk string in RESP2.
    BigNumber(Vec<u8>),
    /// RESP bytes already written in the protocol of the client the reply
    /// is for: a large aggregate of bulk strings is written straight to
    /// bytes ([`Encoder`]) instead of holding a value per element, for a
    /// command run by [`crate::Engine::execute_resp`] only (see
    /// [`crate::cmd::Ctx::wire_protocol`]); other renderings would take it
    /// as a bulk string of those bytes, and never get one.
    Encoded(Vec<u8>),
    /// Several replies written one after another, not a RESP type of its
    /// own: a command that answers more than once (SUBSCRIBE confirms each
    /// channel), or pushes delivered to the caller while its command ran,
    /// which Redis writes before the command's reply.
    Seq(Vec<Reply>),
}

/// Replies larger than this (bytes) get their output space reserved at
/// once (see [`Reply::write_resp`]).
const BIG_REPLY: usize = 1 << 20;

impl Reply {
    /// `+OK`
    pub const fn ok() -> Reply {
        Reply::Status(Cow::Borrowed("OK"))
    }

    /// A simple string from static text.
    pub const fn status(s: &'static str) -> Reply {
        Reply::Status(Cow::Borrowed(s))
    }

    /// A bulk string copied from a slice.
    pub fn bulk(b: &[u8]) -> Reply {
        Reply::Bulk(b.to_vec())
    }

    /// A bulk string holding the decimal form of `n`.
    pub fn bulk_int(n: i64) -> Reply {
        Reply::Bulk(num::fmt_i64(n).into_bytes())
    }

    /// The bulk string for `Some`, the null bulk for `None`.
    pub fn bulk_opt(b: Option<&[u8]>) -> Reply {
        b.map_or(Reply::Nil, Reply::bulk)
    }

    /// An array of bulk strings.
    pub fn bulk_array<I, B>(items: I) -> Reply
    where
        I: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        Reply::Array(items.into_iter().map(|b| Reply::bulk(b.as_ref())).collect())
    }

    /// True for error replies.
    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// Appends the RESP encoding of this reply for `proto` to `out`.
    pub fn write_resp(&self, proto: Protocol, out: &mut Vec<u8>) {
        // A large reply is reserved for at once: growing the buffer by
        // doubling would hold the old and the new copy together at the peak.
        if let Some(n) = self.bulk_bytes_over(BIG_REPLY) {
            out.reserve(n);
        }
        self.render(proto, &mut RespBytes { proto, out });
    }

    /// The bytes of this reply's bulk strings plus a little framing per
    /// item, when that is more than `min` (checked as it is summed, so small
    /// replies cost a few steps).
    fn bulk_bytes_over(&self, min: usize) -> Option<usize> {
        fn sum(r: &Reply, acc: &mut usize) {
            match r {
                Reply::Bulk(b) => *acc += b.len() + 16,
                Reply::Encoded(b) => *acc += b.len(),
                Reply::Array(items) | Reply::Set(items) | Reply::Push(items) | Reply::Seq(items) => items.iter().for_each(|i| sum(i, acc)),
                Reply::Map(pairs) => pairs.iter().for_each(|(k, v)| {
                    sum(k, acc);
                    sum(v, acc)
                }),
                _ => *acc += 24,
            }
        }
        let mut n = 0;
        match self {
            Reply::Bulk(b) | Reply::Encoded(b) if b.len() < min => return None,
            Reply::Status(_) | Reply::Error(_) | Reply::Int(_) | Reply::Nil | Reply::NilArray => return None,
            _ => sum(self, &mut n),
        }
        (n > min).then_some(n)
    }

    /// Walks this reply as a client of `proto` reads it, in pre-order, and
    /// feeds each value to `sink`. This is the one place that decides how a
    /// RESP3-shaped value looks in each protocol (a RESP2 map is a flat
    /// array, a double a bulk string, ...): the RESP bytes
    /// ([`Reply::write_resp`]) and the component's frames
    /// ([`Reply::to_frames`](crate::frame)) are two sinks of it, so they
    /// cannot disagree.
    pub(crate) fn render<S: Sink>(&self, proto: Protocol, sink: &mut S) {
        let r3 = proto == Protocol::Resp3;
        match self {
            Reply::Status(s) => sink.simple(s),
            Reply::Error(e) => sink.error(e),
            Reply::Int(n) => sink.int(*n),
            Reply::Bulk(b) => sink.bulk(b),
            Reply::Nil => sink.null(),
            // RESP3 has one null: a RESP3 client cannot tell them apart.
            Reply::NilArray if r3 => sink.null(),
            Reply::NilArray => sink.null_array(),
            Reply::Array(items) | Reply::Set(items) | Reply::Push(items) | Reply::Seq(items) => {
                if let Some((agg, n)) = self.agg_header(r3) {
                    sink.header(agg, n);
                }
                for i in items {
                    i.render(proto, sink);
                }
            }
            Reply::Map(pairs) => {
                if let Some((agg, n)) = self.agg_header(r3) {
                    sink.header(agg, n);
                }
                for (k, v) in pairs {
                    k.render(proto, sink);
                    v.render(proto, sink);
                }
            }
            Reply::Double(d) if r3 => sink.double(*d),
            Reply::Double(d) => sink.bulk(num::fmt_double_reply(*d).as_bytes()),
            Reply::DoubleText(t) if r3 => sink.double_text(t),
            Reply::DoubleText(t) => sink.bulk(t),
            Reply::BigNumber(t) if r3 => sink.big_number(t),
            Reply::BigNumber(t) => sink.bulk(t),
            Reply::Bool(b) if r3 => sink.boolean(*b),
            Reply::Bool(b) => sink.int(i64::from(*b)),
            Reply::Verbatim(fmt, b) if r3 => sink.verbatim(fmt, b),
            Reply::Verbatim(_, b) => sink.bulk(b),
            Reply::Encoded(b) => sink.raw(b),
        }
    }

    /// Appends this reply as RESP for a client of `proto` to `out`,
    /// consuming it: a bulk string of [`Output::MOVE_MIN`] bytes or more
    /// moves into `out` as its own buffer (no copy, and it is released as
    /// soon as it is written); everything else is written as
    /// [`Reply::write_resp`] writes it.
    pub fn write_output(self, proto: Protocol, out: &mut Output) {
        if self.bulk_bytes_over(Output::MOVE_MIN).is_none() {
            out.with_bytes(|v| self.write_resp(proto, v));
            return;
        }
        self.render_owned(proto, out);
    }

    /// [`Reply::render`] into an [`Output`], consuming the reply so large
    /// bulk strings move instead of being copied.
    fn render_owned(self, proto: Protocol, out: &mut Output) {
        if let Some((agg, n)) = self.agg_header(proto == Protocol::Resp3) {
            out.with_bytes(|v| RespBytes { proto, out: v }.header(agg, n));
        }
        match self {
            Reply::Bulk(b) if b.len() >= Output::MOVE_MIN => {
                out.with_bytes(|v| write_len(v, b'$', b.len()));
                out.push_owned(b);
                out.extend(b"\r\n");
            }
            Reply::Encoded(b) if b.len() >= Output::MOVE_MIN => out.push_owned(b),
            Reply::Array(items) | Reply::Set(items) | Reply::Push(items) | Reply::Seq(items) => {
                for i in items {
                    i.render_owned(proto, out);
                }
            }
            Reply::Map(pairs) => {
                for (k, v) in pairs {
                    k.render_owned(proto, out);
                    v.render_owned(proto, out);
                }
            }
            leaf => out.with_bytes(|v| leaf.write_resp(proto, v)),
        }
    }

    /// The aggregate header a client of RESP3 (`r3`) or RESP2 reads for
    /// this reply, if it is an aggregate ([`Reply::Seq`] has none: its
    /// items are separate replies).
    fn agg_header(&self, r3: bool) -> Option<(Agg, usize)> {
        match self {
            Reply::Array(i) => Some((Agg::Array, i.len())),
            Reply::Set(i) => Some((if r3 { Agg::Set } else { Agg::Array }, i.len())),
            Reply::Push(i) => Some((if r3 { Agg::Push } else { Agg::Array }, i.len())),
            Reply::Map(p) if r3 => Some((Agg::Map, p.len())),
            Reply::Map(p) => Some((Agg::Array, p.len() * 2)),
            _ => None,
        }
    }

    /// The RESP encoding of this reply as a fresh buffer.
    pub fn to_resp(&self, proto: Protocol) -> Vec<u8> {
        let mut v = Vec::new();
        self.write_resp(proto, &mut v);
        v
    }
}

impl From<Error> for Reply {
    fn from(e: Error) -> Reply {
        Reply::Error(e)
    }
}

/// Writes an aggregate of bulk strings straight to RESP bytes for a client
/// of a given protocol, giving a [`Reply::Encoded`]: a million-element
/// LRANGE then costs its bytes, not a value and an allocation per element.
pub struct Encoder {
    proto: Protocol,
    out: Vec<u8>,
}

impl Encoder {
    /// An array of `n` bulk strings (`bytes`: a size hint).
    pub fn array(proto: Protocol, n: usize, bytes: usize) -> Encoder {
        Encoder::with_header(proto, Agg::Array, n, bytes)
    }

    /// A map of `n` pairs of bulk strings, a flat array in RESP2.
    pub fn map(proto: Protocol, n: usize, bytes: usize) -> Encoder {
        if proto == Protocol::Resp3 {
            Encoder::with_header(proto, Agg::Map, n, bytes)
        } else {
            Encoder::with_header(proto, Agg::Array, n * 2, bytes)
        }
    }

    /// A set of `n` bulk strings, an array in RESP2.
    pub fn set(proto: Protocol, n: usize, bytes: usize) -> Encoder {
        let agg = if proto == Protocol::Resp3 { Agg::Set } else { Agg::Array };
        Encoder::with_header(proto, agg, n, bytes)
    }

    fn with_header(proto: Protocol, agg: Agg, n: usize, bytes: usize) -> Encoder {
        let mut out = Vec::with_capacity(bytes.saturating_add(16));
        RespBytes { proto, out: &mut out }.header(agg, n);
        Encoder { proto, out }
    }

    /// The next bulk string.
    #[inline]
    pub fn bulk(&mut self, b: &[u8]) {
        write_bulk(&mut self.out, b);
    }

    /// The protocol written.
    pub fn protocol(&self) -> Protocol {
        self.proto
    }

    /// The reply.
    pub fn finish(self) -> Reply {
        Reply::Encoded(self.out)
    }
}

/// The kinds of aggregate headers a client reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Agg {
    /// `*n`
    Array,
    /// `%n`: n pairs follow (RESP3 only).
    Map,
    /// `~n` (RESP3 only).
    Set,
    /// `>n` (RESP3 only).
    Push,
}

/// What [`Reply::render`] feeds: one call per value a client reads.
/// Methods marked RESP3 are only called for RESP3 clients.
pub(crate) trait Sink {
    fn simple(&mut self, s: &str);
    fn error(&mut self, e: &Error);
    fn int(&mut self, n: i64);
    fn bulk(&mut self, b: &[u8]);
    /// Null bulk (`$-1`) in RESP2, the null (`_`) in RESP3.
    fn null(&mut self);
    /// `*-1` (RESP2 only: RESP3 null arrays are [`Sink::null`]).
    fn null_array(&mut self);
    /// An aggregate of `n` items (pairs for [`Agg::Map`]) that follow.
    fn header(&mut self, agg: Agg, n: usize);
    /// RESP3 double.
    fn double(&mut self, d: f64);
    /// RESP3 double already formatted (see [`Reply::DoubleText`]).
    fn double_text(&mut self, t: &[u8]);
    /// RESP3 big number.
    fn big_number(&mut self, t: &[u8]);
    /// RESP3 boolean.
    fn boolean(&mut self, b: bool);
    /// RESP3 verbatim string.
    fn verbatim(&mut self, fmt: &str, b: &[u8]);
    /// RESP bytes of an [`Reply::Encoded`] reply (a bulk string of them
    /// for sinks that are not RESP bytes).
    fn raw(&mut self, resp: &[u8]) {
        self.bulk(resp);
    }
}

/// The RESP bytes of a reply.
struct RespBytes<'a> {
    proto: Protocol,
    out: &'a mut Vec<u8>,
}

impl Sink for RespBytes<'_> {
    fn raw(&mut self, resp: &[u8]) {
        self.out.extend_from_slice(resp);
    }
    fn simple(&mut self, s: &str) {
        self.out.push(b'+');
        self.out.extend_from_slice(s.as_bytes());
        self.out.extend_from_slice(b"\r\n");
    }
    fn error(&mut self, e: &Error) {
        self.out.push(b'-');
        self.out.extend_from_slice(&e.to_bytes());
        self.out.extend_from_slice(b"\r\n");
    }
    fn int(&mut self, n: i64) {
        self.out.push(b':');
        num::push_i64(self.out, n);
        self.out.extend_from_slice(b"\r\n");
    }
    fn bulk(&mut self, b: &[u8]) {
        write_bulk(self.out, b);
    }
    fn null(&mut self) {
        self.out.extend_from_slice(if self.proto == Protocol::Resp3 { b"_\r\n" } else { b"$-1\r\n" });
    }
    fn null_array(&mut self) {
        self.out.extend_from_slice(b"*-1\r\n");
    }
    fn header(&mut self, agg: Agg, n: usize) {
        let tag = match agg {
            Agg::Array => b'*',
            Agg::Map => b'%',
            Agg::Set => b'~',
            Agg::Push => b'>',
        };
        write_len(self.out, tag, n);
    }
    fn double(&mut self, d: f64) {
        self.double_text(num::fmt_double_reply(d).as_bytes());
    }
    fn double_text(&mut self, t: &[u8]) {
        self.out.push(b',');
        self.out.extend_from_slice(t);
        self.out.extend_from_slice(b"\r\n");
    }
    fn big_number(&mut self, t: &[u8]) {
        self.out.push(b'(');
        self.out.extend_from_slice(t);
        self.out.extend_from_slice(b"\r\n");
    }
    fn boolean(&mut self, b: bool) {
        self.out.extend_from_slice(if b { b"#t\r\n" } else { b"#f\r\n" });
    }
    fn verbatim(&mut self, fmt: &str, b: &[u8]) {
        write_len(self.out, b'=', b.len() + 4);
        self.out.extend_from_slice(fmt.as_bytes());
        self.out.push(b':');
        self.out.extend_from_slice(b);
        self.out.extend_from_slice(b"\r\n");
    }
}

pub(crate) fn write_len(out: &mut Vec<u8>, tag: u8, n: usize) {
    out.push(tag);
    num::push_i64(out, n as i64);
    out.extend_from_slice(b"\r\n");
}

pub(crate) fn write_bulk(out: &mut Vec<u8>, b: &[u8]) {
    write_len(out, b'$', b.len());
    out.extend_from_slice(b);
    out.extend_from_slice(b"\r\n");
}
