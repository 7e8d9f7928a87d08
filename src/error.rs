//! The engine's error type. Every error reply Redis 7.0 gives that the engine
//! can produce is either a variant here (the common, shared texts) or an
//! [`Error::Msg`] built next to the one command that uses it.
//!
//! Invariant: `Display` (and [`Error::to_bytes`]) yields exactly the text Redis
//! sends after the leading `-`, error code included (`ERR`, `WRONGTYPE`, ...).

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// An error reply. Rendering it gives Redis's exact text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// `WRONGTYPE Operation against a key holding the wrong kind of value`
    WrongType,
    /// `ERR value is not an integer or out of range`
    NotInteger,
    /// `ERR value is not a valid float`
    NotFloat,
    /// `ERR syntax error`
    Syntax,
    /// `ERR index out of range`
    IndexOutOfRange,
    /// `ERR no such key`
    NoSuchKey,
    /// `ERR increment or decrement would overflow`
    Overflow,
    /// `ERR increment would produce NaN or Infinity`
    NanOrInfinity,
    /// `ERR DB index is out of range`
    DbIndexOutOfRange,
    /// `ERR invalid cursor`
    InvalidCursor,
    /// `ERR value is out of range, must be positive`
    MustBePositive,
    /// `ERR timeout is not a float or out of range`
    TimeoutNotFloat,
    /// `ERR timeout is negative`
    TimeoutNegative,
    /// `ERR timeout is out of range`
    TimeoutOutOfRange,
    /// `ERR string exceeds maximum allowed size (proto-max-bulk-len)`
    StringTooLong,
    /// `ERR wrong number of arguments for '<name>' command`; holds the
    /// lowercase command name (`config|get` for subcommands).
    WrongArity(String),
    /// `ERR unknown command '<name>', with args beginning with: '<a>' ...`
    UnknownCommand {
        /// The command name as sent.
        name: Vec<u8>,
        /// The first arguments, as Redis quotes them (at most 128 bytes in all).
        args: Vec<Vec<u8>>,
    },
    /// `ERR unknown subcommand '<sub>'. Try <CMD> HELP.`
    UnknownSubcommand {
        /// The subcommand as sent.
        sub: Vec<u8>,
        /// The container command, uppercase.
        cmd: String,
    },
    /// `OOM command not allowed when used memory > 'maxmemory'.`
    Oom,
    /// Any other error: the whole text, code included (`ERR ...`).
    Msg(Box<[u8]>),
}

impl Error {
    /// Builds an [`Error::Msg`] from text that already carries its code.
    // Cold and out of line (also `err`): error paths stay out of the
    // handlers' code, which keeps the wasm smaller.
    #[cold]
    #[inline(never)]
    pub fn msg(text: impl AsRef<[u8]>) -> Error {
        Error::Msg(text.as_ref().into())
    }

    /// `ERR <text>`: the common case of [`Error::msg`].
    #[cold]
    #[inline(never)]
    pub fn err(text: &str) -> Error {
        let mut v = Vec::with_capacity(text.len() + 4);
        v.extend_from_slice(b"ERR ");
        v.extend_from_slice(text.as_bytes());
        Error::Msg(v.into_boxed_slice())
    }

    /// The error text as Redis sends it, without the leading `-` and CRLF.
    /// CR and LF inside user-supplied parts are replaced by spaces, as Redis does.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_bytes(&mut out);
        for b in out.iter_mut() {
            if *b == b'\r' || *b == b'\n' {
                *b = b' ';
            }
        }
        out
    }

    fn write_bytes(&self, out: &mut Vec<u8>) {
        let s: &str = match self {
            Error::WrongType => "WRONGTYPE Operation against a key holding the wrong kind of value",
            Error::NotInteger => "ERR value is not an integer or out of range",
            Error::NotFloat => "ERR value is not a valid float",
            Error::Syntax => "ERR syntax error",
            Error::IndexOutOfRange => "ERR index out of range",
            Error::NoSuchKey => "ERR no such key",
            Error::Overflow => "ERR increment or decrement would overflow",
            Error::NanOrInfinity => "ERR increment would produce NaN or Infinity",
            Error::DbIndexOutOfRange => "ERR DB index is out of range",
            Error::InvalidCursor => "ERR invalid cursor",
            Error::MustBePositive => "ERR value is out of range, must be positive",
            Error::TimeoutNotFloat => "ERR timeout is not a float or out of range",
            Error::TimeoutNegative => "ERR timeout is negative",
            Error::TimeoutOutOfRange => "ERR timeout is out of range",
            Error::StringTooLong => "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
            Error::Oom => "OOM command not allowed when used memory > 'maxmemory'.",
            Error::WrongArity(name) => {
                out.extend_from_slice(b"ERR wrong number of arguments for '");
                out.extend_from_slice(name.as_bytes());
                out.extend_from_slice(b"' command");
                return;
            }
            Error::UnknownCommand { name, args } => {
                out.extend_from_slice(b"ERR unknown command '");
                out.extend_from_slice(trunc_c(name, 128));
                out.extend_from_slice(b"', with args beginning with: ");
                // Redis appends "'%.*s' " while the list is shorter than 128
                // bytes, each argument cut to what is left of those 128.
                let mut len = 0usize;
                for a in args {
                    if len >= 128 {
                        break;
                    }
                    let part = trunc_c(a, 128 - len);
                    out.push(b'\'');
                    out.extend_from_slice(part);
                    out.extend_from_slice(b"' ");
                    len += part.len() + 3;
                }
                return;
            }
            Error::UnknownSubcommand { sub, cmd } => {
                out.extend_from_slice(b"ERR unknown subcommand '");
                out.extend_from_slice(trunc_c(sub, 128));
                out.extend_from_slice(b"'. Try ");
                out.extend_from_slice(cmd.as_bytes());
                out.extend_from_slice(b" HELP.");
                return;
            }
            Error::Msg(m) => {
                out.extend_from_slice(m);
                return;
            }
        };
        out.extend_from_slice(s.as_bytes());
    }
}

/// Truncates like C's `%.Ns`: at `n` bytes or at the first NUL.
fn trunc_c(s: &[u8], n: usize) -> &[u8] {
    let s = &s[..s.len().min(n)];
    match s.iter().position(|&b| b == 0) {
        Some(p) => &s[..p],
        None => s,
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
    }
}

impl core::error::Error for Error {}

/// Result alias used throughout the engine.
pub type Result<T, E = Error> = core::result::Result<T, E>;
