//! One small RESP2/RESP3 reply parser, used for both sides of the
//! differential test (Redis's socket bytes and redlet's rendered replies), so
//! both are compared as the same value type. Also renders values and argv the
//! way redis-cli shows and accepts them.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{self, BufRead};

/// A parsed reply. RESP3 types are kept apart from their RESP2 look-alikes
/// so a protocol difference shows up as a mismatch.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum V {
    /// `+text`
    Simple(Vec<u8>),
    /// `-text`
    Err(Vec<u8>),
    /// `:n`
    Int(i64),
    /// `$n` bulk string.
    Bulk(Vec<u8>),
    /// `$-1`
    Nil,
    /// `*-1`
    NilArray,
    /// `*n`
    Array(Vec<V>),
    /// `%n` (RESP3)
    Map(Vec<(V, V)>),
    /// `~n` (RESP3)
    Set(Vec<V>),
    /// `,d` (RESP3), kept as text.
    Double(Vec<u8>),
    /// `#t` / `#f` (RESP3)
    Bool(bool),
    /// `(n` (RESP3), kept as text.
    Big(Vec<u8>),
    /// `=n fmt:text` (RESP3)
    Verbatim(Vec<u8>, Vec<u8>),
    /// `>n` (RESP3)
    Push(Vec<V>),
    /// `_` (RESP3)
    Null,
}

fn bad(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

fn line(r: &mut impl BufRead) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    r.read_until(b'\n', &mut buf)?;
    if buf.is_empty() {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed"));
    }
    if buf.len() < 2 || buf[buf.len() - 2] != b'\r' {
        return Err(bad(format!("line without CRLF: {:?}", String::from_utf8_lossy(&buf))));
    }
    buf.truncate(buf.len() - 2);
    Ok(buf)
}

fn int(b: &[u8]) -> io::Result<i64> {
    std::str::from_utf8(b).ok().and_then(|s| s.parse().ok()).ok_or_else(|| bad(format!("bad integer {:?}", String::from_utf8_lossy(b))))
}

fn exact(r: &mut impl BufRead, n: usize) -> io::Result<Vec<u8>> {
    let mut buf = vec![0u8; n + 2];
    r.read_exact(&mut buf)?;
    if &buf[n..] != b"\r\n" {
        return Err(bad("bulk without CRLF"));
    }
    buf.truncate(n);
    Ok(buf)
}

fn items(r: &mut impl BufRead, n: i64) -> io::Result<Vec<V>> {
    (0..n).map(|_| read(r)).collect()
}

/// Reads one reply.
pub fn read(r: &mut impl BufRead) -> io::Result<V> {
    let l = line(r)?;
    let (&tag, rest) = l.split_first().ok_or_else(|| bad("empty line"))?;
    Ok(match tag {
        b'+' => V::Simple(rest.to_vec()),
        b'-' => V::Err(rest.to_vec()),
        b':' => V::Int(int(rest)?),
        b'$' => match int(rest)? {
            -1 => V::Nil,
            n if n >= 0 => V::Bulk(exact(r, n as usize)?),
            n => return Err(bad(format!("bad bulk length {n}"))),
        },
        b'*' => match int(rest)? {
            -1 => V::NilArray,
            n if n >= 0 => V::Array(items(r, n)?),
            n => return Err(bad(format!("bad array length {n}"))),
        },
        b'~' => V::Set(items(r, int(rest)?)?),
        b'>' => V::Push(items(r, int(rest)?)?),
        b'%' => {
            let n = int(rest)?;
            let mut m = Vec::new();
            for _ in 0..n {
                let k = read(r)?;
                m.push((k, read(r)?));
            }
            V::Map(m)
        }
        b',' => V::Double(rest.to_vec()),
        b'#' => V::Bool(rest == b"t"),
        b'(' => V::Big(rest.to_vec()),
        b'_' => V::Null,
        b'=' => {
            let b = exact(r, int(rest)? as usize)?;
            if b.len() < 4 || b[3] != b':' {
                return Err(bad("bad verbatim string"));
            }
            V::Verbatim(b[..3].to_vec(), b[4..].to_vec())
        }
        b'|' => {
            // Attributes precede the real reply; skip them.
            let n = int(rest)?;
            for _ in 0..2 * n {
                read(r)?;
            }
            read(r)?
        }
        t => return Err(bad(format!("unknown RESP type byte {:?}", t as char))),
    })
}

/// Parses exactly one reply from `bytes` (trailing bytes are an error).
pub fn parse_one(bytes: &[u8]) -> io::Result<V> {
    let mut s = bytes;
    let v = read(&mut s)?;
    if !s.is_empty() {
        return Err(bad(format!("{} trailing bytes after reply", s.len())));
    }
    Ok(v)
}

/// Encodes a command as a RESP multibulk request.
pub fn encode_cmd(argv: &[Vec<u8>], out: &mut Vec<u8>) {
    let _ = write!(Ascii(out), "*{}\r\n", argv.len());
    for a in argv {
        let _ = write!(Ascii(out), "${}\r\n", a.len());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
}

struct Ascii<'a>(&'a mut Vec<u8>);
impl std::fmt::Write for Ascii<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// Bytes as a double-quoted string redis-cli accepts (`\xNN`, `\r`, ...).
pub fn quote(b: &[u8]) -> String {
    let mut s = String::from("\"");
    for &c in b {
        match c {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\t' => s.push_str("\\t"),
            0x20..=0x7e => s.push(c as char),
            _ => {
                let _ = write!(s, "\\x{c:02x}");
            }
        }
    }
    s.push('"');
    s
}

/// An argument for a redis-cli line: bare when safe, quoted otherwise.
pub fn cli_arg(b: &[u8]) -> String {
    let plain = !b.is_empty() && b.iter().all(|&c| c.is_ascii_graphic() && c != b'"' && c != b'\'' && c != b'\\');
    if plain {
        String::from_utf8_lossy(b).into_owned()
    } else {
        quote(b)
    }
}

/// A command as one redis-cli line.
pub fn cli_line(argv: &[Vec<u8>]) -> String {
    argv.iter().map(|a| cli_arg(a)).collect::<Vec<_>>().join(" ")
}

/// A short, one-line rendering of a reply (long strings are elided).
pub fn show(v: &V) -> String {
    let mut s = String::new();
    show_into(v, &mut s);
    s
}

fn short(b: &[u8]) -> String {
    if b.len() > 80 {
        format!("{}...({} bytes)", quote(&b[..60]), b.len())
    } else {
        quote(b)
    }
}

fn show_into(v: &V, s: &mut String) {
    match v {
        V::Simple(b) => {
            let _ = write!(s, "+{}", String::from_utf8_lossy(b));
        }
        V::Err(b) => {
            let _ = write!(s, "(error) {}", String::from_utf8_lossy(b));
        }
        V::Int(n) => {
            let _ = write!(s, "(integer) {n}");
        }
        V::Bulk(b) => s.push_str(&short(b)),
        V::Nil => s.push_str("(nil)"),
        V::NilArray => s.push_str("(nil array)"),
        V::Null => s.push_str("(null)"),
        V::Array(xs) | V::Set(xs) | V::Push(xs) => {
            s.push_str(match v {
                V::Set(_) => "~[",
                V::Push(_) => ">[",
                _ => "[",
            });
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                if i >= 40 {
                    let _ = write!(s, "... {} more", xs.len() - i);
                    break;
                }
                show_into(x, s);
            }
            s.push(']');
        }
        V::Map(kv) => {
            s.push('{');
            for (i, (k, x)) in kv.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                show_into(k, s);
                s.push_str(": ");
                show_into(x, s);
            }
            s.push('}');
        }
        V::Double(b) => {
            let _ = write!(s, "(double) {}", String::from_utf8_lossy(b));
        }
        V::Bool(b) => {
            let _ = write!(s, "(bool) {b}");
        }
        V::Big(b) => {
            let _ = write!(s, "(big) {}", String::from_utf8_lossy(b));
        }
        V::Verbatim(f, b) => {
            let _ = write!(s, "(verbatim {}) {}", String::from_utf8_lossy(f), short(b));
        }
    }
}

impl V {
    /// True for error replies.
    pub fn is_err(&self) -> bool {
        matches!(self, V::Err(_))
    }

    /// The bytes of a bulk or simple string.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            V::Bulk(b) | V::Simple(b) => Some(b),
            _ => None,
        }
    }

    /// The items of an array-like reply.
    pub fn items(&self) -> Option<&[V]> {
        match self {
            V::Array(x) | V::Set(x) | V::Push(x) => Some(x),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested() {
        let v = parse_one(b"*3\r\n$3\r\nabc\r\n:-5\r\n*-1\r\n").unwrap();
        assert_eq!(v, V::Array(vec![V::Bulk(b"abc".to_vec()), V::Int(-5), V::NilArray]));
        assert!(parse_one(b"$3\r\nab\r\n").is_err());
        assert_eq!(cli_line(&[b"SET".to_vec(), b"a b".to_vec(), b"\x00".to_vec()]), "SET \"a b\" \"\\x00\"");
    }
}
