//! Export: the keyspace as a stream of RESP commands that rebuild it in a
//! real Redis server (`redis-cli --pipe < dump.resp`), the path for a user
//! who outgrows an embedded engine.
//!
//! What is written, per non-empty database (after `SELECT db`):
//! - strings (HyperLogLogs included: they are strings) with `SET`;
//! - lists `RPUSH`, hashes `HSET`, sets `SADD`, sorted sets `ZADD` with
//!   scores in `%.17g` (which round-trips every double), each in commands
//!   of at most [`ITEMS_PER_CMD`] items so no single command is huge;
//! - streams: every entry with `XADD key <id> ...`, then consumer groups
//!   (`XGROUP CREATE key g <last-delivered-id> ENTRIESREAD n`), pending
//!   entries (`XCLAIM key g consumer 0 <id> TIME <delivery-ms> RETRYCOUNT
//!   <count> FORCE JUSTID`, which sets both without counting a delivery),
//!   consumers without pending entries (`XGROUP CREATECONSUMER`), and last
//!   `XSETID key <last-id> ENTRIESADDED n MAXDELETEDID id`. A pending entry
//!   whose stream entry was deleted is rebuilt by adding a placeholder entry
//!   under its id, claiming it, then `XDEL`ing it (XCLAIM ignores missing
//!   entries); XSETID afterwards restores the counters XDEL moved. A
//!   stream with no entries is created with `XGROUP CREATE ... MKSTREAM`.
//! - TTLs with `PEXPIREAT key <absolute ms>`.
//!
//! Keys already expired at the engine's current time are skipped.
//! Not reproducible through commands: consumers' seen-time (Redis sets it
//! to the load time) and value encodings (Redis picks its own).
//!
//! Output goes to a sink in chunks of about [`CHUNK`] bytes, so exporting
//! never holds a second copy of the dataset.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use crate::engine::Engine;
use crate::num;
use crate::types::stream::StreamId;
use crate::types::{Stream, Value};

/// Most items (elements, field-value pairs, members) in one command, as
/// Redis's AOF rewrite (`AOF_REWRITE_ITEMS_PER_CMD`).
pub const ITEMS_PER_CMD: usize = 64;
/// Output is handed to the sink once this many bytes are buffered.
pub const CHUNK: usize = 64 * 1024;

/// Buffers RESP-encoded commands and hands them to the sink in chunks.
struct Out<'a> {
    buf: Vec<u8>,
    sink: &'a mut dyn FnMut(&[u8]),
    commands: u64,
}

impl Out<'_> {
    fn cmd(&mut self, args: &[&[u8]]) {
        self.buf.push(b'*');
        num::push_i64(&mut self.buf, args.len() as i64);
        self.buf.extend_from_slice(b"\r\n");
        for a in args {
            self.buf.push(b'$');
            num::push_i64(&mut self.buf, a.len() as i64);
            self.buf.extend_from_slice(b"\r\n");
            self.buf.extend_from_slice(a);
            self.buf.extend_from_slice(b"\r\n");
        }
        self.commands += 1;
        if self.buf.len() >= CHUNK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if !self.buf.is_empty() {
            (self.sink)(&self.buf);
            self.buf.clear();
        }
    }
}

fn text(n: u64) -> Vec<u8> {
    alloc::format!("{n}").into_bytes()
}

/// Emits one container in bounded commands: `prefix` then items, where
/// each item contributes `per` arguments from `args`.
fn chunks<'v>(out: &mut Out<'_>, prefix: &[&[u8]], per: usize, args: impl Iterator<Item = Cow<'v, [u8]>>) {
    let mut cur: Vec<Cow<'v, [u8]>> = Vec::new();
    let flush = |cur: &mut Vec<Cow<'v, [u8]>>, out: &mut Out<'_>| {
        if cur.is_empty() {
            return;
        }
        let mut argv: Vec<&[u8]> = Vec::with_capacity(prefix.len() + cur.len());
        argv.extend_from_slice(prefix);
        argv.extend(cur.iter().map(|c| &c[..]));
        out.cmd(&argv);
        cur.clear();
    };
    for a in args {
        cur.push(a);
        if cur.len() >= ITEMS_PER_CMD * per {
            flush(&mut cur, out);
        }
    }
    flush(&mut cur, out);
}

fn stream(out: &mut Out<'_>, key: &[u8], s: &Stream) {
    let e = &s.entries;
    // Pending ids whose entry is gone need a placeholder entry (see the
    // module docs).
    let mut ghosts: Vec<StreamId> = s.groups.values().flat_map(|g| g.pel.keys().copied()).filter(|id| !e.exists(*id)).collect();
    ghosts.sort_unstable();
    ghosts.dedup();
    let mut g = ghosts.iter().peekable();
    let mut created = false;
    let xadd = |out: &mut Out<'_>, id: StreamId, fv: &mut dyn Iterator<Item = (&[u8], &[u8])>| {
        let idb = id.to_bytes();
        let mut argv: Vec<&[u8]> = Vec::with_capacity(16);
        argv.extend_from_slice(&[b"XADD", key, &idb]);
        for (f, v) in fv {
            argv.push(f);
            argv.push(v);
        }
        out.cmd(&argv);
    };
    for ent in e.range(StreamId::MIN, StreamId::MAX, false) {
        while let Some(&&gid) = g.peek().filter(|gid| ***gid < ent.id) {
            xadd(out, gid, &mut core::iter::once((&b"redlet-export"[..], &b"placeholder"[..])));
            g.next();
        }
        let fv: Vec<_> = ent.fields().collect();
        xadd(out, ent.id, &mut fv.iter().map(|(f, v)| (&f[..], &v[..])));
        created = true;
    }
    for &gid in g {
        xadd(out, gid, &mut core::iter::once((&b"redlet-export"[..], &b"placeholder"[..])));
        created = true;
    }
    if !created && s.groups.is_empty() {
        // No entry and no group: a throw-away group creation makes the key.
        out.cmd(&[b"XGROUP", b"CREATE", key, b"redlet-export", b"0", b"MKSTREAM"]);
        out.cmd(&[b"XGROUP", b"DESTROY", key, b"redlet-export"]);
    }
    for (i, (name, grp)) in s.groups.iter().enumerate() {
        let (id, er) = (grp.last_id.to_bytes(), entries_read(grp.entries_read));
        if i == 0 && !created {
            // No entry at all: the first group creation makes the key.
            out.cmd(&[b"XGROUP", b"CREATE", key, name, &id, b"MKSTREAM", b"ENTRIESREAD", &er]);
        } else {
            out.cmd(&[b"XGROUP", b"CREATE", key, name, &id, b"ENTRIESREAD", &er]);
        }
        for (id, nack) in &grp.pel {
            let idb = id.to_bytes();
            let time = text(nack.delivery_time.max(0) as u64);
            let count = text(nack.delivery_count);
            out.cmd(&[b"XCLAIM", key, name, &nack.consumer, b"0", &idb, b"TIME", &time, b"RETRYCOUNT", &count, b"FORCE", b"JUSTID"]);
        }
        for (cname, c) in &grp.consumers {
            if c.pel.is_empty() {
                out.cmd(&[b"XGROUP", b"CREATECONSUMER", key, name, cname]);
            }
        }
    }
    for gid in &ghosts {
        out.cmd(&[b"XDEL", key, &gid.to_bytes()]);
    }
    let (last, added, maxdel) = (e.last_id().to_bytes(), text(e.entries_added()), e.max_deleted_id().to_bytes());
    out.cmd(&[b"XSETID", key, &last, b"ENTRIESADDED", &added, b"MAXDELETEDID", &maxdel]);
}

/// `ENTRIESREAD` argument: Redis takes -1 for "unknown".
fn entries_read(n: i64) -> Vec<u8> {
    let mut v = Vec::new();
    num::push_i64(&mut v, n);
    v
}

impl Engine {
    /// Writes the whole dataset as RESP commands (see the module docs) to
    /// `sink`, in chunks of about [`CHUNK`] bytes; returns the number of
    /// commands written. Keys expired at the engine's current time are
    /// left out; nothing is modified.
    pub fn export_resp(&self, sink: &mut dyn FnMut(&[u8])) -> u64 {
        let now = self.now_ms();
        let mut out = Out { buf: Vec::with_capacity(CHUNK + 1024), sink, commands: 0 };
        for (i, db) in self.dbs.iter().enumerate() {
            let mut selected = false;
            for ent in db.iter() {
                let exp = ent.expire();
                if exp.is_some_and(|t| t < now) {
                    continue;
                }
                if !selected {
                    out.cmd(&[b"SELECT", &text(i as u64)]);
                    selected = true;
                }
                let key: &[u8] = &ent.key;
                match &ent.value {
                    Value::Str(s) => out.cmd(&[b"SET", key, &s.as_bytes()]),
                    Value::List(l) => chunks(&mut out, &[b"RPUSH", key], 1, l.iter().map(Cow::Borrowed)),
                    Value::Hash(h) => chunks(&mut out, &[b"HSET", key], 2, h.iter().flat_map(|(f, v)| [Cow::Borrowed(f), Cow::Borrowed(v)])),
                    Value::Set(s) => chunks(&mut out, &[b"SADD", key], 1, s.iter().map(|m| Cow::Owned(m.to_vec()))),
                    Value::ZSet(z) => chunks(
                        &mut out,
                        &[b"ZADD", key],
                        2,
                        z.iter().flat_map(|(m, s)| [Cow::Owned(num::fmt_g17(s).into_bytes()), Cow::Borrowed(m)]),
                    ),
                    Value::Stream(s) => stream(&mut out, key, s),
                }
                if let Some(t) = exp {
                    out.cmd(&[b"PEXPIREAT", key, &text(t)]);
                }
            }
        }
        out.flush();
        out.commands
    }
}
