//! Replies, shaped like RESP3. RESP2 is a rendering of the same value
//! ([`Reply::write_resp`]), so a command builds one reply whatever protocol its
//! client speaks.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use crate::error::Error;
use crate::num;

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
    /// Several replies written one after another, not a RESP type of its
    /// own: a command that answers more than once (SUBSCRIBE confirms each
    /// channel), or pushes delivered to the caller while its command ran,
    /// which Redis writes before the command's reply.
    Seq(Vec<Reply>),
}

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
        let r3 = proto == Protocol::Resp3;
        match self {
            Reply::Status(s) => {
                out.push(b'+');
                out.extend_from_slice(s.as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            Reply::Error(e) => {
                out.push(b'-');
                out.extend_from_slice(&e.to_bytes());
                out.extend_from_slice(b"\r\n");
            }
            Reply::Int(n) => {
                out.push(b':');
                num::push_i64(out, *n);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Bulk(b) => write_bulk(out, b),
            Reply::Nil => out.extend_from_slice(if r3 { b"_\r\n" } else { b"$-1\r\n" }),
            Reply::NilArray => out.extend_from_slice(if r3 { b"_\r\n" } else { b"*-1\r\n" }),
            Reply::Array(items) => {
                write_len(out, b'*', items.len());
                for i in items {
                    i.write_resp(proto, out);
                }
            }
            Reply::Set(items) => {
                write_len(out, if r3 { b'~' } else { b'*' }, items.len());
                for i in items {
                    i.write_resp(proto, out);
                }
            }
            Reply::Push(items) => {
                write_len(out, if r3 { b'>' } else { b'*' }, items.len());
                for i in items {
                    i.write_resp(proto, out);
                }
            }
            Reply::Seq(items) => {
                for i in items {
                    i.write_resp(proto, out);
                }
            }
            Reply::Map(pairs) => {
                if r3 {
                    write_len(out, b'%', pairs.len());
                } else {
                    write_len(out, b'*', pairs.len() * 2);
                }
                for (k, v) in pairs {
                    k.write_resp(proto, out);
                    v.write_resp(proto, out);
                }
            }
            Reply::Double(d) => {
                let s = num::fmt_double_reply(*d);
                if r3 {
                    out.push(b',');
                    out.extend_from_slice(s.as_bytes());
                    out.extend_from_slice(b"\r\n");
                } else {
                    write_bulk(out, s.as_bytes());
                }
            }
            Reply::DoubleText(t) => {
                if r3 {
                    out.push(b',');
                    out.extend_from_slice(t);
                    out.extend_from_slice(b"\r\n");
                } else {
                    write_bulk(out, t);
                }
            }
            Reply::Bool(b) => {
                if r3 {
                    out.extend_from_slice(if *b { b"#t\r\n" } else { b"#f\r\n" });
                } else {
                    out.extend_from_slice(if *b { b":1\r\n" } else { b":0\r\n" });
                }
            }
            Reply::Verbatim(fmt, b) => {
                if r3 {
                    write_len(out, b'=', b.len() + 4);
                    out.extend_from_slice(fmt.as_bytes());
                    out.push(b':');
                    out.extend_from_slice(b);
                    out.extend_from_slice(b"\r\n");
                } else {
                    write_bulk(out, b);
                }
            }
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

fn write_len(out: &mut Vec<u8>, tag: u8, n: usize) {
    out.push(tag);
    num::push_i64(out, n as i64);
    out.extend_from_slice(b"\r\n");
}

fn write_bulk(out: &mut Vec<u8>, b: &[u8]) {
    write_len(out, b'$', b.len());
    out.extend_from_slice(b);
    out.extend_from_slice(b"\r\n");
}
