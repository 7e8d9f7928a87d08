//! One RESP connection's protocol state, shared by every host that speaks
//! RESP over a byte stream: the native server (`redlet serve`), the npm
//! package's `serve()` and the wasmtime host's server. A host owns the
//! socket and the buffers; a [`Session`] turns received bytes into commands
//! and their replies into bytes, so parsing, blocking and closing rules are
//! written once.
//!
//! Invariants:
//! - While the client is blocked (BLPOP on an empty list), buffered input
//!   is not parsed; [`Session::resume`] delivers the engine's outbox and
//!   goes on once the engine unblocked the client.
//! - After a protocol error the error reply is the last output: the
//!   session is closing and ignores further input, as Redis does.
//! - Output is rendered in the client's current protocol at the moment each
//!   reply is produced (HELLO switches apply to the replies after it).

use alloc::vec::Vec;

use crate::client::{ClientId, ClientInfo};
use crate::engine::Engine;
use crate::output::Output;
use crate::reply::{Protocol, Reply};
use crate::resp::Parser;

/// Where a [`Session`] writes its replies: a plain byte buffer, or an
/// [`Output`], which moves large bulk strings in instead of copying them.
pub trait ReplyOut {
    /// Bytes held that the peer has not read (the pause threshold of
    /// [`Session::process`] applies to it).
    fn pending(&self) -> usize;
    /// Appends `reply` as RESP for a client of `proto`.
    fn put(&mut self, reply: Reply, proto: Protocol);
    /// Appends raw bytes.
    fn put_bytes(&mut self, bytes: &[u8]);
}

impl ReplyOut for Vec<u8> {
    #[inline]
    fn pending(&self) -> usize {
        self.len()
    }
    #[inline]
    fn put(&mut self, reply: Reply, proto: Protocol) {
        reply.write_resp(proto, self);
    }
    fn put_bytes(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

impl ReplyOut for Output {
    #[inline]
    fn pending(&self) -> usize {
        self.len()
    }
    #[inline]
    fn put(&mut self, reply: Reply, proto: Protocol) {
        reply.write_output(proto, self);
    }
    fn put_bytes(&mut self, bytes: &[u8]) {
        self.extend(bytes);
    }
}

/// What [`Session::resume`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resume {
    /// Keep the connection; write what is in the output buffer.
    Keep,
    /// The client was closed by someone else (CLIENT KILL): close the
    /// connection at once, dropping pending output (Redis's close-ASAP).
    Drop,
}

/// The protocol state of one connection. See the module docs.
pub struct Session {
    id: ClientId,
    parser: Parser,
    /// Spare argument storage, recycled across commands (see [`recycle`]).
    argv: Vec<&'static [u8]>,
    /// The engine holds a command of ours that is waiting (BLPOP).
    blocked: bool,
    /// Close once the output is written (QUIT, CLIENT KILL, protocol
    /// error, peer gone).
    closing: bool,
}

/// Reuses a vector's allocation for slices of another lifetime. The vector
/// is emptied first, so no reference survives; collecting a `FilterMap` of a
/// `Vec`'s own `IntoIter` into a `Vec` of the same layout reuses the buffer.
#[allow(clippy::unnecessary_filter_map)] // `filter` cannot change the item type.
fn recycle<'b>(mut v: Vec<&[u8]>) -> Vec<&'b [u8]> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

impl Session {
    /// Opens a client in `eng` for a new connection.
    pub fn open(eng: &mut Engine, info: ClientInfo) -> Session {
        let id = eng.open_client(info);
        Session { id, parser: Parser::new(eng.config().proto_max_bulk_len), argv: Vec::new(), blocked: false, closing: false }
    }

    /// The engine's id of this connection's client.
    pub fn id(&self) -> ClientId {
        self.id
    }

    /// True while the engine holds one of our commands (BLPOP waiting).
    pub fn is_blocked(&self) -> bool {
        self.blocked
    }

    /// True once the connection is to be closed after its output is written.
    pub fn is_closing(&self) -> bool {
        self.closing
    }

    /// Marks the connection closing (the peer went away): no more input is
    /// run; replies already due may still be written.
    pub fn set_closing(&mut self) {
        self.closing = true;
    }

    /// True while a multibulk request has been started but not completed
    /// (the host keeps its query buffer then).
    pub fn in_request(&self) -> bool {
        self.parser.in_request()
    }

    /// How many more bytes the request in progress needs, when known; a
    /// hint for sizing the next read (see [`Parser::bulk_bytes_needed`]).
    pub fn bulk_bytes_needed(&self, buffered: usize) -> Option<u64> {
        self.parser.bulk_bytes_needed(buffered)
    }

    /// Runs the complete requests at the start of `input`, appending their
    /// replies to `out`, until the input runs out, the client blocks or is
    /// to be closed, or `out` holds `out_pause` pending bytes or more (the host
    /// resumes once its peer has read). Returns how many bytes of `input`
    /// were consumed; the rest must be passed again, with more bytes after
    /// it, next time.
    pub fn process<O: ReplyOut>(&mut self, eng: &mut Engine, input: &[u8], out: &mut O, out_pause: usize) -> usize {
        self.parser.set_max_bulk_len(eng.config().proto_max_bulk_len);
        let mut pos = 0;
        while !self.blocked && !self.closing && pos < input.len() && out.pending() < out_pause {
            let consumed = match self.parser.parse(&input[pos..]) {
                Ok(None) => break,
                Err(e) => {
                    // Like Redis: reply, drop the rest of the input, close
                    // once the reply is out.
                    let mut line = Vec::new();
                    e.write_reply(&mut line);
                    out.put_bytes(&line);
                    self.closing = true;
                    return input.len();
                }
                Ok(Some(req)) => {
                    if !req.is_empty() {
                        let mut argv = recycle(core::mem::take(&mut self.argv));
                        req.fill(&mut argv);
                        match eng.execute_resp(self.id, &argv) {
                            Some(reply) => out.put(reply, eng.protocol(self.id)),
                            None => self.blocked = true,
                        }
                        self.argv = recycle(argv);
                        if eng.should_close(self.id) {
                            self.closing = true;
                        }
                    }
                    req.consumed()
                }
            };
            pos += consumed;
        }
        if self.closing {
            // Unanswered input is dropped.
            return input.len();
        }
        pos
    }

    /// Called for a client [`Engine::take_woken`] named: appends its
    /// outbox (an unblocked command's reply, pub/sub messages, a timeout)
    /// to `out` and notes whether the client may run commands again. The
    /// host then calls [`Session::process`] with its buffered input.
    pub fn resume<O: ReplyOut>(&mut self, eng: &mut Engine, out: &mut O) -> Resume {
        if eng.should_close(self.id) && !self.closing {
            return Resume::Drop;
        }
        let proto = eng.protocol(self.id);
        while let Some(r) = eng.pop_output(self.id) {
            out.put(r, proto);
        }
        if self.blocked && !eng.is_blocked(self.id) {
            self.blocked = false;
        }
        Resume::Keep
    }

    /// Forgets the client in the engine (the connection is gone).
    pub fn close(self, eng: &mut Engine) {
        eng.close_client(self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::{Config, Options};
    use alloc::boxed::Box;

    fn engine() -> Engine {
        Engine::new(Options { config: Config::default(), clock: Box::new(ManualClock::new(1_000)), seed: 1 })
    }

    #[test]
    fn recycle_keeps_the_allocation() {
        let mut v: Vec<&[u8]> = Vec::with_capacity(8);
        v.push(b"a");
        let p = v.as_ptr() as usize;
        let w: Vec<&[u8]> = recycle(v);
        assert!(w.is_empty());
        assert_eq!(w.capacity(), 8);
        assert_eq!(w.as_ptr() as usize, p);
    }

    /// Large LRANGE/HGETALL/HKEYS/HVALS replies to a connection are
    /// written straight to RESP bytes: the same bytes as the replies the
    /// engine gives any other client, in both protocols, alone, inside
    /// MULTI, and into an [`Output`]; `execute` still gives values.
    #[test]
    fn encoded_replies_match_the_values() {
        let mut e = engine();
        let c = e.open_client(ClientInfo::default());
        for i in 0..600 {
            let (v, f) = (alloc::format!("element:{i}"), alloc::format!("f{i}"));
            e.execute(c, &[b"RPUSH", b"l", v.as_bytes()]);
            e.execute(c, &[b"HSET", b"h", f.as_bytes(), v.as_bytes()]);
        }
        let cmds: &[&[&[u8]]] = &[&[b"LRANGE", b"l", b"0", b"-1"], &[b"LRANGE", b"l", b"-500", b"550"], &[b"HGETALL", b"h"], &[b"HKEYS", b"h"], &[b"HVALS", b"h"], &[b"LRANGE", b"l", b"0", b"3"]];
        for proto in [b"2", b"3"] {
            e.execute(c, &[b"HELLO", proto]);
            let mut s = Session::open(&mut e, ClientInfo::default());
            let mut out = Output::new();
            s.process(&mut e, &[b"HELLO ", &proto[..], b"\r\n"].concat(), &mut Vec::new(), usize::MAX);
            for cmd in cmds {
                let want = e.execute(c, cmd).map(|r| r.to_resp(e.protocol(c))).unwrap_or_default();
                // A request is a RESP2 array of bulk strings.
                let req = Reply::Array(cmd.iter().map(|a| Reply::bulk(a)).collect()).to_resp(Protocol::Resp2);
                let mut got = Vec::new();
                s.process(&mut e, &req, &mut got, usize::MAX);
                assert_eq!(got, want, "{:?}", core::str::from_utf8(cmd[0]));
                s.process(&mut e, &req, &mut out, usize::MAX);
                let mut moved = Vec::new();
                while !out.is_empty() {
                    let n = out.front().len();
                    moved.extend_from_slice(out.front());
                    out.advance(n, 0);
                }
                assert_eq!(moved, want);
            }
            // The same client through `execute` (the component's `call`):
            // values, never bytes.
            assert!(matches!(e.execute(s.id(), cmds[0]), Some(Reply::Array(v)) if v.len() == 600));
            // Inside MULTI, the EXEC array holds the encoded replies.
            let mut got = Vec::new();
            s.process(&mut e, b"MULTI\r\nLRANGE l 0 -1\r\nHGETALL h\r\nEXEC\r\n", &mut got, usize::MAX);
            let mut want = Vec::new();
            for line in [&b"MULTI"[..], b"LRANGE l 0 -1", b"HGETALL h", b"EXEC"] {
                let argv: Vec<&[u8]> = line.split(|&b| b == b' ').collect();
                want.extend(e.execute(c, &argv).map(|r| r.to_resp(e.protocol(c))).unwrap_or_default());
            }
            assert_eq!(got, want);
        }
    }

    #[test]
    fn pipelined_partial_and_inline_requests() {
        let mut e = engine();
        let mut s = Session::open(&mut e, ClientInfo::default());
        let mut out = Vec::new();
        let input = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\nGET k\r\n*2\r\n$3\r\nGET\r\n$1";
        let n = s.process(&mut e, input, &mut out, usize::MAX);
        assert_eq!(out, b"+OK\r\n$1\r\nv\r\n");
        let rest = [&input[n..], b"\r\nk\r\n"].concat();
        out.clear();
        assert_eq!(s.process(&mut e, &rest, &mut out, usize::MAX), rest.len());
        assert_eq!(out, b"$1\r\nv\r\n");
    }

    #[test]
    fn protocol_error_closes_and_drops_the_rest() {
        let mut e = engine();
        let mut s = Session::open(&mut e, ClientInfo::default());
        let mut out = Vec::new();
        let input = b"*1\r\n!3\r\nPING\r\nPING\r\n";
        assert_eq!(s.process(&mut e, input, &mut out, usize::MAX), input.len());
        assert_eq!(out, b"-ERR Protocol error: expected '$', got '!'\r\n");
        assert!(s.is_closing());
    }

    #[test]
    fn blocked_client_waits_then_resumes() {
        let mut e = engine();
        let mut a = Session::open(&mut e, ClientInfo::default());
        let mut b = Session::open(&mut e, ClientInfo::default());
        let (mut oa, mut ob) = (Vec::new(), Vec::new());
        let input = b"BLPOP q 0\r\nPING\r\n";
        let n = a.process(&mut e, input, &mut oa, usize::MAX);
        assert!(a.is_blocked());
        assert!(oa.is_empty());
        b.process(&mut e, b"RPUSH q x\r\n", &mut ob, usize::MAX);
        assert_eq!(ob, b":1\r\n");
        assert_eq!(e.take_woken(), alloc::vec![a.id()]);
        assert_eq!(a.resume(&mut e, &mut oa), Resume::Keep);
        assert!(!a.is_blocked());
        a.process(&mut e, &input[n..], &mut oa, usize::MAX);
        assert_eq!(oa, b"*2\r\n$1\r\nq\r\n$1\r\nx\r\n+PONG\r\n");
    }
}
