//! Storage the host provides: a handful of named blobs.
//!
//! The core does no I/O. Snapshots and the journal reach durable storage
//! through this trait, which every host implements once: files in the
//! native crate, IndexedDB/OPFS or Durable Object storage in the npm
//! package, an imported WIT interface in the component, [`MemStorage`] in
//! tests. It is kept deliberately small so each of those stays a thin
//! wrapper.
//!
//! Contract every implementation keeps:
//! - A blob replaced with [`Storage::begin`] / [`Storage::write`] /
//!   [`Storage::commit`] is seen either whole-old or whole-new, never torn;
//!   when `commit` returns `Ok` the new contents are durable; when any step
//!   fails the previous blob is untouched.
//! - [`Storage::append`] adds to the end; appended bytes are durable once a
//!   following [`Storage::sync`] returns `Ok`. After a crash an appended
//!   tail may be missing or torn, never reordered.
//! - Names are short ASCII words (`snapshot`, `journal`); the host maps them
//!   to its own namespace.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Why a storage operation failed, as the host reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError {
    /// Human-readable reason, e.g. the OS error text with the path.
    pub message: String,
}

impl StorageError {
    /// An error with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        StorageError { message: message.into() }
    }
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl core::error::Error for StorageError {}

/// Durable named blobs. See the module docs for the contract.
pub trait Storage {
    /// Size in bytes of blob `name`, or `None` when there is none.
    fn size(&mut self, name: &str) -> Result<Option<u64>, StorageError>;
    /// Reads up to `buf.len()` bytes of `name` starting at `offset`;
    /// returns how many were read (0 at the end).
    fn read_at(&mut self, name: &str, offset: u64, buf: &mut [u8]) -> Result<usize, StorageError>;
    /// Starts replacing `name`: the following [`Storage::write`] calls fill
    /// a staged copy that no reader sees until [`Storage::commit`].
    fn begin(&mut self, name: &str) -> Result<(), StorageError>;
    /// Adds `data` to the staged copy of `name`.
    fn write(&mut self, name: &str, data: &[u8]) -> Result<(), StorageError>;
    /// Starts making the staged copy of `name` durable without waiting,
    /// and says whether it is: a host that syncs in the background (a
    /// thread) answers `false` until its sync is done, so the
    /// [`Storage::commit`] that follows does not wait for the disk. A
    /// background save calls it after its last byte, once a step, until
    /// `true`, then commits; nothing may be written in between. The
    /// default has nothing to start: `true`.
    fn prepare_commit(&mut self, name: &str) -> Result<bool, StorageError> {
        let _ = name;
        Ok(true)
    }
    /// Makes the staged copy durable and atomically puts it in place of
    /// `name`. On error the previous blob is left as it was.
    fn commit(&mut self, name: &str) -> Result<(), StorageError>;
    /// Drops the staged copy of `name`, if any.
    fn abort(&mut self, name: &str);
    /// Appends `data` to `name`, creating it when absent.
    fn append(&mut self, name: &str, data: &[u8]) -> Result<(), StorageError>;
    /// Makes everything appended to `name` so far durable.
    fn sync(&mut self, name: &str) -> Result<(), StorageError>;
}

/// Blobs in memory: for tests and for hosts that persist elsewhere.
#[derive(Debug, Default, Clone)]
pub struct MemStorage {
    /// Committed blobs.
    pub blobs: BTreeMap<String, Vec<u8>>,
    staged: BTreeMap<String, Vec<u8>>,
}

impl MemStorage {
    /// Empty storage.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Storage for MemStorage {
    fn size(&mut self, name: &str) -> Result<Option<u64>, StorageError> {
        Ok(self.blobs.get(name).map(|b| b.len() as u64))
    }

    fn read_at(&mut self, name: &str, offset: u64, buf: &mut [u8]) -> Result<usize, StorageError> {
        let Some(b) = self.blobs.get(name) else { return Err(StorageError::new(alloc::format!("{name}: no such blob"))) };
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(b.len());
        let n = buf.len().min(b.len() - start);
        buf[..n].copy_from_slice(&b[start..start + n]);
        Ok(n)
    }

    fn begin(&mut self, name: &str) -> Result<(), StorageError> {
        self.staged.insert(name.into(), Vec::new());
        Ok(())
    }

    fn write(&mut self, name: &str, data: &[u8]) -> Result<(), StorageError> {
        match self.staged.get_mut(name) {
            Some(s) => {
                s.extend_from_slice(data);
                Ok(())
            }
            None => Err(StorageError::new(alloc::format!("{name}: write without begin"))),
        }
    }

    fn commit(&mut self, name: &str) -> Result<(), StorageError> {
        match self.staged.remove(name) {
            Some(s) => {
                self.blobs.insert(name.into(), s);
                Ok(())
            }
            None => Err(StorageError::new(alloc::format!("{name}: commit without begin"))),
        }
    }

    fn abort(&mut self, name: &str) {
        self.staged.remove(name);
    }

    fn append(&mut self, name: &str, data: &[u8]) -> Result<(), StorageError> {
        self.blobs.entry(name.into()).or_default().extend_from_slice(data);
        Ok(())
    }

    fn sync(&mut self, _name: &str) -> Result<(), StorageError> {
        Ok(())
    }
}
