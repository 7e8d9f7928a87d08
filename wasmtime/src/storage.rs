//! Where the component's `storage` import goes: [`HostStorage`], a trait
//! the embedder implements (one [`Storage`] per storage space), with
//! [`DirStorage`] (files in a folder, the same files as `redlet serve
//! --dir`) and [`MemSpaces`] (in memory, shared, survives the instance).
//!
//! Space `default` is the folder itself, so `redlet serve --dir D` and a
//! component opening `storage: some("default")` over `DirStorage::new(D)`
//! read and write the same `redlet.snapshot` / `redlet.journal`; any other
//! space is the subfolder of that name.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use redlet::storage::{MemStorage, Storage, StorageError};
use redlet_host::storage::{Faults, FileStorage};

/// The blobs of every storage space the component names: the WIT
/// `storage` import, as a trait the embedder implements to keep redlet's
/// data anywhere (a database, object storage). Each space keeps the
/// contract of the core's [`Storage`] trait (whole-old-or-whole-new
/// replaces, appends durable after `sync`). Errors are reported to the
/// component's caller.
pub trait HostStorage: Send {
    /// The storage of `space` (the database's `options.storage`), created
    /// on first use.
    fn space(&mut self, space: &str) -> Result<&mut dyn Storage, StorageError>;
}

/// Whether `space` is a safe folder name: `[A-Za-z0-9_-]`, 1 to 64 bytes
/// (no `.`, no `/`: it never leaves the root folder).
fn valid_space(space: &str) -> bool {
    !space.is_empty() && space.len() <= 64 && space.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Spaces as folders: `default` is `root`, any other space `root/<space>`
/// (created on first use). See the module docs.
pub struct DirStorage {
    root: PathBuf,
    faults: Option<Arc<Faults>>,
    spaces: HashMap<String, FileStorage>,
}

impl DirStorage {
    /// Spaces under `root` (created when missing, on first use).
    pub fn new(root: impl Into<PathBuf>) -> DirStorage {
        DirStorage { root: root.into(), faults: None, spaces: HashMap::new() }
    }

    /// Like [`DirStorage::new`], every space failing where `faults` says
    /// (fault injection for tests).
    pub fn with_faults(root: impl Into<PathBuf>, faults: Arc<Faults>) -> DirStorage {
        DirStorage { root: root.into(), faults: Some(faults), spaces: HashMap::new() }
    }

    /// The folder holding `space`'s blobs.
    pub fn folder(&self, space: &str) -> PathBuf {
        if space == "default" {
            self.root.clone()
        } else {
            self.root.join(space)
        }
    }
}

impl HostStorage for DirStorage {
    fn space(&mut self, space: &str) -> Result<&mut dyn Storage, StorageError> {
        if !self.spaces.contains_key(space) {
            if !valid_space(space) {
                return Err(StorageError::new(format!("invalid storage space '{space}' (use [A-Za-z0-9_-], at most 64 bytes)")));
            }
            let dir = self.folder(space);
            std::fs::create_dir_all(&dir).map_err(|e| StorageError::new(format!("create folder {}: {e}", dir.display())))?;
            let fs = match &self.faults {
                Some(f) => FileStorage::with_faults(dir, Arc::clone(f)),
                None => FileStorage::new(dir),
            };
            self.spaces.insert(space.to_string(), fs);
        }
        match self.spaces.get_mut(space) {
            Some(s) => Ok(s),
            // Inserted just above.
            None => Err(StorageError::new("storage space vanished")),
        }
    }
}

/// Spaces in memory, shared between clones: a test drops an instance and
/// instantiates another over a clone, and finds the same blobs. Each space
/// is a [`MemStorage`] (committed blobs in its public `blobs` map).
#[derive(Clone, Default)]
pub struct MemSpaces {
    spaces: Arc<Mutex<HashMap<String, MemStorage>>>,
    /// The space handed out last: the map's entry is moved here while the
    /// instance uses it (a `&mut` cannot outlive the lock) and moved back
    /// on the next switch, on [`MemSpaces::with`] and on drop.
    current: Option<(String, MemStorage)>,
}

impl MemSpaces {
    /// No spaces yet.
    pub fn new() -> MemSpaces {
        MemSpaces::default()
    }

    /// Puts the checked-out space back into the shared map.
    fn check_in(&mut self) {
        if let Some((name, st)) = self.current.take() {
            if let Ok(mut m) = self.spaces.lock() {
                m.insert(name, st);
            }
        }
    }

    /// Runs `f` over every space (after this handle put back the one it
    /// was using): read or corrupt blobs in tests. Another clone in use
    /// keeps its current space to itself until it switches or is dropped.
    pub fn with<R>(&mut self, f: impl FnOnce(&mut HashMap<String, MemStorage>) -> R) -> R {
        self.check_in();
        let mut m = match self.spaces.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        f(&mut m)
    }
}

impl Drop for MemSpaces {
    fn drop(&mut self) {
        self.check_in();
    }
}

impl HostStorage for MemSpaces {
    fn space(&mut self, space: &str) -> Result<&mut dyn Storage, StorageError> {
        if self.current.as_ref().is_none_or(|(n, _)| n != space) {
            self.check_in();
            let st = self.spaces.lock().map_err(|_| StorageError::new("storage lock poisoned"))?.remove(space).unwrap_or_default();
            self.current = Some((space.to_string(), st));
        }
        match &mut self.current {
            Some((_, st)) => Ok(st),
            None => Err(StorageError::new("storage space vanished")),
        }
    }
}
