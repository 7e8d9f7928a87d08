//! [`FileStorage`]: the engine's [`Storage`] blobs as files in one folder,
//! plus [`Faults`], the fault-injection hooks the tests use.
//!
//! Blob `name` is the file `<dir>/redlet.<name>`: `snapshot` ->
//! `redlet.snapshot`, `journal` -> `redlet.journal`. Names must be short
//! words of `[a-z0-9_-]`.
//!
//! How the contract of [`Storage`] is kept on a POSIX file system:
//! - Replace (`begin`/`write`/`commit`): the bytes go to
//!   `<dir>/redlet.<name>.tmp-<pid>`, which is fsynced, renamed over the
//!   blob, then the folder is fsynced so the rename itself is durable.
//!   Until the rename the old file is untouched; any failure before it
//!   removes the temp file and leaves the old blob as it was. A failure of
//!   the final folder fsync is reported although the new file is in place
//!   (whole: readers see old or new, never a mix). Past 256 KiB a thread
//!   writes the temp file, fsyncing it as it grows, and, asked by
//!   `prepare_commit`, makes it durable before `commit` ([`Writer`]); the
//!   replaced file is closed by a thread too: the event loop never waits
//!   for the disk during a background save.
//! - Append goes through one open handle per blob (`O_APPEND`). An append
//!   that fails half-way is cut back (ftruncate) to where it started, like
//!   Redis does with a short AOF write, so a later append never lands after
//!   a torn record. `sync` is `fdatasync`, plus one folder fsync after the
//!   append created the file (else the file itself could vanish in a power
//!   loss).
//! - Replacing a blob closes its append and read handles: they would name
//!   the old inode.
//!
//! Errors carry the operation, the path and the OS error text.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

use redlet::storage::{Storage, StorageError};

/// A point where [`Faults`] can make [`FileStorage`] fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultOp {
    /// Writing the staged copy of a blob (`Storage::write`).
    Write,
    /// Appending (`Storage::append`).
    Append,
    /// fsync/fdatasync of a file (the staged copy in `commit`, or `sync`).
    Fsync,
    /// The rename in `commit`.
    Rename,
    /// The folder fsync after a rename or a file creation.
    DirFsync,
}

#[derive(Debug, Default)]
struct FaultState {
    /// Per op: calls to let through before failing, and whether to keep
    /// failing after the first.
    armed: HashMap<FaultOp, (u32, bool)>,
    /// Bytes that may still be written (staged writes and appends) before
    /// the disk is "full"; `None` = unlimited.
    space: Option<u64>,
    /// Faults fired so far.
    fired: u32,
}

/// Fault-injection hooks shared between a test and the [`FileStorage`] it
/// handed to an engine (armed after the fact through the `Arc`).
#[derive(Debug, Default)]
pub struct Faults {
    state: Mutex<FaultState>,
}

impl Faults {
    /// No faults armed.
    pub fn new() -> Arc<Faults> {
        Arc::new(Faults::default())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FaultState> {
        // A panicking test thread must not hide later faults.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Fails the call of `op` after `skip` more successful ones; once, or
    /// every call from then on when `sticky`.
    pub fn fail(&self, op: FaultOp, skip: u32, sticky: bool) {
        self.lock().armed.insert(op, (skip, sticky));
    }

    /// Simulates a disk that fills after `bytes` more bytes are written:
    /// the write that crosses the limit writes what fits, then fails with
    /// ENOSPC, as do all later writes.
    pub fn disk_full_after(&self, bytes: u64) {
        self.lock().space = Some(bytes);
    }

    /// Disarms everything (the disk has room again).
    #[cfg_attr(not(test), allow(dead_code))] // Tests only.
    pub fn clear(&self) {
        let mut s = self.lock();
        s.armed.clear();
        s.space = None;
    }

    /// Faults from a spec such as `rename`, `fsync:2` (after 2 good
    /// calls), `write:0:once`, `enospc:4096` (disk full after that many
    /// bytes); several separated by commas. Failures are sticky unless
    /// `once`. Used by the server's `REDLET_FAULTS` testing hook.
    pub fn from_spec(spec: &str) -> Result<Arc<Faults>, String> {
        let f = Faults::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let mut it = part.split(':');
            let what = it.next().unwrap_or_default();
            let n: u64 = match it.next() {
                Some(n) => n.parse().map_err(|_| format!("bad number in '{part}'"))?,
                None => 0,
            };
            let sticky = match it.next() {
                None => true,
                Some("once") => false,
                Some(_) => return Err(format!("bad fault '{part}'")),
            };
            let op = match what {
                "write" => FaultOp::Write,
                "append" => FaultOp::Append,
                "fsync" => FaultOp::Fsync,
                "rename" => FaultOp::Rename,
                "dirfsync" => FaultOp::DirFsync,
                "enospc" => {
                    f.disk_full_after(n);
                    continue;
                }
                _ => return Err(format!("unknown fault '{what}' (write, append, fsync, rename, dirfsync, enospc)")),
            };
            f.fail(op, u32::try_from(n).unwrap_or(u32::MAX), sticky);
        }
        Ok(f)
    }

    /// How many faults fired so far.
    #[cfg_attr(not(test), allow(dead_code))] // Tests only.
    pub fn fired(&self) -> u32 {
        self.lock().fired
    }

    /// Whether the call of `op` about to happen fails.
    fn check(&self, op: FaultOp) -> io::Result<()> {
        let mut s = self.lock();
        let Some((skip, sticky)) = s.armed.get_mut(&op) else { return Ok(()) };
        if *skip > 0 {
            *skip -= 1;
            return Ok(());
        }
        if !*sticky {
            s.armed.remove(&op);
        }
        s.fired += 1;
        Err(io::Error::other(format!("injected {op:?} failure")))
    }

    /// How many of `want` bytes fit on the simulated disk (and uses them).
    fn room(&self, want: usize) -> usize {
        let mut s = self.lock();
        match &mut s.space {
            None => want,
            Some(left) => {
                let n = (*left).min(want as u64);
                *left -= n;
                if (n as usize) < want {
                    s.fired += 1;
                }
                n as usize
            }
        }
    }
}

/// An open append handle and the length the blob has when every append so
/// far went through whole.
struct Appender {
    file: File,
    len: u64,
    /// The file was created by an append and the folder not fsynced since.
    new_file: bool,
    /// An append failed and its partial bytes may still be in the file.
    dirty: bool,
}

/// A replace in progress.
struct Staged {
    /// The temp file, written directly while the copy is small; `None`
    /// once a [`Writer`] took it over.
    file: Option<io::BufWriter<File>>,
    path: PathBuf,
    /// Bytes written so far.
    len: u64,
    /// Bytes not yet handed to the writer.
    pending: Vec<u8>,
    /// Started once the copy passes [`HAND_OVER`] bytes.
    writer: Option<Writer>,
    /// `prepare_commit` handed the last bytes over and asked for the
    /// final sync.
    sealed: bool,
}

/// Bytes of a staged copy written by the caller; past them a [`Writer`]
/// thread takes over, and each piece handed to it is this big. Small
/// enough that the thread's copy of a piece into the page cache is short:
/// with 1 MiB pieces it took the event loop's core for up to 1 ms at a
/// time on a two-core machine (`perf sched`).
const HAND_OVER: usize = 256 << 10;

/// Written pieces a [`Writer`] keeps for reuse.
const SPARE: usize = 8;

/// Pieces queued to a [`Writer`] before `write` waits for it (backpressure:
/// a disk slower than the encoder holds the copy's memory to 64 MiB).
const MAX_QUEUED: usize = 256;

/// A thread that writes a big staged copy and fsyncs it as it goes, and
/// makes it durable before `commit` (asked by `prepare_commit`), so a
/// background save never waits for the disk in the event loop: writing
/// 50 MB into the page cache took about 0.2 ms a step, and the fsync of
/// the whole file at commit 26 ms, here. (Redis's fork child writes and
/// syncs every 4 MB, `rdb-save-incremental-fsync`.) Its first error is
/// kept for the next `write`, `prepare_commit` or `commit` (the kernel
/// reports a writeback error to one fsync of the shared file only, so it
/// must not be dropped).
struct Writer {
    shared: Arc<(Mutex<WriterState>, Condvar)>,
    thread: thread::JoinHandle<()>,
}

#[derive(Default)]
struct WriterState {
    queue: std::collections::VecDeque<Vec<u8>>,
    /// Written pieces, emptied, for `write` to fill again: buffers freed
    /// by one thread and allocated by the other made the allocator give
    /// pages back (madvise) in the event loop, up to 4 ms a call.
    spare: Vec<Vec<u8>>,
    /// The final full sync is asked (nothing is queued after it), and
    /// done.
    seal: bool,
    sealed: bool,
    /// Abandoned (abort): the thread drops what is queued and ends.
    closed: bool,
    /// A write or sync failed: the thread has ended; `error` is handed to
    /// the first caller that asks.
    failed: bool,
    error: Option<io::Error>,
}

impl WriterState {
    /// Nothing for the thread to do: no piece, no seal to serve, not
    /// closed.
    fn idle(&self) -> bool {
        self.queue.is_empty() && !self.closed && (self.sealed || !self.seal)
    }

    fn failure(&mut self) -> io::Error {
        self.error.take().unwrap_or_else(|| io::Error::other("an earlier write of this copy failed"))
    }
}

impl Writer {
    fn start(mut file: File) -> io::Result<Writer> {
        let shared = Arc::new((Mutex::new(WriterState::default()), Condvar::new()));
        let theirs = shared.clone();
        let thread = thread::Builder::new().name("redlet-writer".into()).spawn(move || {
            let (m, cv) = &*theirs;
            loop {
                let mut s = m.lock().unwrap_or_else(|p| p.into_inner());
                while s.idle() {
                    s = cv.wait(s).unwrap_or_else(|p| p.into_inner());
                }
                if s.closed {
                    s.queue.clear();
                    return;
                }
                let piece = s.queue.pop_front();
                cv.notify_all();
                drop(s);
                // A piece is written and synced; the queue empty and the
                // seal asked, a full sync covers every piece (none comes
                // after the seal).
                let last = piece.is_none();
                let mut used = None;
                let r = match piece {
                    Some(mut p) => {
                        let r = file.write_all(&p).and_then(|()| file.sync_data());
                        p.clear();
                        used = Some(p);
                        r
                    }
                    None => file.sync_all(),
                };
                let mut s = m.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(p) = used.filter(|_| s.spare.len() < SPARE) {
                    s.spare.push(p);
                }
                match r {
                    Ok(()) => s.sealed |= last,
                    Err(e) => {
                        s.failed = true;
                        s.error = Some(e);
                        s.queue.clear();
                        cv.notify_all();
                        return;
                    }
                }
                cv.notify_all();
            }
        })?;
        Ok(Writer { shared, thread })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, WriterState> {
        self.shared.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// An emptied piece to fill, or a new one.
    fn spare(&self) -> Vec<u8> {
        self.lock().spare.pop().unwrap_or_else(|| Vec::with_capacity(HAND_OVER))
    }

    /// Queues a piece, waiting while [`MAX_QUEUED`] are; the thread's error
    /// if it met one.
    fn push(&self, piece: Vec<u8>) -> io::Result<()> {
        let cv = &self.shared.1;
        let mut s = self.lock();
        while s.queue.len() >= MAX_QUEUED && !s.failed {
            s = cv.wait(s).unwrap_or_else(|p| p.into_inner());
        }
        if s.failed {
            return Err(s.failure());
        }
        s.queue.push_back(piece);
        cv.notify_all();
        Ok(())
    }

    /// Asks for the final full sync (nothing is pushed after) and says
    /// whether it is done.
    fn seal(&self) -> io::Result<bool> {
        let mut s = self.lock();
        if s.failed {
            return Err(s.failure());
        }
        s.seal = true;
        self.shared.1.notify_all();
        Ok(s.sealed)
    }

    /// Seals, waits for the final sync, ends the thread and returns its
    /// error, if any.
    fn finish(self) -> io::Result<()> {
        {
            let mut s = self.lock();
            s.seal = true;
            self.shared.1.notify_all();
            while !s.sealed && !s.failed {
                s = self.shared.1.wait(s).unwrap_or_else(|p| p.into_inner());
            }
            if s.failed {
                return Err(s.failure());
            }
            s.closed = true;
            self.shared.1.notify_all();
        }
        if self.thread.join().is_err() {
            return Err(io::Error::other("writer thread panicked"));
        }
        Ok(())
    }

    /// Abandons the copy: the thread ends after the piece it is writing.
    fn abandon(self) {
        let mut s = self.lock();
        s.closed = true;
        self.shared.1.notify_all();
    }
}

/// [`Storage`] over files in one folder. See the module docs.
pub struct FileStorage {
    dir: PathBuf,
    staged: HashMap<String, Staged>,
    appenders: HashMap<String, Appender>,
    readers: HashMap<String, File>,
    faults: Option<Arc<Faults>>,
    /// Where the `acl` blob lives when `aclfile` names a file (Redis reads
    /// it relative to the working directory, not the data folder).
    acl_path: Option<PathBuf>,
}

fn err(op: &str, path: &Path, e: io::Error) -> StorageError {
    StorageError::new(format!("{op} {}: {e}", path.display()))
}

impl FileStorage {
    /// Blobs in `dir`, which must exist.
    pub fn new(dir: impl Into<PathBuf>) -> FileStorage {
        FileStorage { dir: dir.into(), staged: HashMap::new(), appenders: HashMap::new(), readers: HashMap::new(), faults: None, acl_path: None }
    }

    /// Keeps the engine's `acl` blob (ACL SAVE/LOAD) in `path`, the file
    /// the `aclfile` directive names.
    pub fn with_acl_file(mut self, path: impl Into<PathBuf>) -> FileStorage {
        self.acl_path = Some(path.into());
        self
    }

    /// Like [`FileStorage::new`], failing where `faults` says.
    pub fn with_faults(dir: impl Into<PathBuf>, faults: Arc<Faults>) -> FileStorage {
        let mut s = FileStorage::new(dir);
        s.faults = Some(faults);
        s
    }

    /// The file that holds blob `name`.
    pub fn path_of(&self, name: &str) -> Result<PathBuf, StorageError> {
        if let (Some(p), redlet::cmd::acl::ACL_BLOB) = (&self.acl_path, name) {
            return Ok(p.clone());
        }
        let ok = !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !ok {
            return Err(StorageError::new(format!("invalid blob name '{name}'")));
        }
        Ok(self.dir.join(format!("redlet.{name}")))
    }

    fn check(&self, op: FaultOp) -> io::Result<()> {
        self.faults.as_ref().map_or(Ok(()), |f| f.check(op))
    }

    /// Writes `data` to `w`, honouring a simulated full disk.
    fn write_limited(&self, w: &mut impl Write, data: &[u8]) -> io::Result<()> {
        let n = self.faults.as_ref().map_or(data.len(), |f| f.room(data.len()));
        w.write_all(&data[..n])?;
        if n < data.len() {
            return Err(io::Error::from_raw_os_error(28)); // ENOSPC
        }
        Ok(())
    }

    fn sync_dir(&self) -> io::Result<()> {
        self.check(FaultOp::DirFsync)?;
        File::open(&self.dir)?.sync_all()
    }

    /// Cuts a blob back to where its last whole append ended.
    fn repair(a: &mut Appender) -> io::Result<()> {
        if a.dirty {
            a.file.set_len(a.len)?;
            a.dirty = false;
        }
        Ok(())
    }
}

impl Storage for FileStorage {
    fn size(&mut self, name: &str) -> Result<Option<u64>, StorageError> {
        let path = self.path_of(name)?;
        match fs::metadata(&path) {
            Ok(m) => Ok(Some(m.len())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(err("stat", &path, e)),
        }
    }

    fn read_at(&mut self, name: &str, offset: u64, buf: &mut [u8]) -> Result<usize, StorageError> {
        let path = self.path_of(name)?;
        if !self.readers.contains_key(name) {
            let f = File::open(&path).map_err(|e| err("open", &path, e))?;
            self.readers.insert(name.to_string(), f);
        }
        let f = &self.readers[name];
        loop {
            match f.read_at(buf, offset) {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(err("read", &path, e)),
            }
        }
    }

    fn begin(&mut self, name: &str) -> Result<(), StorageError> {
        let blob = self.path_of(name)?;
        self.abort(name);
        let path = blob.with_file_name(format!("redlet.{name}.tmp-{}", std::process::id()));
        let f = OpenOptions::new().write(true).create(true).truncate(true).open(&path).map_err(|e| err("create", &path, e))?;
        let file = Some(io::BufWriter::with_capacity(256 * 1024, f));
        self.staged.insert(name.to_string(), Staged { file, path, len: 0, pending: Vec::new(), writer: None, sealed: false });
        Ok(())
    }

    fn write(&mut self, name: &str, data: &[u8]) -> Result<(), StorageError> {
        let Some(mut st) = self.staged.remove(name) else {
            return Err(StorageError::new(format!("{name}: write without begin")));
        };
        let r = self.check(FaultOp::Write).and_then(|_| {
            if st.sealed {
                return Err(io::Error::other("write after prepare_commit"));
            }
            if let Some(f) = st.file.as_mut() {
                self.write_limited(f, data)?;
                st.len += data.len() as u64;
                if st.len >= HAND_OVER as u64 {
                    // Big: a thread writes and syncs the rest.
                    if let Some(f) = st.file.take() {
                        st.writer = Some(Writer::start(f.into_inner().map_err(|e| e.into_error())?)?);
                        st.pending = Vec::with_capacity(HAND_OVER);
                    }
                }
                return Ok(());
            }
            let n = self.faults.as_ref().map_or(data.len(), |f| f.room(data.len()));
            st.pending.extend_from_slice(&data[..n]);
            st.len += n as u64;
            if n < data.len() {
                return Err(io::Error::from_raw_os_error(28)); // ENOSPC
            }
            if st.pending.len() >= HAND_OVER {
                if let Some(w) = &st.writer {
                    let piece = std::mem::replace(&mut st.pending, w.spare());
                    w.push(piece)?;
                }
            }
            Ok(())
        });
        match r {
            Ok(()) => {
                self.staged.insert(name.to_string(), st);
                Ok(())
            }
            Err(e) => {
                if let Some(w) = st.writer.take() {
                    w.abandon();
                }
                let _ = fs::remove_file(&st.path);
                Err(err("write", &st.path, e))
            }
        }
    }

    fn prepare_commit(&mut self, name: &str) -> Result<bool, StorageError> {
        let Some(st) = self.staged.get_mut(name) else {
            return Err(StorageError::new(format!("{name}: commit without begin")));
        };
        // A small copy has no thread: commit writes and syncs it itself
        // (well under a millisecond), so a small background save is done
        // at once.
        let Some(w) = &st.writer else { return Ok(true) };
        if !st.sealed {
            if !st.pending.is_empty() {
                w.push(std::mem::take(&mut st.pending)).map_err(|e| err("write", &st.path, e))?;
            }
            st.sealed = true;
        }
        w.seal().map_err(|e| err("fsync", &st.path, e))
    }

    fn commit(&mut self, name: &str) -> Result<(), StorageError> {
        let blob = self.path_of(name)?;
        let Some(st) = self.staged.remove(name) else {
            return Err(StorageError::new(format!("{name}: commit without begin")));
        };
        let tmp = st.path.clone();
        let fail = |op: &str, e: io::Error| {
            let _ = fs::remove_file(&tmp);
            err(op, &tmp, e)
        };
        match (st.file, st.writer) {
            (Some(f), _) => {
                let file = f.into_inner().map_err(|e| fail("write", e.into_error()))?;
                self.check(FaultOp::Fsync).and_then(|_| file.sync_all()).map_err(|e| fail("fsync", e))?;
            }
            (None, Some(w)) => {
                if !st.pending.is_empty() {
                    if let Err(e) = w.push(st.pending) {
                        w.abandon();
                        return Err(fail("write", e));
                    }
                }
                // Waits only if prepare_commit was not asked until done.
                w.finish().map_err(|e| fail("fsync", e))?;
                self.check(FaultOp::Fsync).map_err(|e| fail("fsync", e))?;
            }
            (None, None) => return Err(fail("write", io::Error::other("staged copy lost"))),
        }
        // The replaced file's last handle is closed by a thread: freeing
        // a big file's blocks takes milliseconds (13 ms for 50 MB here).
        let old = File::open(&blob).ok();
        self.check(FaultOp::Rename).and_then(|_| fs::rename(&tmp, &blob)).map_err(|e| {
            let _ = fs::remove_file(&tmp);
            StorageError::new(format!("rename {} to {}: {e}", tmp.display(), blob.display()))
        })?;
        // The handles name the replaced inode now.
        let stale = (old, self.appenders.remove(name), self.readers.remove(name));
        if stale.0.is_some() {
            let _ = thread::Builder::new().name("redlet-close".into()).spawn(move || drop(stale));
        }
        self.sync_dir().map_err(|e| err("fsync", &self.dir, e))
    }

    fn abort(&mut self, name: &str) {
        if let Some(st) = self.staged.remove(name) {
            drop(st.file);
            if let Some(w) = st.writer {
                w.abandon();
            }
            let _ = fs::remove_file(&st.path);
        }
    }

    fn append(&mut self, name: &str, data: &[u8]) -> Result<(), StorageError> {
        let path = self.path_of(name)?;
        if !self.appenders.contains_key(name) {
            let existed = path.exists();
            let file = OpenOptions::new().append(true).create(true).open(&path).map_err(|e| err("open", &path, e))?;
            let len = file.metadata().map_err(|e| err("stat", &path, e))?.len();
            self.appenders.insert(name.to_string(), Appender { file, len, new_file: !existed, dirty: false });
        }
        let mut a = self.appenders.remove(name).expect("inserted above");
        let r = Self::repair(&mut a)
            .and_then(|_| self.check(FaultOp::Append))
            .and_then(|_| self.write_limited(&mut a.file, data));
        let out = match r {
            Ok(()) => {
                a.len += data.len() as u64;
                Ok(())
            }
            Err(e) => {
                // Cut the partial record off now if we can, else before the
                // next append.
                a.dirty = true;
                let _ = Self::repair(&mut a);
                Err(err("write", &path, e))
            }
        };
        self.appenders.insert(name.to_string(), a);
        out
    }

    fn sync(&mut self, name: &str) -> Result<(), StorageError> {
        let path = self.path_of(name)?;
        let Some(mut a) = self.appenders.remove(name) else { return Ok(()) };
        let r = self.check(FaultOp::Fsync).and_then(|_| a.file.sync_data()).map_err(|e| err("fdatasync", &path, e));
        let r = r.and_then(|_| {
            if a.new_file {
                self.sync_dir().map_err(|e| err("fsync", &self.dir, e))?;
                a.new_file = false;
            }
            Ok(())
        });
        self.appenders.insert(name.to_string(), a);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmpdir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("redlet-storage-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn read_all(s: &mut FileStorage, name: &str) -> Option<Vec<u8>> {
        let n = s.size(name).unwrap()? as usize;
        let mut buf = vec![0; n + 10];
        let mut off = 0;
        loop {
            let k = s.read_at(name, off as u64, &mut buf[off..]).unwrap();
            if k == 0 {
                break;
            }
            off += k;
        }
        buf.truncate(off);
        Some(buf)
    }

    fn replace(s: &mut FileStorage, name: &str, parts: &[&[u8]]) -> Result<(), StorageError> {
        s.begin(name)?;
        for p in parts {
            if let Err(e) = s.write(name, p) {
                s.abort(name);
                return Err(e);
            }
        }
        s.commit(name)
    }

    fn leftovers(d: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn files_and_names() {
        let d = tmpdir("names");
        let mut s = FileStorage::new(&d);
        assert_eq!(s.size("snapshot").unwrap(), None);
        assert!(s.read_at("snapshot", 0, &mut [0; 4]).unwrap_err().message.contains("redlet.snapshot"));
        replace(&mut s, "snapshot", &[b"hello ", b"world"]).unwrap();
        assert_eq!(fs::read(d.join("redlet.snapshot")).unwrap(), b"hello world");
        assert_eq!(read_all(&mut s, "snapshot").unwrap(), b"hello world");
        // A reader opened before a replace sees the new file after it.
        replace(&mut s, "snapshot", &[b"v2"]).unwrap();
        assert_eq!(read_all(&mut s, "snapshot").unwrap(), b"v2");
        s.append("journal", b"ab").unwrap();
        s.append("journal", b"cd").unwrap();
        s.sync("journal").unwrap();
        assert_eq!(fs::read(d.join("redlet.journal")).unwrap(), b"abcd");
        // Replacing the journal (compaction) and appending again goes to the
        // new file.
        replace(&mut s, "journal", &[]).unwrap();
        s.append("journal", b"x").unwrap();
        assert_eq!(fs::read(d.join("redlet.journal")).unwrap(), b"x");
        assert!(s.path_of("../etc").is_err());
        assert!(s.append("Snap shot", b"").is_err());
        assert_eq!(leftovers(&d), vec!["redlet.journal", "redlet.snapshot"]);
        let _ = fs::remove_dir_all(&d);
    }

    /// A staged copy past HAND_OVER is written and fsynced by a thread:
    /// committed whole (after prepare_commit or not), or aborted leaving
    /// the old blob.
    #[test]
    fn big_replace_synced_in_the_background() {
        let d = tmpdir("bigsync");
        let mut s = FileStorage::new(&d);
        let piece: Vec<u8> = (0..64 * 1024u32).map(|i| (i % 251) as u8).collect();
        let parts: Vec<&[u8]> = (0..60).map(|_| &piece[..]).collect();
        replace(&mut s, "snapshot", &parts).unwrap();
        assert_eq!(read_all(&mut s, "snapshot").unwrap(), parts.concat());
        s.begin("snapshot").unwrap();
        for _ in 0..40 {
            s.write("snapshot", b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".repeat(1024).as_slice()).unwrap();
        }
        assert!(s.staged.get("snapshot").is_some_and(|st| st.writer.is_some()));
        s.abort("snapshot");
        assert_eq!(read_all(&mut s, "snapshot").unwrap(), parts.concat());
        assert_eq!(leftovers(&d), vec!["redlet.snapshot"]);
        // prepare_commit until durable, then commit (a small copy too).
        for parts in [&parts[..], &parts[..1]] {
            s.begin("snapshot").unwrap();
            for p in parts {
                s.write("snapshot", p).unwrap();
            }
            let mut polls = 0;
            while !s.prepare_commit("snapshot").unwrap() {
                std::thread::sleep(std::time::Duration::from_millis(1));
                polls += 1;
                assert!(polls < 10_000);
            }
            s.commit("snapshot").unwrap();
            assert_eq!(read_all(&mut s, "snapshot").unwrap(), parts.concat());
        }
        assert_eq!(leftovers(&d), vec!["redlet.snapshot"]);
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn failed_replace_keeps_the_old_blob() {
        let d = tmpdir("faults");
        let f = Faults::new();
        let mut s = FileStorage::with_faults(&d, f.clone());
        replace(&mut s, "snapshot", &[b"good"]).unwrap();
        for op in [FaultOp::Write, FaultOp::Fsync, FaultOp::Rename] {
            f.fail(op, 0, false);
            let e = replace(&mut s, "snapshot", &[b"bad", b"worse"]).unwrap_err();
            assert!(e.message.contains("injected") && e.message.contains(d.to_str().unwrap()), "{op:?}: {e}");
            assert_eq!(fs::read(d.join("redlet.snapshot")).unwrap(), b"good", "{op:?}");
            assert_eq!(leftovers(&d), vec!["redlet.snapshot"], "{op:?}");
        }
        // The second write fails.
        f.fail(FaultOp::Write, 1, false);
        assert!(replace(&mut s, "snapshot", &[b"a", b"b", b"c"]).is_err());
        assert_eq!(fs::read(d.join("redlet.snapshot")).unwrap(), b"good");
        // A full disk: the staged bytes stop part-way, the old blob stays.
        f.disk_full_after(10);
        let e = replace(&mut s, "snapshot", &[&[7; 8], &[8; 8]]).unwrap_err();
        assert!(e.message.contains("No space left on device"), "{e}");
        assert_eq!(fs::read(d.join("redlet.snapshot")).unwrap(), b"good");
        assert_eq!(leftovers(&d), vec!["redlet.snapshot"]);
        f.clear();
        // A failed folder fsync is reported; the new blob is in place whole.
        f.fail(FaultOp::DirFsync, 0, false);
        assert!(replace(&mut s, "snapshot", &[b"new"]).is_err());
        assert_eq!(fs::read(d.join("redlet.snapshot")).unwrap(), b"new");
        replace(&mut s, "snapshot", &[b"newer"]).unwrap();
        assert_eq!(read_all(&mut s, "snapshot").unwrap(), b"newer");
        assert_eq!(f.fired(), 6);
        assert!(Faults::from_spec("rename, fsync:2:once,enospc:10").is_ok());
        assert!(Faults::from_spec("chmod").is_err());
        assert!(Faults::from_spec("write:x").is_err());
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn failed_append_is_cut_back() {
        let d = tmpdir("append");
        let f = Faults::new();
        let mut s = FileStorage::with_faults(&d, f.clone());
        s.append("journal", b"rec1;").unwrap();
        f.disk_full_after(3);
        assert!(s.append("journal", b"rec2;").unwrap_err().message.contains("No space left"));
        assert_eq!(fs::read(d.join("redlet.journal")).unwrap(), b"rec1;");
        f.clear();
        s.append("journal", b"rec3;").unwrap();
        f.fail(FaultOp::Fsync, 0, false);
        assert!(s.sync("journal").is_err());
        s.sync("journal").unwrap();
        f.fail(FaultOp::Append, 0, true);
        assert!(s.append("journal", b"x").is_err());
        assert!(s.append("journal", b"y").is_err());
        f.clear();
        s.append("journal", b"rec4;").unwrap();
        assert_eq!(fs::read(d.join("redlet.journal")).unwrap(), b"rec1;rec3;rec4;");
        let _ = fs::remove_dir_all(&d);
    }
}
